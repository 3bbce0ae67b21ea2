package nl.betrokken.node.followup;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.match.MatchView;
import nl.betrokken.problem.Problems;

/**
 * The follow-up of matches at this node: what each side recorded (kept in full in {@code follow_up}; the latest row
 * is the state), and who holds regie ({@code match_regie}).
 *
 * <p><b>Regie: first claim wins, and is handed over explicitly.</b> A side may take regie only while nobody holds it
 * as far as its node knows; while the other side holds it, a claim is refused (409) until the holder releases it.
 * A claim or release is applied to this node's row at once, to the counterpart's row in the same transaction when
 * the counterpart is on this node, and otherwise queued in {@code regie_message} for {@link RegieSender}.
 *
 * <p><b>Who decides when both sides claim at once.</b> Of the two parties of a match, the one whose {@code node:ref}
 * sorts first (the first of the ticket's {@code parties}) is the <i>deciding side</i>: the claim its node receives
 * (or makes) first holds, and its node refuses a later claim with 409. The other side's own claim holds only once the
 * deciding side's node accepted it: while it is still on its way, a claim of the deciding side replaces it; when the
 * deciding side's node refuses it (409), it is withdrawn here. So both nodes end with the same holder, and the
 * instant a claim names ({@code at}) decides nothing: a peer cannot win by back-dating its claim.
 */
@Singleton
public class FollowUps {

    /** What a side recorded. */
    enum Outcome { CONTACT_MADE, NOT_NEEDED, TAKES_REGIE, REGIE_RELEASED }

    /** A regie message between the two sides of a match. */
    enum Action { CLAIM, RELEASE }

    /** The signed-in professional. */
    public record Caller(String username, String organisationId) {
    }

    /** This node's side of a match: its own signal and the counterpart. */
    record Side(UUID matchId, UUID signalId, String ownRef, String counterpartNode, String counterpartRef,
                String status, Instant createdAt) {
    }

    /** Who holds regie, as {@code match_regie} stores it. */
    private record Holder(String node, String ref, Instant since) {
        boolean is(String otherNode, String otherRef) {
            return node.equals(otherNode) && ref.equals(otherRef);
        }
    }

    private final TransactionOperations<Connection> transactions;
    private final Clock clock;
    private final NodeConfiguration node;
    private final FollowUpConfiguration config;
    private final NodeAudit audit;

    FollowUps(TransactionOperations<Connection> transactions, Clock clock, NodeConfiguration node,
              FollowUpConfiguration config, NodeAudit audit) {
        this.transactions = transactions;
        this.clock = clock;
        this.node = node;
        this.config = config;
        this.audit = audit;
    }

