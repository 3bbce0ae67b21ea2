package nl.betrokken.coordinator.intake;

import java.time.LocalDate;
import java.util.List;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Signals a node has ended: each stops matching at once and moves to the archive; its matches stay. */
@Serdeable
public record EndBatch(@NotNull @Size(min = 1, max = SignalBatch.MAX_SIZE) List<@NotNull @Valid End> ends) {

    /** The signal {@code ref} ended on {@code on}; its archive period runs from that day. */
    @Serdeable
    public record End(@NotNull @Pattern(regexp = SignalRecord.OPAQUE) String ref, @NotNull LocalDate on) {
    }
}
