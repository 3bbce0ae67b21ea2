package nl.betrokken.problem;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An RFC 9457 problem document ({@code application/problem+json}). {@code violations} names the offending fields,
 * one entry per field, for refusals of input; {@code existingId} names what is already there, for a duplicate;
 * {@code consent} names the consent a refused exchange of information was asked under (node exchange/).
 */
@Serdeable
@Schema(description = "An RFC 9457 problem document (application/problem+json): type and title name the kind of"
        + " refusal, detail says what was wrong; violations names each refused field, existingId what is already"
        + " there (a duplicate), consent the consent a refused exchange of information was asked under.")
public record Problem(String type, String title, int status, @Nullable String detail,
                      @Nullable List<Violation> violations, @Nullable String existingId, @Nullable String consent) {

    public Problem(String type, String title, int status, @Nullable String detail, @Nullable List<Violation> violations) {
        this(type, title, status, detail, violations, null, null);
    }

    public Problem(String type, String title, int status, @Nullable String detail,
                   @Nullable List<Violation> violations, @Nullable String existingId) {
        this(type, title, status, detail, violations, existingId, null);
    }

    /** One refused field: its path in the request (as {@code signals[3].ref}) and what is wrong with it. */
    @Serdeable
    @Schema(description = "One refused field: its path in the request (as signals[3].ref) and what is wrong with it.")
    public record Violation(String field, String message) {
    }
}
