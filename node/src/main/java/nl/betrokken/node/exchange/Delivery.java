package nl.betrokken.node.exchange;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /federation/v1/messages} from the sending node: the match ticket and the sender's signal reference
 * (authenticated as {@code /federation/v1/contacts}), the message (its id, made by the sender, is the same at both
 * nodes, so a delivery tried again stores it once), who sent it, and either the coordinator's consent token or the
 * Veilig Thuis exception's reason.
 */
@Serdeable
public record Delivery(@NotBlank @Size(max = 4000) String ticket, @NotBlank @Size(max = 100) String ref,
                       @NotNull UUID id, @NotNull Instant sentAt, @NotNull @Valid From from,
                       @NotNull @NotBlank @Size(min = 1, max = 10_000) String text,
                       @Schema(type = "object") @Nullable @Valid MessageRequest.FileIn file,
                       @Nullable @Size(max = 8000) String consentToken,
                       @Nullable @Size(min = 1, max = 500) String exception) {

    /** The sending professional, as the receiving professional reads it. */
    @Serdeable
    public record From(@NotBlank @Size(max = 200) String organisation, @NotBlank @Size(max = 200) String professional) {
        @Override
        public String toString() {
            return "From[redacted]";
        }
    }

    @Override
    public String toString() {
        return "Delivery[" + id + "]";
    }
}
