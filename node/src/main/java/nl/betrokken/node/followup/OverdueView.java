package nl.betrokken.node.followup;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One side of an active match of the caller's organisation without follow-up past {@code overdue-days}: what the
 * instellingscoördinator needs to ask the professional about it. No youth: the match and signal are named by id.
 *
 * @param matchedOn the day the match was made (Dutch calendar)
 * @param overdueSince the first day it counts as overdue ({@code matchedOn + overdue-days})
 * @param escalatedOn the day it was flagged to the organisation's coördinator(s), absent while not yet
 */
@Serdeable
public record OverdueView(UUID matchId, String type, UUID signalId, LocalDate matchedOn, LocalDate overdueSince,
                          @Nullable LocalDate escalatedOn, Professional professional) {

    /** The professional who holds the signal now (after a hand-over, the colleague). */
    @Serdeable
    public record Professional(String username, String displayName, @Nullable String email, @Nullable String phone,
                               boolean active) {
        @Override
        public String toString() {
            return "Professional[" + username + "]";
        }
    }

    @Override
    public String toString() {
        return "OverdueView[" + matchId + "]";
    }

    @Serdeable
    public record Page(int overdueDays, int escalateDays, List<OverdueView> items) {
    }
}
