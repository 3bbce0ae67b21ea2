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

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.account.Account;
import nl.betrokken.node.account.Accounts;
import nl.betrokken.node.account.Role;
import nl.betrokken.node.archive.ArchiveService;
import nl.betrokken.node.archive.ErasureFollower;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.inzage.InzageServing;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.notify.Notifications;
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
 *   <li>Advice: the gemeente asks the professional who holds the signal ({@link #askAdvice}; told by e-mail), who,
 *       or a colleague of the same organisation, answers once ({@link #advise}) while the objection is open.</li>
 *   <li>Deciding: the gemeente of this node. UPHELD erases the signal here (archive/ArchiveService#eraseOne) and
 *       queues an ERASE for the coordinator, in one transaction; REJECTED keeps it. A decided objection is final
 *       (409).</li>
 *   <li>Closing: when the signal is erased everywhere otherwise (withdrawn by its professional, or after another
 *       objection was upheld), its open objections are CLOSED in that transaction ({@link ClosedObjections}); final
 *       too.</li>
 * </ul>
 * When the person left an e-mail address (sealed with the objection), the decision queues an e-mail that says only
 * that a decision was taken (notify/), and the address leaves the objection. The reason, motivation, advice and
 * address are stored encrypted ({@link NodeKeys#aead()}, bound to the objection's id and column). Every filing,
 * request for advice, advice, decision and read is in the audit log in the transaction that does it.
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
    private final OutboxSender sender;
    private final Notifications notifications;
    private final Accounts accounts;
    private final Clock clock;
    private final ArchiveService archive;

    Objections(TransactionOperations<Connection> transactions, InzageServing serving, SignalService signals,
               NodeKeys keys, NodeAudit audit, NodeConfiguration node, OutboxSender sender,
               Notifications notifications, Accounts accounts, Clock clock, ArchiveService archive) {
        this.archive = archive;
        this.notifications = notifications;
        this.accounts = accounts;
        this.transactions = transactions;
        this.serving = serving;
        this.signals = signals;
        this.keys = keys;
        this.audit = audit;
        this.node = node;
        this.sender = sender;
        this.clock = clock;
    }

    /**
     * Files an objection on signal {@code signalId} for a person signed in at {@code askerNode}.
     *
     * @throws ProblemException 400 naming the field, 404 when no ticket lets the person object to that signal, 409
     *                          when the signal has an open objection
     */
    ObjectionView.Filed file(String askerNode, List<String> tickets, String signalId, String reason,
                             @Nullable String email, @Nullable String proposedId) {
        UUID id = signalId(signalId);
        validReason(reason);
        String address = validEmail(email);
        UUID objection = proposedId == null ? UUID.randomUUID() : objectionId(proposedId);
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
            if (exists(c, objection)) {
                throw Problems.conflict("objection-id-taken", "Objection id taken", "id",
                        "an objection with this id exists; file with a new id");
            }
            Instant now = clock.instant();
            LocalDate deadline = LocalDate.ofInstant(now, clock.getZone()).plus(DEADLINE);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO objection (id, signal_id, status, reason_sealed, filed_at, deadline, filed_via, relation,"
                            + " email_sealed) VALUES (?, ?, 'OPEN', ?, ?, ?, ?, ?, ?)")) {
                insert.setObject(1, objection);
                insert.setObject(2, id);
                insert.setBytes(3, seal(reason, objection, "reason"));
                insert.setTimestamp(4, Timestamp.from(now));
                insert.setObject(5, deadline);
                insert.setString(6, askerNode);
                insert.setString(7, relation);
                insert.setBytes(8, address == null ? null : seal(address, objection, "email"));
                insert.executeUpdate();
            }
            audit.record(c, AuditEvent.of("bezwaar.filed", NodeAudit.actor("node", askerNode), audit.signal(id))
                    .with("relation", relation).with("deadline", deadline.toString())
                    .with("objection", audit.objection(objection)).with("tellByEmail", address != null));
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
                found.forEach(o -> out.add(o.withoutAdvice()));
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
                    out.add(o.withoutAdvice());
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
     * One objection on this node's signals, with the advice, for the gemeente; the read is recorded as a listing of
     * one ({@code bezwaar.listed}).
     *
     * @throws ProblemException 404 when there is no such objection here
     */
    ObjectionView oneForGemeente(String username, UUID id) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            List<ObjectionView> found = select(c, "WHERE id = ?", id);
            if (found.isEmpty()) {
                throw notFound(id);
            }
            audit.record(c, AuditEvent.of("bezwaar.listed", NodeAudit.actor("gemeente", username),
                    audit.signal(UUID.fromString(found.get(0).signalId()))).with("count", 1)
                    .with("objection", audit.objection(id)));
            return found.get(0);
        });
    }

    /**
     * Decides the objection {@code id} of this node: {@code outcome} UPHELD or REJECTED, with a motivation
     * ({@link #validOutcome}, {@link #validMotivation}: the API's and the werkplek's one rule).
     *
     * @throws ProblemException 400 naming {@code outcome} or {@code motivation}, 404 when there is no such objection
     *                          here, 409 when it was decided before
     */
    ObjectionView decide(String username, UUID id, String outcome, String motivation) {
        validOutcome(outcome);
        validMotivation(motivation);
        ObjectionView decided = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            UUID signalId = lockOpen(c, id, false);
            // Decided first, so that the erasure below closes only the signal's other open objections.
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE objection SET status = ?, decided_at = ?, motivation_sealed = ?, decided_by = ? WHERE id = ?")) {
                update.setString(1, outcome);
                update.setTimestamp(2, Timestamp.from(clock.instant()));
                update.setBytes(3, seal(motivation, id, "motivation"));
                update.setString(4, username);
                update.setObject(5, id);
                update.executeUpdate();
            }
            if (UPHELD.equals(outcome)) {
                Optional<String> ref = lockSignal(c, signalId);
                if (ref.isPresent()) {
                    archive.eraseEverywhere(c, signalId, ref.get(), NodeAudit.actor("gemeente", username),
                            ErasureFollower.OBJECTION_UPHELD);
                }
            }
            boolean told = tellObjector(c, id);
            audit.record(c, AuditEvent.of("bezwaar.decided", NodeAudit.actor("gemeente", username),
                    audit.signal(signalId)).with("outcome", outcome).with("objection", audit.objection(id))
                    .with("tellByEmail", told));
            return select(c, "WHERE id = ?", id).get(0);
        });
        if (UPHELD.equals(outcome)) {
            sender.wake();
            LOG.info("objection upheld: signal erased here, erase queued for the coordinator");
        }
        return decided;
    }

    /**
     * Queues the e-mail that tells the person a decision was taken, when they left an address, and clears the address
     * from the objection (it now lives, sealed, only in the notification until it is sent). In the decision's
     * transaction. Returns whether an e-mail was queued.
     */
    private boolean tellObjector(Connection c, UUID id) throws SQLException, GeneralSecurityException {
        byte[] sealed;
        try (PreparedStatement select = c.prepareStatement("SELECT email_sealed FROM objection WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                sealed = rs.next() ? rs.getBytes(1) : null;
            }
        }
        if (sealed == null) {
            return false;
        }
        notifications.enqueueForObjector(c, Notifications.OBJECTION_DECIDED, id, open(sealed, id, "email"),
                clock.instant());
        try (PreparedStatement clear = c.prepareStatement("UPDATE objection SET email_sealed = NULL WHERE id = ?")) {
            clear.setObject(1, id);
            clear.executeUpdate();
        }
        return true;
    }

    /**
     * The gemeente asks the professional who holds the objection's signal now for advice: they are told by e-mail
     * (notify/, without any detail of the youth), and they or a colleague of the same organisation answer with
     * {@link #advise}. Asking again before the advice came sends the e-mail again.
     *
     * @throws ProblemException 404 when there is no such objection here, 409 when it was decided or advised, or its
     *                          signal is no longer here
     */
    ObjectionView askAdvice(String username, UUID id) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            UUID signalId = lockOpen(c, id, true);
            String professional;
            String organisation;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT professional, organisation_id FROM signal WHERE id = ?")) {
                select.setObject(1, signalId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw Problems.conflict("signal-gone", "Signal no longer here", "id",
                                "the objection's signal is no longer at this node: nobody to ask");
                    }
                    professional = rs.getString(1);
                    organisation = rs.getString(2);
                }
            }
            Instant now = clock.instant();
            try (PreparedStatement update = c.prepareStatement("UPDATE objection SET advice_asked_at = ?,"
                    + " advice_asked_of = ?, advice_organisation = ?, advice_asked_by = ? WHERE id = ?")) {
                update.setTimestamp(1, Timestamp.from(now));
                update.setString(2, professional);
                update.setString(3, organisation);
                update.setString(4, username);
                update.setObject(5, id);
                update.executeUpdate();
            }
            Notifications.enqueueForAccount(c, professional, Notifications.OBJECTION_ADVICE_ASKED, id, now);
            audit.record(c, AuditEvent.of("bezwaar.advice-asked", NodeAudit.actor("gemeente", username),
                    audit.signal(signalId)).with("objection", audit.objection(id))
                    .with("of", NodeAudit.account(professional)));
            return select(c, "WHERE id = ?", id).get(0);
        });
    }

    /**
     * The professional's advice on objection {@code id}: by the professional asked, or by an active professional of
     * the same organisation (the one asked may have left). Stored encrypted like the reason.
     *
     * @throws ProblemException 400 naming {@code advice}; 404 when there is no such objection here or nobody of the
     *                          caller's organisation was asked; 409 when it was decided or advised before
     */
    ObjectionView advise(String username, UUID id, String advice) {
        validAdvice(advice);
        Optional<Account> account = accounts.find(username);
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            UUID signalId;
            try (PreparedStatement select = c.prepareStatement("SELECT signal_id, status, advice_asked_of,"
                    + " advice_organisation, advised_at FROM objection WHERE id = ? FOR UPDATE")) {
                select.setObject(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next() || rs.getString(3) == null) {
                        throw notFound(id);
                    }
                    boolean asked = username.equals(rs.getString(3));
                    boolean colleague = account.isPresent() && account.get().active()
                            && account.get().role() == Role.PROFESSIONAL
                            && rs.getString(4) != null && rs.getString(4).equals(account.get().organisationId());
                    if (!asked && !colleague) {
                        throw notFound(id); // not for this professional: the same as no such objection
                    }
                    if (!"OPEN".equals(rs.getString(2))) {
                        throw Problems.conflict("objection-decided", "Objection already decided", "id",
                                "the objection was already " + rs.getString(2).toLowerCase());
                    }
                    if (rs.getTimestamp(5) != null) {
                        throw Problems.conflict("advice-given", "Advice already given", "advice",
                                "advice on this objection was already given");
                    }
                    signalId = rs.getObject(1, UUID.class);
                }
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE objection SET advice_sealed = ?, advised_at = ?, advised_by = ? WHERE id = ?")) {
                update.setBytes(1, seal(advice, id, "advice"));
                update.setTimestamp(2, Timestamp.from(clock.instant()));
                update.setString(3, username);
                update.setObject(4, id);
                update.executeUpdate();
            }
            audit.record(c, AuditEvent.of("bezwaar.advised", NodeAudit.actor("prof", username),
                    audit.signal(signalId)).with("objection", audit.objection(id)));
            return select(c, "WHERE id = ?", id).get(0).withoutAdvice();
        });
    }

    /**
     * The open objections on which the gemeente asked the caller, or their organisation, for advice that has not
     * been given yet, the oldest deadline first: with the reason, so that the advice can answer it.
     */
    List<ObjectionView.AdviceRequest> adviceRequests(String username) {
        String organisation = accounts.find(username).map(Account::organisationId).orElse("");
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            List<ObjectionView.AdviceRequest> out = new ArrayList<>();
            for (ObjectionView o : select(c, "WHERE status = 'OPEN' AND advice_asked_at IS NOT NULL"
                    + " AND advised_at IS NULL AND (advice_asked_of = ? OR advice_organisation = ?)"
                    + " ORDER BY deadline, filed_at, id LIMIT 1000", username, organisation)) {
                out.add(new ObjectionView.AdviceRequest(o.node(), o.id(), o.signalId(), o.filedOn(), o.deadline(),
                        o.reason(), o.adviceAskedOn()));
            }
            audit.record(c, AuditEvent.of("bezwaar.listed", NodeAudit.actor("prof", username), "node:" + node.nodeId())
                    .with("count", out.size()).with("advice", true));
            return out;
        });
    }

    /**
     * Locks the objection and returns its signal's id; 404 when there is none, 409 when it is decided or, with
     * {@code unadvised}, when the advice was already given.
     */
    private UUID lockOpen(Connection c, UUID id, boolean unadvised) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT signal_id, status, advised_at FROM objection WHERE id = ? FOR UPDATE")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw notFound(id);
                }
                if (!"OPEN".equals(rs.getString(2))) {
                    throw Problems.conflict("objection-decided", "Objection already decided", "id",
                            "the objection was already " + rs.getString(2).toLowerCase());
                }
                if (unadvised && rs.getTimestamp(3) != null) {
                    throw Problems.conflict("advice-given", "Advice already given", "id",
                            "the professional's advice on this objection was already given");
                }
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private static boolean exists(Connection c, UUID id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM objection WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
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

    static UUID objectionId(String text) {
        try {
            if (text != null && text.length() == 36) {
                return UUID.fromString(text);
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw Problems.invalidField("id", "must be a new objection's id (a UUID)");
    }

    /** An address as the person left it, stripped; null for none. Also checked at the holding node (federation). */
    @Nullable
    static String validEmail(@Nullable String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        String address = email.strip();
        if (address.length() > ObjectionRequests.EMAIL_MAX || !ObjectionRequests.EMAIL.matcher(address).matches()) {
            throw Problems.invalidField("email", "must be an e-mail address (name@domain), at most "
                    + ObjectionRequests.EMAIL_MAX + " characters");
        }
        return address;
    }

    static void validAdvice(String advice) {
        if (advice == null || advice.isBlank() || advice.length() > ObjectionRequests.REASON_MAX) {
            throw Problems.invalidField("advice", "must be 1 to " + ObjectionRequests.REASON_MAX + " characters");
        }
    }

    static final String UPHELD = "UPHELD";
    static final String REJECTED = "REJECTED";

    static void validOutcome(@Nullable String outcome) {
        if (!UPHELD.equals(outcome) && !REJECTED.equals(outcome)) {
            throw Problems.invalidField("outcome", "must be UPHELD or REJECTED");
        }
    }

    static void validMotivation(@Nullable String motivation) {
        if (motivation == null || motivation.isBlank() || motivation.length() > ObjectionRequests.REASON_MAX) {
            throw Problems.invalidField("motivation", "must be 1 to " + ObjectionRequests.REASON_MAX + " characters");
        }
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
                "SELECT id, signal_id, status, reason_sealed, filed_at, deadline, motivation_sealed, decided_at,"
                        + " advice_asked_at, advice_sealed, advised_at, closed_because FROM objection " + where)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    byte[] motivation = rs.getBytes(7);
                    Timestamp decidedAt = rs.getTimestamp(8);
                    byte[] advice = rs.getBytes(10);
                    out.add(new ObjectionView(node.nodeId(), id.toString(), rs.getObject(2, UUID.class).toString(),
                            rs.getString(3), LocalDate.ofInstant(rs.getTimestamp(5).toInstant(), clock.getZone()),
                            rs.getObject(6, LocalDate.class), open(rs.getBytes(4), id, "reason"),
                            motivation == null ? null : open(motivation, id, "motivation"),
                            day(decidedAt), day(rs.getTimestamp(9)),
                            advice == null ? null : open(advice, id, "advice"), day(rs.getTimestamp(11)),
                            rs.getString(12)));
                }
            }
        }
        return out;
    }

    @Nullable
    private LocalDate day(@Nullable Timestamp at) {
        return at == null ? null : LocalDate.ofInstant(at.toInstant(), clock.getZone());
    }

    private byte[] seal(String text, UUID id, String what) {
        return keys.aead().encrypt(text.getBytes(StandardCharsets.UTF_8), associated(id, what));
    }

    private String open(byte[] sealed, UUID id, String what) throws GeneralSecurityException {
        return open(keys, sealed, id, what);
    }

    /** A value sealed for objection {@code id}'s column {@code what}, opened. */
    static String open(NodeKeys keys, byte[] sealed, UUID id, String what) throws GeneralSecurityException {
        return new String(keys.aead().decrypt(sealed, associated(id, what)), StandardCharsets.UTF_8);
    }

    /** Binds a sealed value to its objection and column, so it cannot be moved to another row unnoticed. */
    private static byte[] associated(UUID id, String what) {
        return ("betrokken/node/objection/" + id + "/" + what).getBytes(StandardCharsets.US_ASCII);
    }
}
