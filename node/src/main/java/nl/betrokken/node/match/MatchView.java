package nl.betrokken.node.match;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A match on one of the caller's organisation's signals, with whom to contact; and this side's follow-up: the
 * latest outcome ({@code followUp}, with {@code followUpOn} for CONTACT_MADE), who holds regie ({@code "OWN"},
 * {@code "COUNTERPART"}, or absent for nobody) and whether the follow-up is overdue.
 */
@Serdeable
public record MatchView(UUID id, String type, UUID signalId, boolean crossRegion, String status,
                        @Schema(type = "object") @Nullable Contact counterpart, Instant createdAt,
                        @Nullable String followUp, @Nullable LocalDate followUpOn, @Nullable String regie,
                        boolean overdue) {

    /** A match as stored, before its follow-up is known. */
    public MatchView(UUID id, String type, UUID signalId, boolean crossRegion, String status,
                     @Nullable Contact counterpart, Instant createdAt) {
        this(id, type, signalId, crossRegion, status, counterpart, createdAt, null, null, null, false);
    }

    /** This match with this side's follow-up. */
    public MatchView withFollowUp(@Nullable String outcome, @Nullable LocalDate on, @Nullable String regieHolder,
                                  boolean isOverdue) {
        return new MatchView(id, type, signalId, crossRegion, status, counterpart, createdAt, outcome, on, regieHolder,
                isOverdue);
    }

    @Serdeable
    public record Page(List<MatchView> items) {
    }
}
