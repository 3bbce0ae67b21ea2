package nl.betrokken.node.objection;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.archive.ArchiveService;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.inzage.InzageServing;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.outbox.Outbox;
import nl.betrokken.node.outbox.OutboxSender;
import nl.betrokken.node.signal.SignalService;
import nl.betrokken.node.signal.SignalView;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The objections on this node's signals, at the node that holds them.
 * <ul>
 *   <li>Filing: for a node that authenticated itself (or this node), with the coordinator's inzage tickets for this
 *       node. Accepted only when one ticket names that very signal ({@code sub} = its reference) and its relation may
 *       see it now ({@link InzageServing#visible}: not held back, SELF from 12, PARENT while under 16); otherwise the
 *       same 404 as a signal that does not exist. One OPEN objection per signal: a second answers 409 naming it.
 *       The deadline is six weeks after filing (Dutch calendar).</li>
 *   <li>Deciding: the gemeente of this node. UPHELD erases the signal here (archive/ArchiveService#eraseOne) and
 *       queues an ERASE for the coordinator, in one transaction; REJECTED keeps it. A decided objection is final
 *       (409).</li>
 * </ul>
 * The reason and motivation are stored encrypted ({@link NodeKeys#aead()}, bound to the objection's id and column).
 * Every filing, decision and read is in the audit log in the transaction that does it.
 */
@Singleton
class Objections {

    static final Period DEADLINE = Period.ofWeeks(6);
    static final int MAX_TICKETS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(Objections.class);

    private final TransactionOperations<Connection> transactions;
    private final InzageServing serving;
    private final SignalService signals;
    private final NodeKeys keys;
    private final NodeAudit audit;
    private final NodeConfiguration node;
    private final Outbox outbox;
    private final OutboxSender sender;
    private final Clock clock;

    Objections(TransactionOperations<Connection> transactions, InzageServing serving, SignalService signals,
               NodeKeys keys, NodeAudit audit, NodeConfiguration node, Outbox outbox, OutboxSender sender,
               Clock clock) {
        this.transactions = transactions;
        this.serving = serving;
        this.signals = signals;
        this.keys = keys;
        this.audit = audit;
        this.node = node;
        this.outbox = outbox;
        this.sender = sender;
        this.clock = clock;
    }

    /**
     * Files an objection on signal {@code signalId} for a person signed in at {@code askerNode}.
     *
     * @throws ProblemException 400 naming the field, 404 when no ticket lets the person object to that signal, 409
     *                          when the signal has an open objection
     */
    ObjectionView.Filed file(String askerNode, List<String> tickets, String signalId, String reason) {
        UUID id = signalId(signalId);
        validReason(reason);
        List<InzageServing.Ticket> checked = check(askerNode, tickets);
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Optional<String> ref = lockSignal(c, id);
            if (ref.isEmpty()) {
                throw InzageServing.notFound();
            }
            SignalView signal = signals.byRef(c, ref.get()).orElseThrow(InzageServing::notFound);
            String relation = null;
            for (InzageServing.Ticket t : checked) {
                if (t.ref().equals(ref.get()) && serving.visible(c, signal, t.relation()) && serving.use(t)) {
                    relation = t.relation();
                    break;
                }
            }
            if (relation == null) {
                throw InzageServing.notFound();
            }
            Optional<UUID> open = openObjection(c, id);
            if (open.isPresent()) {
                throw Problems.duplicate("objection-exists", "Objection already open", "signalId",
                        "this signal already has an open objection", open.get().toString());
            }
            UUID objection = UUID.randomUUID();
            Instant now = clock.instant();
            LocalDate deadline = LocalDate.ofInstant(now, clock.getZone()).plus(DEADLINE);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO objection (id, signal_id, status, reason_sealed, filed_at, deadline, filed_via, relation)"
                            + " VALUES (?, ?, 'OPEN', ?, ?, ?, ?, ?)")) {
                insert.setObject(1, objection);
                insert.setObject(2, id);
                insert.setBytes(3, seal(reason, objection, "reason"));
                insert.setTimestamp(4, Timestamp.from(now));
                insert.setObject(5, deadline);
                insert.setString(6, askerNode);
                insert.setString(7, relation);
                insert.executeUpdate();
            }
            audit.record(c, AuditEvent.of("bezwaar.filed", NodeAudit.actor("node", askerNode), audit.signal(id))
                    .with("relation", relation).with("deadline", deadline.toString()));
            return new ObjectionView.Filed(objection.toString(), "OPEN", deadline);
        });
    }

    /**
     * The objections (open and decided) on the signals the tickets name and let the person see, for a person signed
     * in at {@code askerNode}; each ticket is spent. Tickets that are refused are left out. Also the objections
     * {@code filed} names that came through {@code askerNode} (the person filed them there: their outcome stays
     * visible after an upheld objection erased the signal).
     */
    List<ObjectionView> forPerson(String askerNode, List<String> tickets, List<String> filed) {
        List<InzageServing.Ticket> checked = check(askerNode, tickets);
        if (filed != null && filed.size() > MAX_TICKETS) {
            throw Problems.invalidField("filed", "at most " + MAX_TICKETS);
        }
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            List<ObjectionView> out = new ArrayList<>();
            Map<String, String> seen = new LinkedHashMap<>();
            for (InzageServing.Ticket t : checked) {
                if (seen.containsKey(t.ref())) {
                    continue;
                }
                Optional<SignalView> signal = signals.byRef(c, t.ref());
                if (signal.isEmpty() || !serving.visible(c, signal.get(), t.relation()) || !serving.use(t)) {
                    continue;
                }
                seen.put(t.ref(), t.relation());
                List<ObjectionView> found = select(c, "WHERE signal_id = ? ORDER BY filed_at", signal.get().id());
                if (!found.isEmpty()) {
                    audit.record(c, AuditEvent.of("bezwaar.listed", NodeAudit.actor("node", askerNode),
                            audit.signal(signal.get().id())).with("relation", t.relation()).with("count", found.size()));
                }
                out.addAll(found);
            }
            java.util.Set<String> listed = new java.util.HashSet<>(out.stream().map(ObjectionView::id).toList());
            for (String text : filed == null ? List.<String>of() : filed) {
                UUID id;
                try {
                    id = UUID.fromString(String.valueOf(text));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (listed.contains(id.toString())) {
                    continue;
                }
                List<ObjectionView> own = select(c, "WHERE id = ? AND filed_via = ?", id, askerNode);
                for (ObjectionView o : own) {
                    audit.record(c, AuditEvent.of("bezwaar.listed", NodeAudit.actor("node", askerNode),
                            audit.signal(UUID.fromString(o.signalId()))).with("count", 1).with("filedThere", true));
                    listed.add(o.id());
                    out.add(o);
                }
            }
            return out;
        });
    }

    /** Every objection on this node's signals, open and decided, the oldest deadline first, for the gemeente. */
    List<ObjectionView> forGemeente(String username) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            List<ObjectionView> all = select(c, "ORDER BY deadline, filed_at, id LIMIT 1000");
            audit.record(c, AuditEvent.of("bezwaar.listed", NodeAudit.actor("gemeente", username),
                    "node:" + node.nodeId()).with("count", all.size()));
            return all;
        });
    }

    /**
     * Decides the objection {@code id} of this node.
     *
     * @throws ProblemException 404 when there is no such objection here, 409 when it was decided before
     */
    ObjectionView decide(String username, UUID id, String outcome, String motivation) {
        ObjectionView decided = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            UUID signalId;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT signal_id, status FROM objection WHERE id = ? FOR UPDATE")) {
                select.setObject(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw notFound(id);
                    }
                    if (!"OPEN".equals(rs.getString(2))) {
                        throw Problems.conflict("objection-decided", "Objection already decided", "id",
                                "the objection was already " + rs.getString(2).toLowerCase());
                    }
                    signalId = rs.getObject(1, UUID.class);
                }
            }
            if ("UPHELD".equals(outcome)) {
                Optional<String> ref = lockSignal(c, signalId);
                if (ref.isPresent()) {
                    int matches = ArchiveService.eraseOne(c, signalId, ref.get());
                    outbox.erase(c, ref.get());
                    audit.record(c, AuditEvent.of("signal.erased", NodeAudit.actor("gemeente", username),
                            audit.signal(signalId)).with("why", "bezwaar").with("matches", matches));
                }
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE objection SET status = ?, decided_at = ?, motivation_sealed = ?, decided_by = ? WHERE id = ?")) {
                update.setString(1, outcome);
                update.setTimestamp(2, Timestamp.from(clock.instant()));
                update.setBytes(3, seal(motivation, id, "motivation"));
                update.setString(4, username);
                update.setObject(5, id);
                update.executeUpdate();
            }
            audit.record(c, AuditEvent.of("bezwaar.decided", NodeAudit.actor("gemeente", username),
                    audit.signal(signalId)).with("outcome", outcome));
            return select(c, "WHERE id = ?", id).get(0);
        });
        if ("UPHELD".equals(outcome)) {
            sender.wake();
            LOG.info("objection upheld: signal erased here, erase queued for the coordinator");
        }
        return decided;
    }

    static ProblemException notFound(UUID id) {
        return Problems.notFound("objection-not-found", "Objection not found",
                "there is no objection " + id + " on this node's signals");
    }

    private List<InzageServing.Ticket> check(String askerNode, List<String> tickets) {
        if (tickets == null || tickets.isEmpty()) {
            return List.of();
        }
        if (tickets.size() > MAX_TICKETS) {
            throw Problems.invalidField("tickets", "at most " + MAX_TICKETS);
        }
        List<InzageServing.Ticket> checked = new ArrayList<>();
        for (String text : tickets) {
            if (text == null || text.length() > 4000) {
                continue;
            }
            try {
                checked.add(serving.check(askerNode, text));
            } catch (ProblemException e) {
                if (e.problem().status() == 503) {
                    throw e;
                }
                // A refused ticket lets nobody object: it is left out, and the answer is the 404 of no signal.
            }
        }
        return checked;
    }

    static UUID signalId(String text) {
        try {
            if (text != null && text.length() == 36) {
                return UUID.fromString(text);
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw Problems.invalidField("signalId", "must be a signal's id (a UUID)");
    }

    static void validReason(String reason) {
        if (reason == null || reason.isBlank() || reason.strip().length() < ObjectionRequests.REASON_MIN
                || reason.length() > ObjectionRequests.REASON_MAX) {
            throw Problems.invalidField("reason", "must be " + ObjectionRequests.REASON_MIN + " to "
                    + ObjectionRequests.REASON_MAX + " characters");
        }
    }

    /** The signal's reference, its row locked so that filings and a decision on one signal take turns. */
    private static Optional<String> lockSignal(Connection c, UUID id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT ref FROM signal WHERE id = ? FOR UPDATE")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static Optional<UUID> openObjection(Connection c, UUID signalId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id FROM objection WHERE signal_id = ? AND status = 'OPEN'")) {
            select.setObject(1, signalId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    private List<ObjectionView> select(Connection c, String where, Object... parameters)
            throws SQLException, GeneralSecurityException {
        List<ObjectionView> out = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, signal_id, status, reason_sealed, filed_at, deadline, motivation_sealed, decided_at"
                        + " FROM objection " + where)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    byte[] motivation = rs.getBytes(7);
                    Timestamp decidedAt = rs.getTimestamp(8);
                    out.add(new ObjectionView(node.nodeId(), id.toString(), rs.getObject(2, UUID.class).toString(),
                            rs.getString(3), LocalDate.ofInstant(rs.getTimestamp(5).toInstant(), clock.getZone()),
                            rs.getObject(6, LocalDate.class), open(rs.getBytes(4), id, "reason"),
                            motivation == null ? null : open(motivation, id, "motivation"),
                            decidedAt == null ? null : LocalDate.ofInstant(decidedAt.toInstant(), clock.getZone())));
                }
            }
        }
        return out;
    }

    private byte[] seal(String text, UUID id, String what) {
        return keys.aead().encrypt(text.getBytes(StandardCharsets.UTF_8), associated(id, what));
    }

    private String open(byte[] sealed, UUID id, String what) throws GeneralSecurityException {
        return new String(keys.aead().decrypt(sealed, associated(id, what)), StandardCharsets.UTF_8);
    }

    /** Binds a sealed value to its objection and column, so it cannot be moved to another row unnoticed. */
    private static byte[] associated(UUID id, String what) {
        return ("betrokken/node/objection/" + id + "/" + what).getBytes(StandardCharsets.US_ASCII);
    }
}
