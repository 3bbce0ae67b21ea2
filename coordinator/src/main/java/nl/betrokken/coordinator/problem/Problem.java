package nl.betrokken.coordinator.problem;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * An RFC 9457 problem document ({@code application/problem+json}). {@code violations} names the offending fields,
 * one entry per field, for refusals of input.
 */
@Serdeable
public record Problem(String type, String title, int status, @Nullable String detail,
                      @Nullable List<Violation> violations) {

    /** One refused field: its path in the request (as {@code signals[3].ref}) and what is wrong with it. */
    @Serdeable
    public record Violation(String field, String message) {
    }
}
