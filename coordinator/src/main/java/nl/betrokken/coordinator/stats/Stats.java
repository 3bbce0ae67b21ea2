package nl.betrokken.coordinator.stats;

import java.time.LocalDate;
import java.util.Map;

import io.micronaut.serde.annotation.Serdeable;
import nl.betrokken.coordinator.consent.ConsentStats;

/** Counts for a period, never an identity. {@code consents}: per home node (region), the consent counts. */
@Serdeable
public record Stats(LocalDate from, LocalDate to, long signalsRegistered, long signalsArchived, long signalsErased,
                    long signalsDeleted, MatchCounts matches, long matchesWithdrawn,
                    Map<String, ConsentStats.Counts> consents) {

    /** New matches by type, within one region and across regions. */
    @Serdeable
    public record MatchCounts(long childWithin, long childAcross, long familyWithin, long familyAcross) {
    }
}
