package nl.betrokken.node.followup;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One overdue side of a match of this region, as the matchcoördinator (and the gemeente) reads it in
 * {@code GET /api/v1/matches/overdue}: an active match on a signal of this node whose professional recorded no
 * follow-up within {@code overdue-days}. No youth: no BSN, name or birth date (the matchcoördinator chases follow-up
 * between professionals and needs no one's identity for that); the match and signal are named by id.
 *
 * @param matchedOn the day the match was made (Dutch calendar)
 * @param overdueSince the first day it counts as overdue ({@code matchedOn + overdue-days})
 * @param daysOverdue days overdue today, counting {@code overdueSince} as day 1
 * @param organisation this side's organisation
 * @param professional who holds this side's signal now (after a hand-over, the colleague)
 * @param escalatedOn the day it was flagged to the organisation's coördinator(s), absent while not yet
 * @param calledOn the last call on the match's sides at this node (made here or received), absent when none
 */
@Serdeable
public record MatchOverdueView(UUID matchId, String type, UUID signalId, LocalDate matchedOn, LocalDate overdueSince,
                               long daysOverdue, Organisation organisation, OverdueView.Professional professional,
                               Counterpart counterpart, @Nullable LocalDate escalatedOn, @Schema(type = "object") @Nullable CalledOn calledOn) {

    /** An organisation of this region: its id and name (the name null when it is not in the register). */
    @Serdeable
    public record Organisation(String id, @Nullable String name) {
    }

    /**
     * The other side as this node knows it: its region (the node), whether that is another region, and its
     * organisation once its node gave the contact (null before).
     */
    @Serdeable
    public record Counterpart(String region, boolean crossRegion, @Nullable String organisation) {
        @Override
        public String toString() {
            return "Counterpart[" + region + "]";
        }
    }

    /** When the match was last called on, and how many calls this node holds for it. */
    @Serdeable
    public record CalledOn(Instant last, int count) {
    }

    /** How many overdue sides an organisation has. */
    @Serdeable
    public record OrganisationCount(String id, @Nullable String name, int count) {
    }

    /** The sides by organisation (name, then oldest first), and the counts per organisation in that order. */
    @Serdeable
    public record Page(int overdueDays, List<OrganisationCount> organisations, List<MatchOverdueView> items) {
    }

    @Override
    public String toString() {
        return "MatchOverdueView[" + matchId + "]";
    }
}
