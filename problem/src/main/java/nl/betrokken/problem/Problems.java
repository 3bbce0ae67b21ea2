package nl.betrokken.problem;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.validation.ConstraintViolation;

/**
 * A service's refusals, each an {@code application/problem+json} body with a stable {@code type}. A refusal
 * about input names the offending field in {@code violations}, in the same shape as validation errors. Details are
 * written for the caller and never copied from an exception message.
 */
public final class Problems {

    public static final String TYPE_BASE = "https://betrokken.nl/problems/";

    private Problems() {
    }

    /** 400: one field is wrong. */
    public static ProblemException invalidField(String field, String message) {
        return new ProblemException("invalid-field", "Invalid field", HttpStatus.BAD_REQUEST, field + " " + message,
                List.of(new Problem.Violation(field, message)));
    }

    /** 409: the request contradicts what is stored; {@code field} names where. */
    public static ProblemException conflict(String slug, String title, String field, String detail) {
        return new ProblemException(slug, title, HttpStatus.CONFLICT, detail,
                List.of(new Problem.Violation(field, detail)));
    }

    /** 409: the thing already exists; {@code existingId} names it, so a client can go on with it. */
    public static ProblemException duplicate(String slug, String title, String field, String detail, String existingId) {
        return new ProblemException(new Problem(TYPE_BASE + slug, title, HttpStatus.CONFLICT.getCode(), detail,
                List.of(new Problem.Violation(field, detail)), existingId));
    }

    /** 404: nothing of that kind with that id, for this caller. */
    public static ProblemException notFound(String slug, String title, String detail) {
        return new ProblemException(slug, title, HttpStatus.NOT_FOUND, detail, null);
    }

    /** 410: it was there, and is no longer given out (withdrawn, ended); asking again will not change that. */
    public static ProblemException gone(String slug, String title, String detail) {
        return new ProblemException(slug, title, HttpStatus.GONE, detail, null);
    }

    /** 401: the caller could not be authenticated; {@code detail} says why, without echoing the credential. */
    public static ProblemException unauthorized(String detail) {
        return new ProblemException("unauthorized", "Unauthorized", HttpStatus.UNAUTHORIZED, detail, null);
    }

    /** 503: a service this answer depends on cannot be reached now; the caller may try again later. */
    public static ProblemException unavailable(String detail) {
        return new ProblemException("unavailable", "Service unavailable", HttpStatus.SERVICE_UNAVAILABLE, detail, null);
    }

    /**
     * 403: an exchange of information refused by its consent: {@code reason} is the type's last part
     * ({@code consent-none}, {@code consent-withdrawn}, {@code consent-forged}, …), {@code consentId} the consent it
     * was asked under (null when there is none).
     */
    public static ProblemException consentRefused(String reason, @Nullable String consentId, String detail) {
        return new ProblemException(new Problem(TYPE_BASE + reason, "Consent refused", HttpStatus.FORBIDDEN.getCode(),
                detail, null, null, consentId));
    }

    /** 403: authenticated, but not allowed this. */
    public static ProblemException forbidden(String detail) {
        return new ProblemException("forbidden", "Forbidden", HttpStatus.FORBIDDEN, detail, null);
    }

    /**
     * The violations of a bean checked by Bean Validation, each named by its field as the API's 400 names it
     * ({@code parents[0].bsn}), sorted by field: for a page that checks a form with the same rules as the API.
     */
    public static List<Problem.Violation> violations(Set<? extends ConstraintViolation<?>> found) {
        return found.stream().map(v -> new Problem.Violation(ConstraintViolationHandler.field(v.getPropertyPath()),
                v.getMessage())).sorted(Comparator.comparing(Problem.Violation::field)).toList();
    }
}
