package nl.betrokken.problem;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Answers a {@link ProblemException} with its problem document. */
@Singleton
class ProblemExceptionHandler implements ExceptionHandler<ProblemException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ProblemException exception) {
        Problem problem = exception.problem();
        return HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status()))
                .contentType(ProblemErrorResponseProcessor.PROBLEM_JSON)
                .body(problem);
    }
}
