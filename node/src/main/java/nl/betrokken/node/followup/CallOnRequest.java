package nl.betrokken.node.followup;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /federation/v1/matches/{matchId}/call-on} from the other node of a match: the coordinator's ticket, the
 * asker's own signal reference in it, the call's id (made by the asker: a call tried again is stored once) and when
 * the matchcoördinator made it. No note and no name: the other node only e-mails its professional.
 */
@Serdeable
public record CallOnRequest(@NotBlank @Size(max = 4000) String ticket, @NotBlank @Size(max = 100) String ref,
                            @NotNull UUID id, @NotNull Instant at) {
}
