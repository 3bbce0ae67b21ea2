package nl.betrokken.coordinator.audit;

import java.util.List;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A node's checkpoint to countersign: the signed note, the node's log verifier key (the same every time; the first
 * one is kept), and the consistency proof from the size of the last checkpoint the coordinator countersigned for this
 * node to the size of this one (base64 hashes; empty the first time).
 */
@Serdeable
public record CountersignRequest(
        @NotBlank @Size(max = 200) String logKey,
        @NotBlank @Size(max = 16000) String note,
        @NotNull @Size(max = 64) List<@NotNull @Pattern(regexp = "[A-Za-z0-9+/]{43}=", message = "must be a base64 SHA-256 hash") String> consistencyProof) {
}
