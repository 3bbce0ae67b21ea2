package nl.betrokken.node.match;

import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /federation/v1/contacts/changed} from the other node of a match: the contact behind its signal
 * {@code ref} in match {@code matchId} is now {@code contact}.
 */
@Serdeable
public record ContactChange(@NotNull UUID matchId, @NotBlank @Size(max = 100) String ref,
                            @NotNull @Valid Contact contact) {
}
