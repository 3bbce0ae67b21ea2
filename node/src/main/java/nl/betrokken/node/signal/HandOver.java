package nl.betrokken.node.signal;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/signals/{id}/hand-over}: {@code to}, an active professional of the same organisation. */
@Serdeable
public record HandOver(@NotBlank @Size(max = 100) String to) {
}
