package nl.betrokken.node.exchange;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/matches/{id}/messages}: the text for the counterpart professional, an optional file (base64,
 * at most {@link Exchanges#MAX_FILE_BYTES} decoded), and, instead of consent, the Veilig Thuis exception's reason.
 */
@Serdeable
public record MessageRequest(@NotNull @NotBlank @Size(min = 1, max = 10_000) String text,
                             @Schema(type = "object") @Nullable @Valid FileIn file,
                             @Schema(type = "object") @Nullable @Valid ExceptionIn exception) {

    /** A file: its name, its media type and its content in base64 (standard alphabet, padded). */
    @Serdeable
    public record FileIn(@NotBlank @Size(max = 255) String name, @NotBlank @Size(max = 100) String contentType,
                         @NotNull @Size(min = 1, max = 7_000_000) String content) {
        @Override
        public String toString() {
            return "FileIn[redacted]";
        }
    }

    /** The Veilig Thuis exception: asking consent would endanger the child (Meldcode); why, 1 to 500 characters. */
    @Serdeable
    public record ExceptionIn(@NotNull @NotBlank @Size(min = 1, max = 500) String reason) {
        @Override
        public String toString() {
            return "ExceptionIn[redacted]";
        }
    }

    @Override
    public String toString() {
        return "MessageRequest[redacted]";
    }
}
