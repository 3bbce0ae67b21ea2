package nl.betrokken.node.followup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.match.FederationCalls;
import nl.betrokken.node.notify.Notifications;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;

/**
 * The matchcoördinator calls on both sides of an overdue match ({@code POST /api/v1/matches/{id}/call-on}): in one
 * transaction the call is stored ({@code match_call_on}), every professional who holds an active side of the match at
 * this node gets an e-mail through the notification sender ({@link Notifications#MATCH_CALLED_ON}, with the link to
 * the match's page; a bounce is a notification failure as any other) and {@code match.called-on} is logged per side.
 * The counterpart's node is then asked node to node to e-mail its professional ({@link CallOnSender}); when it cannot
 * be reached now the call stays PENDING and is tried again, so it is never lost. The counterpart's node stores a
 * received call once per call id ({@link #receive}) and logs {@code match.call-on-received}.
 *
 * <p>Only a match with an overdue side at this node can be called on (else 409); the matchcoördinator's note stays
 * with the call at this node: it is in no e-mail and not sent to the other node.
 */
@Singleton
public class CallOns {

    /** The longest note, in characters. */
    public static final int NOTE_MAX = 500;

    private final TransactionOperations<Connection> transactions;
    private final CallOnRepository rows;
    private final OverdueFlags flags;
    private final CallOnSender sender;
    private final NodeConfiguration node;
    private final NodeAudit audit;
    private final Clock clock;

    CallOns(TransactionOperations<Connection> transactions, CallOnRepository rows, OverdueFlags flags,
            CallOnSender sender, NodeConfiguration node, NodeAudit audit, Clock clock) {
        this.transactions = transactions;
        this.rows = rows;
        this.flags = flags;
        this.sender = sender;
        this.node = node;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * One call on the match at this node, as the matchcoördinator's page shows it: when, by whom (the username of
     * this node's matchcoördinator; null for a call received from {@code region}), the note (only for calls made
     * here), and how it reached the other node ({@link CallOnRow} states).
     */
    public record Call(Instant at, String region, @Nullable String by, @Nullable String note, String state) {
        @Override
        public String toString() {
            return "Call[" + at + "]";
        }
    }

    /** The match at this node: its overdue sides here (none: not overdue) and its calls, oldest first. */
    public record MatchCalls(UUID matchId, List<MatchOverdueView> overdue, List<Call> calls) {
    }

    /** The note as stored: trimmed, null when blank; 400 naming {@code note} when longer than {@link #NOTE_MAX}. */
    public static @Nullable String note(@Nullable String note) {
        if (note == null || note.isBlank()) {
            return null;
        }
        String n = note.strip();
        if (n.length() > NOTE_MAX) {
            throw Problems.invalidField("note", "must be at most " + NOTE_MAX + " characters");
        }
        return n;
    }

    /** The match's overdue sides and calls at this node; empty when this node holds no side of the match. */
    public Optional<MatchCalls> match(UUID matchId) {
        if (!exists(matchId)) {
            return Optional.empty();
        }
        List<Call> calls = new ArrayList<>();
        for (CallOnRow r : transactions.executeRead(status -> rows.findByMatchIdOrderByCalledAt(matchId))) {
            calls.add(new Call(r.calledAt(), r.originNode(), r.calledBy(), r.note(), r.sendState()));
        }
        return Optional.of(new MatchCalls(matchId, flags.overdueInRegion(matchId).items(), calls));
    }

