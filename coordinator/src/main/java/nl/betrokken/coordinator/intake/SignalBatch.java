package nl.betrokken.coordinator.intake;

import java.util.List;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A node's batch of signal records: all are stored, or none. */
@Serdeable
public record SignalBatch(@NotNull @Size(min = 1, max = SignalBatch.MAX_SIZE) List<@NotNull @Valid SignalRecord> signals) {
    public static final int MAX_SIZE = 5000;
}
