package nl.betrokken.node.archive;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Why the gemeente or auditor reads an archived signal; recorded with the read. */
@Serdeable
public record AccessRequest(
        @NotNull @NotBlank @Size(min = 10, max = 500, message = "must say why, in 10 to 500 characters") String reason) {
}
