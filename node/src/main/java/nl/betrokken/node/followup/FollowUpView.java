package nl.betrokken.node.followup;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * This side's follow-up of a match: the latest outcome ({@code CONTACT_MADE}, {@code NOT_NEEDED},
 * {@code TAKES_REGIE} or {@code REGIE_RELEASED}), who holds regie ({@code OWN}, {@code COUNTERPART} or absent), and
 * every change before, newest first.
 */
@Serdeable
public record FollowUpView(UUID matchId, @Nullable String outcome, @Nullable String regie, List<Entry> history) {

    /** One recorded change. */
    @Serdeable
    public record Entry(String outcome, @Nullable LocalDate on, @Nullable String reason, @Nullable String note,
                        String recordedBy, Instant recordedAt) {
        @Override
        public String toString() {
            return "Entry[" + outcome + "]";
        }
    }
}
