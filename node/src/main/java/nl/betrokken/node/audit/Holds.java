package nl.betrokken.node.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;

/**
 * The Veilig Thuis holds for the gemeente: which signals (and exchanges under the exception, and Veilig Thuis look-ups
 * of a signal) are held back from their parents, when the gemeente looks at each again (its review date,
 * {@link HoldReviews}), and their release. One service for {@code /api/v1/audit/held} and the werkplek's
 * {@code /werkplek/achtergehouden}.
 */
@Singleton
class Holds {

    /** A reason for a new review date: 1 to 500 characters. */
    static final int REASON_MAX = 500;

    private final NodeAudit audit;
    private final AuditCheckpoints checkpoints;
    private final HoldReviews reviews;
    private final Clock clock;

    Holds(NodeAudit audit, AuditCheckpoints checkpoints, HoldReviews reviews, Clock clock) {
        this.audit = audit;
        this.checkpoints = checkpoints;
        this.reviews = reviews;
        this.clock = clock;
    }

    /**
     * A hold not yet released, as {@code GET /api/v1/audit/held} gives it: its reference, since when, how many entries
     * wait sealed, its review date ({@code reviewOn}), whether that day has come ({@code reviewDue}: today or
     * before, Europe/Amsterdam) and the gemeente's reason for it (null for the first date, set when it started).
     */
    @Serdeable
    record Hold(String reference, Instant heldSince, int sealedEntries, LocalDate reviewOn, boolean reviewDue,
                @Nullable String reviewReason) {
    }

    /** The answer to a release: the hold's reference and how many entries were opened. */
    @Serdeable
    record Released(String reference, int entries) {
    }

    /** The holds not yet released: the earliest review date first (so those due come first), then the oldest. */
    List<Hold> held() {
        return held(null);
    }

    /** The hold {@code reference} ({@code signal:…}, {@code exchange:…}, {@code lookup:…}) if it waits for release. */
    Optional<Hold> hold(String reference) {
        return held(reference).stream().findFirst();
    }

    private List<Hold> held(@Nullable String reference) {
        List<NodeAudit.Held> held = audit.held(reference);
        Map<String, HoldReviewRow> current = audit.transactions().executeRead(status ->
                reviews.current(held.stream().map(NodeAudit.Held::reference).toList()));
        LocalDate today = LocalDate.now(clock);
        List<Hold> out = new ArrayList<>();
        for (NodeAudit.Held h : held) {
            HoldReviewRow row = current.get(h.reference());
            LocalDate on = row == null ? reviews.first(h.heldSince()) : row.reviewOn();
            out.add(new Hold(h.reference(), h.heldSince(), h.sealedEntries(), on, !on.isAfter(today),
                    row == null ? null : row.reason()));
        }
        out.sort(Comparator.comparing(Hold::reviewOn).thenComparing(Hold::heldSince).thenComparing(Hold::reference));
        return out;
    }

    /**
     * Sets a new review date {@code on} (YYYY-MM-DD: after today and at most a year ahead) of the hold named as for
     * {@link #release}, with the gemeente's {@code reason} (1 to {@value #REASON_MAX} characters), for the gemeente
     * {@code username}: a row of {@code audit_hold_review} and an {@code audit.review-set} entry naming it, in one
     * transaction (sealed as every entry about the hold, until it is released).
     *
     * @throws ProblemException 400 naming {@code on} or {@code reason}; 404 {@code hold-not-found} when no such hold
     *                          waits
     */
    Hold setReview(String username, String reference, @Nullable String on, @Nullable String reason) {
        LocalDate day = reviewOn(on, LocalDate.now(clock));
        validReason(reason);
        String ref = reference(reference);
        String actor = NodeAudit.actor("gemeente", username);
        audit.transactions().executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement lock = c.prepareStatement(
                    "SELECT 1 FROM audit_hold WHERE reference = ? AND released_at IS NULL FOR UPDATE")) {
                lock.setString(1, ref);
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        throw notFound();
                    }
                }
            }
            HoldReviewRow row = reviews.set(ref, day, reason.strip(), actor);
            audit.record(c, AuditEvent.of("audit.review-set", actor, ref).with("on", day.toString())
                    .with("review", row.id()));
            return null;
        });
        return hold(ref).orElseThrow(Holds::notFound);
    }

    /**
     * A new review date: {@code text} as YYYY-MM-DD, after {@code today} and at most a year after it.
     *
     * @throws ProblemException 400 naming {@code on}
     */
    static LocalDate reviewOn(@Nullable String text, LocalDate today) {
        LocalDate day;
        try {
            day = text == null ? null : LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            day = null;
        }
        if (day == null || !day.isAfter(today) || day.isAfter(today.plusYears(1))) {
            throw Problems.invalidField("on", "must be a date (YYYY-MM-DD) after today and at most a year ahead");
        }
        return day;
    }

    /** @throws ProblemException 400 naming {@code reason} unless it is 1 to {@value #REASON_MAX} characters */
    static void validReason(@Nullable String reason) {
        if (reason == null || reason.isBlank() || reason.strip().length() > REASON_MAX) {
            throw Problems.invalidField("reason", "must be 1 to " + REASON_MAX + " characters");
        }
    }

    /**
     * Releases the hold named by a signal's id, its {@code signal:} reference or an {@code exchange:} or
     * {@code lookup:} reference, for the gemeente {@code username}: first the coordinator countersigns the log with the entries still sealed, then
     * they open.
     *
     * @throws ProblemException 404 {@code hold-not-found} when no such hold waits; 503 when the coordinator cannot
     *                          countersign now
     */
    Released release(String username, String reference) {
        String ref = reference(reference);
        if (!audit.isHeld(ref)) {
            throw notFound();
        }
        // A checkpoint countersigned while the entries are still sealed: after the release, a person's access-log
        // file proves with it that they were in the log all along (inzage/CitizenAccessLog).
        checkpoints.countersignBeforeRelease();
        int entries = audit.release(ref, NodeAudit.actor("gemeente", username)).orElseThrow(Holds::notFound);
        return new Released(ref, entries);
    }

    /**
     * The hold's reference: as given when it is one ({@code signal:}, {@code exchange:}, {@code lookup:}), else the
     * reference of the signal id.
     */
    String reference(String text) {
        if (text.startsWith("signal:") || text.startsWith("exchange:") || text.startsWith("lookup:")) {
            return text;
        }
        try {
            return audit.signal(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return "signal:" + NodeAudit.reference(text);
        }
    }

    static ProblemException notFound() {
        return Problems.notFound("hold-not-found", "Hold not found",
                "no signal held back under this reference waits for release");
    }
}
