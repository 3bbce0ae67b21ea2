package nl.betrokken.problem;

import java.util.List;

import io.micronaut.http.HttpStatus;

/** A refusal on its way to the caller as a {@link Problem}. Build one with {@link Problems}. */
public final class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    ProblemException(String slug, String title, HttpStatus status, String detail, List<Problem.Violation> violations) {
        this(new Problem(Problems.TYPE_BASE + slug, title, status.getCode(), detail, violations));
    }

    ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
