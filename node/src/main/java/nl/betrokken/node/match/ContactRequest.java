package nl.betrokken.node.match;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /federation/v1/contacts} from another node: the coordinator's ticket for the match, and the asker's
 * own signal reference in it.
 */
@Serdeable
public record ContactRequest(@NotBlank @Size(max = 4000) String ticket, @NotBlank @Size(max = 100) String ref) {
}
