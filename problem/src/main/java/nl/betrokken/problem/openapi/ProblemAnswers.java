package nl.betrokken.problem.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import nl.betrokken.problem.Problem;

/**
 * The {@code application/problem+json} answers of an operation in the published OpenAPI documents, each with the
 * {@link Problem} schema. Put on a controller (every operation of it) or on one operation; micronaut-openapi reads
 * them as the {@link ApiResponse}s they carry. They document, they change no behaviour.
 */
public final class ProblemAnswers {

    /** The media type of every error answer of the services. */
    public static final String PROBLEM_JSON = "application/problem+json";

    private ProblemAnswers() {
    }

    /** 400: malformed input, or a field refused (named in {@code violations}). */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @ApiResponse(responseCode = "400", description = "The request is malformed or a field is refused: violations names"
            + " each offending field.", content = @Content(mediaType = PROBLEM_JSON,
            schema = @Schema(implementation = Problem.class)))
    public @interface BadRequest {
    }

    /** 401: no valid credentials. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @ApiResponse(responseCode = "401", description = "No valid credentials: the token is missing, expired, not signed"
            + " by a trusted key, or was used before.", content = @Content(mediaType = PROBLEM_JSON,
            schema = @Schema(implementation = Problem.class)))
    public @interface Unauthorized {
    }

    /** 403: signed in, but not allowed. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @ApiResponse(responseCode = "403", description = "The caller is known but may not do this (role, organisation,"
            + " or what the caller may see).", content = @Content(mediaType = PROBLEM_JSON,
            schema = @Schema(implementation = Problem.class)))
    public @interface Forbidden {
    }

    /** 404: what the path names does not exist, or not for the caller. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @ApiResponse(responseCode = "404", description = "What the path names does not exist, or not for the caller.",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public @interface NotFound {
    }

    /** 409: the request conflicts with what is stored (the problem names the field, or the existing record). */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @ApiResponse(responseCode = "409", description = "The request conflicts with what is stored; the problem names the"
            + " field or the existing record (existingId).", content = @Content(mediaType = PROBLEM_JSON,
            schema = @Schema(implementation = Problem.class)))
    public @interface Conflict {
    }

    /** 410: what the request names was there, and is gone for good (withdrawn, ended, erased). */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @ApiResponse(responseCode = "410", description = "What the request names is gone for good (the match withdrawn,"
            + " the signal ended or erased).", content = @Content(mediaType = PROBLEM_JSON,
            schema = @Schema(implementation = Problem.class)))
    public @interface Gone {
    }

    /** 503: a service this answer needs (the coordinator, another node) does not answer now; try again later. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
    @ApiResponse(responseCode = "503", description = "A service this answer needs (the coordinator, another node) does"
            + " not answer now; try again later.", content = @Content(mediaType = PROBLEM_JSON,
            schema = @Schema(implementation = Problem.class)))
    public @interface Unavailable {
    }
}
