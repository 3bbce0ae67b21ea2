package nl.betrokken.coordinator.intake;

import java.util.List;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Signals to remove (an objection upheld): they go, their matches are withdrawn and both sides told. */
@Serdeable
public record EraseBatch(
        @NotNull @Size(min = 1, max = SignalBatch.MAX_SIZE) List<@NotNull @Pattern(regexp = SignalRecord.OPAQUE) String> refs) {
}