    /**
     * Calls on both sides of {@code matchId} for the matchcoördinator {@code user}. 404 when this node holds no side
     * of the match, 409 ({@code match-not-overdue}) when none of its sides here is overdue (any more), 400 for a note
     * that is too long. The counterpart's node is tried once within the call; the answer says how that went.
     */
    public CallOnView callOn(Authentication user, UUID matchId, @Nullable String note) {
        String text = note(note);
        List<MatchOverdueView> overdue = flags.overdueInRegion(matchId).items();
        if (overdue.isEmpty()) {
            if (!exists(matchId)) {
                throw notFound(matchId);
            }
            throw Problems.conflict("match-not-overdue", "Match not overdue", "matchId",
                    "match " + matchId + " has no side at this node that waits for follow-up past the deadline");
        }
        MatchOverdueView first = overdue.get(0);
        boolean local = node.nodeId().equals(first.counterpart().region());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        CallOnRow row = new CallOnRow(UUID.randomUUID(), UUID.randomUUID(), node.nodeId(), matchId, first.signalId(),
                now, user.getName(), text, local ? CallOnRow.LOCAL : CallOnRow.PENDING, 0, local ? null : now, null);
        int here = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            rows.save(row);
            List<UUID> sides = activeSides(c, matchId);
            for (UUID signal : sides) {
                Notifications.enqueueForSignal(c, signal, Notifications.MATCH_CALLED_ON, matchId, now);
            }
            for (UUID signal : sides) { // last, as the audit log's head is locked until the commit
                audit.record(c, AuditEvent.of("match.called-on", NodeAudit.actor("matchcoord", user.getName()),
                        audit.match(matchId)).with("signal", audit.signal(signal))
                        .with("counterpartNode", NodeAudit.reference(first.counterpart().region())));
            }
            return sides.size();
        });
        String counterpart = local ? "LOCAL" : switch (sender.send(row.rowId())) {
            case CallOnRow.SENT -> "SENT";
            case CallOnRow.DONE -> "REFUSED";
            default -> "PENDING";
        };
        return new CallOnView(row.callId(), matchId, now, here, counterpart);
    }

    /**
     * A call from the counterpart's node, verified ({@link FederationCalls}): e-mails the professional of this node's
     * side and logs {@code match.call-on-received}, once per call id; a repeat changes nothing. 410 when this node no
     * longer holds the signal or its side of the match is not active.
     */
    synchronized void receive(FederationCalls.Call call, CallOnRequest request) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant at = request.at().isAfter(now) ? now : request.at().truncatedTo(ChronoUnit.MICROS);
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            UUID signal = activeSide(c, call.matchId(), call.ownRef()).orElseThrow(() -> Problems.gone("match-gone",
                    "Match gone", "this node holds no active side of match " + call.matchId() + " with that signal"));
            if (rows.existsByCallIdAndOriginNode(request.id(), call.askerNode())) {
                return null; // a call tried again: stored, e-mailed and logged the first time
            }
            rows.save(new CallOnRow(UUID.randomUUID(), request.id(), call.askerNode(), call.matchId(), signal, at,
                    null, null, CallOnRow.RECEIVED, 0, null, null));
            Notifications.enqueueForSignal(c, signal, Notifications.MATCH_CALLED_ON, call.matchId(), now);
            audit.record(c, AuditEvent.of("match.call-on-received", NodeAudit.actor("node", call.askerNode()),
                    audit.match(call.matchId())).with("signal", audit.signal(signal)));
            return null;
        });
    }

    private static ProblemException notFound(UUID matchId) {
        return Problems.notFound("match-not-found", "Match not found", "this node holds no side of match " + matchId);
    }

    private boolean exists(UUID matchId) {
        return transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT 1 FROM node_match WHERE match_id = ?")) {
                select.setObject(1, matchId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private static List<UUID> activeSides(Connection c, UUID matchId) throws SQLException {
        List<UUID> out = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT signal_id FROM node_match"
                + " WHERE match_id = ? AND status = 'ACTIVE' ORDER BY signal_id")) {
            select.setObject(1, matchId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return out;
    }

    private static Optional<UUID> activeSide(Connection c, UUID matchId, String ownRef) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT m.signal_id FROM node_match m"
                + " JOIN signal s ON s.id = m.signal_id WHERE m.match_id = ? AND s.ref = ? AND m.status = 'ACTIVE'")) {
            select.setObject(1, matchId);
            select.setString(2, ownRef);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }
}
