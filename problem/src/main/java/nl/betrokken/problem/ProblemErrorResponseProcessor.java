package nl.betrokken.problem;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.http.server.exceptions.response.HateoasErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Writes every error that Micronaut itself answers (validation, unreadable JSON, unknown route, unexpected
 * exception) as {@code application/problem+json}. A validation error names each field; an unexpected exception
 * (5xx) says nothing of its cause, so no internal detail or personal data can leak.
 */
@Singleton
@Replaces(HateoasErrorResponseProcessor.class)
class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    static final MediaType PROBLEM_JSON = MediaType.of("application/problem+json");

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        Problem problem;
        if (status.getCode() >= 500) {
            problem = new Problem(Problems.TYPE_BASE + "internal", "Internal server error", status.getCode(),
                    "The request could not be completed; nothing of it was stored.", null);
        } else if (status == HttpStatus.BAD_REQUEST) {
            List<Problem.Violation> violations = new ArrayList<>();
            for (Error error : context.getErrors()) {
                violations.add(violation(error));
            }
            String detail = violations.isEmpty() ? "The request is not valid."
                    : violations.get(0).field() + " " + violations.get(0).message();
            problem = new Problem(Problems.TYPE_BASE + "invalid-request", "Invalid request", status.getCode(), detail,
                    violations.isEmpty() ? null : violations);
        } else {
            problem = new Problem(Problems.TYPE_BASE + slug(status), status.getReason(), status.getCode(),
                    context.getErrors().isEmpty() ? status.getReason() : context.getErrors().get(0).getMessage(), null);
        }
        return response.contentType(PROBLEM_JSON).body(problem);
    }

    /**
     * A body that could not be read names the deepest property the decoder was in ({@code activeFrom}), or
     * {@code body} when the JSON itself is broken or has an object where a list belongs (the decoder does not say
     * where); a path or query value of the wrong type names its parameter ({@code id}). The decoder's own message is not passed on: it names Java types.
     */
    static Problem.Violation violation(Error error) {
        String message = error.getMessage();
        if (message != null && message.startsWith("Required Body")) {
            return new Problem.Violation("body", "is required");
        }
        if (message != null && message.contains("Failed to convert argument")) {
            Matcher property = DECODING_PROPERTY.matcher(message);
            String field = null;
            while (property.find()) {
                field = property.group(1);
            }
            if (field != null) {
                return new Problem.Violation(field, "has the wrong type or format");
            }
            // A path or query value that is not of its type (an id that is no UUID) names its parameter; a body that
            // is no JSON at all comes without a value.
            Matcher parameter = PARAMETER.matcher(message);
            return parameter.find() && !parameter.group(2).equals("null")
                    ? new Problem.Violation(parameter.group(1), "has the wrong type or format")
                    : new Problem.Violation("body", "is not well-formed JSON");
        }
        String field = error.getPath().map(p -> p.replaceFirst("^/", "")).orElse("body");
        return new Problem.Violation(field, message == null ? "is not valid" : message);
    }

    private static final Pattern PARAMETER =
            Pattern.compile("^Failed to convert argument \\[(\\w{1,64})\\] for value \\[([^\\]]{0,200})\\] due to");
    private static final Pattern DECODING_PROPERTY = Pattern.compile("Error decoding property \\[[^\\]]*?(\\w+)\\]");

    private static String slug(HttpStatus status) {
        return status.getReason().toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }
}
