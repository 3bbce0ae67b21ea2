package nl.betrokken.problem;

import java.util.ArrayList;
import java.util.List;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

/**
 * Answers a failed validation with one violation per broken constraint, each naming its field as the caller wrote
 * it ({@code signals[0].organisation}), without the Java method and parameter names.
 */
@Singleton
@Replaces(ConstraintExceptionHandler.class)
class ConstraintViolationHandler implements ExceptionHandler<ConstraintViolationException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ConstraintViolationException exception) {
        List<Problem.Violation> violations = new ArrayList<>();
        for (ConstraintViolation<?> v : exception.getConstraintViolations()) {
            violations.add(new Problem.Violation(field(v.getPropertyPath()), v.getMessage()));
        }
        violations.sort((a, b) -> a.field().compareTo(b.field()));
        Problem.Violation first = violations.get(0);
        Problem problem = new Problem(Problems.TYPE_BASE + "invalid-request", "Invalid request",
                HttpStatus.BAD_REQUEST.getCode(), first.field() + " " + first.message(), violations);
        return HttpResponse.<Problem>badRequest(problem).contentType(ProblemErrorResponseProcessor.PROBLEM_JSON);
    }

    /** The path below the method parameter; a parameter that is itself invalid is named by its own name. */
    static String field(Path path) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            // Bean Validation puts a list index on the node *inside* the list: "signals", then "[0].organisation".
            if (node.isInIterable() && node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        return field.isEmpty() ? String.valueOf(parameter) : field.toString();
    }
}