    /** Records the caller's follow-up of {@code matchId}; refusals are problems naming the field. */
    public FollowUpView record(Caller caller, UUID matchId, FollowUpRequest request) {
        Outcome outcome = Outcome.valueOf(request.outcome());
        checkFieldsOf(outcome, request);
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Side side = side(c, caller, matchId);
            Instant now = now();
            switch (outcome) {
                case CONTACT_MADE -> {
                    LocalDate today = LocalDate.ofInstant(now, clock.getZone());
                    LocalDate matched = LocalDate.ofInstant(side.createdAt(), clock.getZone());
                    if (request.on().isAfter(today)) {
                        throw Problems.invalidField("on", "must not be in the future");
                    }
                    if (request.on().isBefore(matched)) {
                        throw Problems.invalidField("on", "must not be before the match (" + matched + ")");
                    }
                }
                case NOT_NEEDED -> {
                    if (ownHoldsRegie(c, side)) {
                        throw Problems.conflict("regie-held", "Regie held", "outcome",
                                "this side holds regie of the match; hand it over first (DELETE …/regie)");
                    }
                }
                case TAKES_REGIE -> {
                    if ("WITHDRAWN".equals(side.status())) {
                        throw Problems.conflict("match-withdrawn", "Match withdrawn", "outcome",
                                "the match was withdrawn; nobody can take regie of it");
                    }
                    Optional<Holder> holder = holder(c, matchId, side.signalId());
                    if (holder.isPresent() && !isOwn(side, holder.get())) {
                        throw Problems.conflict("regie-held", "Regie held", "outcome",
                                "the other side holds regie of this match; it must hand it over first");
                    }
                    if (holder.isEmpty()) {
                        tell(c, side, Action.CLAIM, now);
                    }
                }
                default -> throw new IllegalStateException("not recordable: " + outcome);
            }
            insertHistory(c, side, outcome, request.on(), request.reason(), request.note(), caller.username(), now);
            recordAudit(c, caller, side, outcome);
            return view(c, side);
        });
    }

    /** The audit entry of a recorded follow-up: its kind names the outcome; the note never goes in. */
    private void recordAudit(Connection c, Caller caller, Side side, Outcome outcome) throws SQLException {
        String kind = switch (outcome) {
            case CONTACT_MADE -> "followup.contact-made";
            case NOT_NEEDED -> "followup.not-needed";
            case TAKES_REGIE -> "regie.taken";
            case REGIE_RELEASED -> "regie.released";
        };
        audit.record(c, AuditEvent.of(kind, NodeAudit.actor("prof", caller.username()), audit.match(side.matchId()))
                .with("signal", audit.signal(side.signalId())));
    }

    /** The caller's side hands regie over: nobody holds it until a side takes it again. */
    public FollowUpView release(Caller caller, UUID matchId) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Side side = side(c, caller, matchId);
            if (!ownHoldsRegie(c, side)) {
                throw Problems.conflict("regie-not-held", "Regie not held", "matchId",
                        "this side does not hold regie of the match");
            }
            Instant now = now();
            tell(c, side, Action.RELEASE, now);
            insertHistory(c, side, Outcome.REGIE_RELEASED, null, null, null, caller.username(), now);
            recordAudit(c, caller, side, Outcome.REGIE_RELEASED);
            return view(c, side);
        });
    }

    /**
     * The caller's follow-up of {@code matchId}, with its history; the read is an audit entry in its transaction (the
     * history holds the professionals' notes and reasons).
     */
    public FollowUpView find(Caller caller, UUID matchId) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Side side = side(c, caller, matchId);
            FollowUpView view = view(c, side);
            audit.record(c, AuditEvent.of("followup.viewed", NodeAudit.actor("prof", caller.username()),
                    audit.match(side.matchId())).with("signal", audit.signal(side.signalId())));
            return view;
        });
    }

    /**
     * Applies another node's regie message for the match {@code matchId} to this node's signal {@code ownRef}; the
     * claimer or releaser is {@code (fromNode, fromRef)}. A signal this node no longer has is a 404.
     */
    void receive(UUID matchId, String ownRef, String fromNode, String fromRef, Action action, Instant at) {
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            UUID signal = signalId(c, ownRef).orElseThrow(() -> Problems.notFound("signal-not-found",
                    "Signal not found", "this node no longer has the signal of that match"));
            if (action == Action.CLAIM) {
                claimed(c, matchId, signal, ownRef, fromNode, fromRef, at.truncatedTo(ChronoUnit.MICROS));
            } else {
                apply(c, matchId, signal, fromNode, fromRef, action, at.truncatedTo(ChronoUnit.MICROS));
            }
            audit.record(c, AuditEvent.of("regie.received", NodeAudit.actor("node", fromNode), audit.match(matchId))
                    .with("signal", audit.signal(signal)).with("action", action.name()));
            return null;
        });
    }

    /** The matches with this side's follow-up, regie and overdue flag. */
    public List<MatchView> withFollowUp(List<MatchView> matches, String organisationId) {
        Map<String, MatchView> decorated = new HashMap<>();
        Instant overdueBefore = overdueBefore(config.overdueDays());
        transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT m.match_id, m.signal_id, s.ref, m.counterpart_node, m.counterpart_ref, m.status,"
                            + " m.created_at, f.outcome, f.contact_on, r.holder_node, r.holder_ref"
                            + " FROM node_match m JOIN signal s ON s.id = m.signal_id"
                            + " LEFT JOIN follow_up f ON f.id = (SELECT max(l.id) FROM follow_up l"
                            + "   WHERE l.match_id = m.match_id AND l.signal_id = m.signal_id)"
                            + " LEFT JOIN match_regie r ON r.match_id = m.match_id AND r.signal_id = m.signal_id"
                            + " WHERE s.organisation_id = ?")) {
                select.setString(1, organisationId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        Side side = side(rs);
                        String outcome = rs.getString(8);
                        Date on = rs.getDate(9);
                        String holderNode = rs.getString(10);
                        String regie = holderNode == null ? null
                                : holderNode.equals(node.nodeId()) && rs.getString(11).equals(side.ownRef())
                                ? "OWN" : "COUNTERPART";
                        boolean overdue = outcome == null && "ACTIVE".equals(side.status())
                                && side.createdAt().isBefore(overdueBefore);
                        decorated.put(side.matchId() + "/" + side.signalId(), new MatchView(side.matchId(), null,
                                side.signalId(), false, null, null, null, outcome,
                                on == null ? null : on.toLocalDate(), regie, overdue));
                    }
                }
            }
            return null;
        });
        List<MatchView> out = new ArrayList<>(matches.size());
        for (MatchView m : matches) {
            MatchView f = decorated.get(m.id() + "/" + m.signalId());
            out.add(f == null ? m : m.withFollowUp(f.followUp(), f.followUpOn(), f.regie(), f.overdue()));
        }
        return out;
    }

    /**
     * The start of the first day on which a match made before it is {@code days} days old: a match made on day D is
     * overdue from day D + days (Dutch calendar days).
     */
    Instant overdueBefore(int days) {
        return LocalDate.now(clock).minusDays(days - 1L).atStartOfDay(clock.getZone()).toInstant();
    }

    private static void checkFieldsOf(Outcome outcome, FollowUpRequest r) {
        if (outcome == Outcome.CONTACT_MADE && r.on() == null) {
            throw Problems.invalidField("on", "is required when the outcome is CONTACT_MADE");
        }
        if (outcome == Outcome.NOT_NEEDED && r.reason() == null) {
            throw Problems.invalidField("reason", "is required when the outcome is NOT_NEEDED");
        }
        if (outcome != Outcome.CONTACT_MADE && r.on() != null) {
            throw Problems.invalidField("on", "belongs only with the outcome CONTACT_MADE");
        }
        if (outcome != Outcome.NOT_NEEDED && r.reason() != null) {
            throw Problems.invalidField("reason", "belongs only with the outcome NOT_NEEDED");
        }
        if (outcome != Outcome.NOT_NEEDED && r.note() != null) {
            throw Problems.invalidField("note", "belongs only with the outcome NOT_NEEDED");
        }
    }

    /** Tells both rows of the match: this node's at once, the counterpart's here or through its node. */
    private void tell(Connection c, Side side, Action action, Instant at) throws SQLException {
        apply(c, side.matchId(), side.signalId(), node.nodeId(), side.ownRef(), action, at);
        if (side.counterpartNode().equals(node.nodeId())) {
            Optional<UUID> other = signalId(c, side.counterpartRef());
            if (other.isPresent()) {
                apply(c, side.matchId(), other.get(), node.nodeId(), side.ownRef(), action, at);
            }
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO regie_message (match_id, signal_id, action, at, next_attempt_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setObject(1, side.matchId());
            insert.setObject(2, side.signalId());
            insert.setString(3, action.name());
            insert.setTimestamp(4, Timestamp.from(at));
            insert.setTimestamp(5, Timestamp.from(at));
            insert.executeUpdate();
        }
    }

    /**
     * The other side {@code (fromNode, fromRef)} claims regie of this node's side {@code signalId} ({@code ownRef}).
     * Taken when nobody holds it. While this side holds it, the claim is refused (409), unless the other side is the
     * deciding side and this side's own claim is still on its way to it (not yet accepted there): then the deciding
     * side's claim came first where it counts, and replaces it. See the class comment.
     */
    private void claimed(Connection c, UUID matchId, UUID signalId, String ownRef, String fromNode, String fromRef,
                         Instant at) throws SQLException {
        Optional<Holder> holder = holder(c, matchId, signalId);
        if (holder.isPresent()) {
            Holder h = holder.get();
            if (h.is(fromNode, fromRef)) {
                return; // a repeat
            }
            boolean fromDecides = (fromNode + ":" + fromRef).compareTo(node.nodeId() + ":" + ownRef) < 0;
            if (!(fromDecides && h.is(node.nodeId(), ownRef) && claimOnItsWay(c, matchId, signalId, h.since()))) {
                throw Problems.conflict("regie-held", "Regie held", "action",
                        "another claim of this match came first; it must be handed over first");
            }
            try (PreparedStatement done = c.prepareStatement(
                    "UPDATE regie_message SET done_at = ?, done_reason = ? WHERE match_id = ? AND signal_id = ?"
                            + " AND action = 'CLAIM' AND done_at IS NULL")) {
                done.setTimestamp(1, Timestamp.from(clock.instant()));
                done.setString(2, "the deciding side's node took regie first");
                done.setObject(3, matchId);
                done.setObject(4, signalId);
                done.executeUpdate();
            }
        }
        apply(c, matchId, signalId, fromNode, fromRef, Action.CLAIM, at);
    }

    /** Whether this side's claim made at {@code since} is still to be accepted by the other side's node. */
    private static boolean claimOnItsWay(Connection c, UUID matchId, UUID signalId, Instant since) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT 1 FROM regie_message WHERE match_id = ? AND signal_id = ? AND action = 'CLAIM' AND at = ?"
                        + " AND done_at IS NULL")) {
            select.setObject(1, matchId);
            select.setObject(2, signalId);
            select.setTimestamp(3, Timestamp.from(since));
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Sets the holder as this node decided it: a claim replaces whoever held it (the caller checked that it may), a
     * release clears the holder only when it is the releaser.
     */
    private static void apply(Connection c, UUID matchId, UUID signalId, String fromNode, String fromRef,
                              Action action, Instant at) throws SQLException {
        Optional<Holder> holder = holder(c, matchId, signalId);
        boolean fromHolder = holder.isPresent() && holder.get().is(fromNode, fromRef);
        if (action == Action.RELEASE) {
            if (fromHolder) {
                clear(c, matchId, signalId);
            }
            return;
        }
        if (holder.isPresent()) {
            if (fromHolder) {
                return;
            }
            clear(c, matchId, signalId);
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO match_regie (match_id, signal_id, holder_node, holder_ref, since) VALUES (?, ?, ?, ?, ?)")) {
            insert.setObject(1, matchId);
            insert.setObject(2, signalId);
            insert.setString(3, fromNode);
            insert.setString(4, fromRef);
            insert.setTimestamp(5, Timestamp.from(at));
            insert.executeUpdate();
        }
    }

    private static void clear(Connection c, UUID matchId, UUID signalId) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement(
                "DELETE FROM match_regie WHERE match_id = ? AND signal_id = ?")) {
            delete.setObject(1, matchId);
            delete.setObject(2, signalId);
            delete.executeUpdate();
        }
    }

    /** The holder, or empty when nobody holds regie. */
    private static Optional<Holder> holder(Connection c, UUID matchId, UUID signalId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT holder_node, holder_ref, since FROM match_regie WHERE match_id = ? AND signal_id = ?")) {
            select.setObject(1, matchId);
            select.setObject(2, signalId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new Holder(rs.getString(1), rs.getString(2),
                        rs.getTimestamp(3).toInstant())) : Optional.empty();
            }
        }
    }

    private boolean isOwn(Side side, Holder holder) {
        return holder.is(node.nodeId(), side.ownRef());
    }

    private boolean ownHoldsRegie(Connection c, Side side) throws SQLException {
        return holder(c, side.matchId(), side.signalId()).map(h -> isOwn(side, h)).orElse(false);
    }

    /**
     * The caller's organisation's side of the match (the caller's own signal first, should the organisation have
     * both); another organisation's match is a 404, as if it did not exist.
     */
    private static Side side(Connection c, Caller caller, UUID matchId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT m.match_id, m.signal_id, s.ref, m.counterpart_node, m.counterpart_ref, m.status, m.created_at"
                        + " FROM node_match m JOIN signal s ON s.id = m.signal_id"
                        + " WHERE m.match_id = ? AND s.organisation_id = ?"
                        + " ORDER BY CASE WHEN s.professional = ? THEN 0 ELSE 1 END, s.ref LIMIT 1")) {
            select.setObject(1, matchId);
            select.setString(2, caller.organisationId());
            select.setString(3, caller.username());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw Problems.notFound("match-not-found", "Match not found",
                            "no match " + matchId + " on a signal of your organisation");
                }
                return side(rs);
            }
        }
    }

    private static Side side(ResultSet rs) throws SQLException {
        return new Side(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant());
    }

    private FollowUpView view(Connection c, Side side) throws SQLException {
        List<FollowUpView.Entry> history = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT outcome, contact_on, reason, note, recorded_by, recorded_at FROM follow_up"
                        + " WHERE match_id = ? AND signal_id = ? ORDER BY id DESC")) {
            select.setObject(1, side.matchId());
            select.setObject(2, side.signalId());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Date on = rs.getDate(2);
                    history.add(new FollowUpView.Entry(rs.getString(1), on == null ? null : on.toLocalDate(),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant()));
                }
            }
        }
        String regie = holder(c, side.matchId(), side.signalId())
                .map(h -> isOwn(side, h) ? "OWN" : "COUNTERPART").orElse(null);
        return new FollowUpView(side.matchId(), history.isEmpty() ? null : history.get(0).outcome(), regie, history);
    }

    private static void insertHistory(Connection c, Side side, Outcome outcome, @Nullable LocalDate on,
                                      @Nullable String reason, @Nullable String note, String by, Instant at)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO follow_up (match_id, signal_id, outcome, contact_on, reason, note, recorded_by, recorded_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, side.matchId());
            insert.setObject(2, side.signalId());
            insert.setString(3, outcome.name());
            insert.setDate(4, on == null ? null : Date.valueOf(on));
            insert.setString(5, reason);
            insert.setString(6, note);
            insert.setString(7, by);
            insert.setTimestamp(8, Timestamp.from(at));
            insert.executeUpdate();
        }
    }

    private static Optional<UUID> signalId(Connection c, String ref) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT id FROM signal WHERE ref = ?")) {
            select.setString(1, ref);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    /** Now, to the microsecond both databases keep, so that the two nodes compare the same instants. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
