package nl.betrokken.coordinator.stats;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import nl.betrokken.coordinator.consent.ConsentStats;

/**
 * Counts for a period, never an identity. {@code consents}: per home node (region), the consent counts.
 * {@code regions}: per enrolled node (region), the signals received in the period and the day of its newest signal.
 */
@Serdeable
public record Stats(LocalDate from, LocalDate to, long signalsRegistered, long signalsArchived, long signalsErased,
                    long signalsDeleted, MatchCounts matches, long matchesWithdrawn,
                    Map<String, ConsentStats.Counts> consents, List<Region> regions) {

    /**
     * One enrolled node (a region, never an organisation): the signals the coordinator received from it in the period
     * (Dutch calendar days) and the day it received the newest signal it still holds from it (null: none).
     */
    @Serdeable
    public record Region(String node, long signalsReceived, @Nullable LocalDate lastSignalOn) {
    }

    /** New matches by type, within one region and across regions. */
    @Serdeable
    public record MatchCounts(long childWithin, long childAcross, long familyWithin, long familyAcross) {
    }
}
