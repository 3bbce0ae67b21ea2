package nl.betrokken.node.signal;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/signals/{id}/end}: the professional's reason, kept at the node only. */
@Serdeable
public record EndSignalRequest(@NotBlank @Size(max = 500) String reason) {
}
