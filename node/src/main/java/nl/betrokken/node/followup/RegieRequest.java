package nl.betrokken.node.followup;

import java.time.Instant;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /federation/v1/matches/{matchId}/regie} from the other node of a match: the coordinator's ticket, the
 * asker's own signal reference in it, and whether that signal's side took ({@code CLAIM}) or handed over
 * ({@code RELEASE}) regie, at which instant.
 */
@Serdeable
public record RegieRequest(@NotBlank @Size(max = 4000) String ticket, @NotBlank @Size(max = 100) String ref,
                           @NotNull @Pattern(regexp = "CLAIM|RELEASE", message = "must be CLAIM or RELEASE") String action,
                           @NotNull Instant at) {
}
