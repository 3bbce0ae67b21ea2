package nl.betrokken.coordinator.stats;

import java.time.LocalDate;

import io.micronaut.serde.annotation.Serdeable;

/** Counts for a period, never an identity. */
@Serdeable
public record Stats(LocalDate from, LocalDate to, long signalsRegistered, long signalsArchived, long signalsErased,
                    long signalsDeleted, MatchCounts matches, long matchesWithdrawn) {

    /** New matches by type, within one region and across regions. */
    @Serdeable
    public record MatchCounts(long childWithin, long childAcross, long familyWithin, long familyAcross) {
    }
}
