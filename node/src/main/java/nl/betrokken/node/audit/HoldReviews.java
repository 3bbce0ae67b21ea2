package nl.betrokken.node.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

/**
 * The review dates of holds ({@code audit_hold_review}, V22): the first one when a hold starts,
 * {@link HoldsConfiguration#reviewAfter()} after its day (Europe/Amsterdam), and the ones the gemeente sets
 * ({@link Holds#setReview}). A hold from before V22 has no row: its review date is computed from its start the same
 * way. Rows are written in the caller's transaction.
 */
@Singleton
class HoldReviews {

    /** Who set a hold's first review date. */
    static final String SYSTEM = "system:holds";

    private final HoldReviewRepository rows;
    private final HoldsConfiguration config;
    private final Clock clock;

    HoldReviews(HoldReviewRepository rows, HoldsConfiguration config, Clock clock) {
        this.rows = rows;
        this.config = config;
        this.clock = clock;
    }

    /** The first review date of a hold that starts at {@code heldAt}; in the hold's transaction. */
    void started(String reference, Instant heldAt) {
        rows.save(new HoldReviewRow(null, reference, first(heldAt), null, heldAt, SYSTEM));
    }

    /** A new review date set by {@code actor} with its reason; in the caller's transaction. Answers the row. */
    HoldReviewRow set(String reference, LocalDate on, String reason, String actor) {
        return rows.save(new HoldReviewRow(null, reference, on, reason, clock.instant(), actor));
    }

    /** The review date of a hold held since {@code heldAt} when none was stored: {@code reviewAfter} after its day. */
    LocalDate first(Instant heldAt) {
        return LocalDate.ofInstant(heldAt, clock.getZone()).plus(config.reviewAfter());
    }

    /** The newest stored review of each of {@code references} that has one. */
    Map<String, HoldReviewRow> current(List<String> references) {
        Map<String, HoldReviewRow> out = new HashMap<>();
        if (references.isEmpty()) {
            return out;
        }
        for (HoldReviewRow row : rows.findByReferenceInListOrderById(references)) {
            out.put(row.reference(), row); // oldest first: the newest stays
        }
        return out;
    }
}
