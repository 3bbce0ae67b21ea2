package nl.betrokken.node.organisation;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.account.Role;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.match.ContactChanges;
import nl.betrokken.node.outbox.OutboxSender;
import nl.betrokken.node.signal.SignalService;
import nl.betrokken.node.staff.NewStaffMember;
import nl.betrokken.node.staff.StaffRules;
import nl.betrokken.node.staff.StaffService;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gemeente's rules for the organisations of the convenant.
 *
 * <ul>
 *   <li>Admitting one makes the organisation (a name not used by another organisation that is not removed, one of
 *       the seven {@link Sector}s) and its instellingscoördinator's account in one transaction, through
 *       {@link StaffService#add}: a taken username is a 409 naming {@code coordinator.username}.</li>
 *   <li>A suspended organisation's accounts cannot sign in (account/Accounts reads them as inactive), so nobody
 *       registers or ends its signals; the signals stay as they are: active ones go on matching, and their
 *       counterparts keep the contact they have. Reinstating lifts it.</li>
 *   <li>Removing one needs a decision for every signal that is not archived: handed to a professional of another
 *       active organisation of this node ({@link SignalService#handToOrganisation}, the counterparts told the new
 *       contact through {@link ContactChanges}) or ended ({@link SignalService#end(Connection, String, UUID, String,
 *       String)}); then its accounts are deactivated ({@link StaffService#deactivateAll}). One transaction: a refusal
 *       changes nothing. A removed organisation stays removed.</li>
 *   <li>Every change is an audit entry by the gemeente's account; reading an organisation's accounts or signals is
 *       one too.</li>
 * </ul>
 */
@Singleton
public class OrganisationService {

    private static final Logger LOG = LoggerFactory.getLogger(OrganisationService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The status of an organisation that takes part. */
    public static final String ACTIVE = "ACTIVE";
    static final String SUSPENDED = "SUSPENDED";
    static final String REMOVED = "REMOVED";
    /** The longest reason for ending a signal, as {@code signal.end_reason} holds it. */
    static final int MAX_END_REASON = 500;
    private static final String COLUMNS = "o.id, o.name, o.sector, o.status, o.admitted_at,"
            + " (SELECT count(*) FROM account a WHERE a.organisation_id = o.id AND a.role = 'PROFESSIONAL'"
            + " AND a.active = TRUE),"
            + " (SELECT count(*) FROM signal s WHERE s.organisation_id = o.id AND s.status = 'ACTIVE')";

    private final TransactionOperations<Connection> transactions;
    private final StaffService staff;
    private final SignalService signals;
    private final ContactChanges contactChanges;
    private final OutboxSender sender;
    private final NodeAudit audit;
    private final Clock clock;

    OrganisationService(TransactionOperations<Connection> transactions, StaffService staff, SignalService signals,
                        ContactChanges contactChanges, OutboxSender sender, NodeAudit audit, Clock clock) {
        this.transactions = transactions;
        this.staff = staff;
        this.signals = signals;
        this.contactChanges = contactChanges;
        this.sender = sender;
        this.audit = audit;
        this.clock = clock;
    }

    /** Every organisation of this node, by name: active, suspended and removed. */
    public List<OrganisationView> list() {
        return transactions.executeRead(status -> {
            List<OrganisationView> out = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT " + COLUMNS + " FROM organisation o ORDER BY lower(o.name), o.id");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    out.add(view(rs));
                }
            }
            return out;
        });
    }

    /** The organisation with its accounts; the read is an audit entry (the accounts' contact data). 404 if none. */
    public OrganisationView.Detail find(String actor, String id) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            OrganisationView organisation = view(c, id, false);
            List<OrganisationView.Member> accounts = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT username, role, display_name, email, active"
                    + " FROM account WHERE organisation_id = ? ORDER BY role DESC, lower(display_name), username")) {
                select.setString(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        accounts.add(new OrganisationView.Member(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getBoolean(5)));
                    }
                }
            }
            int open = count(c, "SELECT count(*) FROM signal WHERE organisation_id = ? AND status <> 'ARCHIVED'", id);
            audit.record(c, AuditEvent.of("organisation.viewed", NodeAudit.actor("gemeente", actor),
                    organisationRef(id)));
            return new OrganisationView.Detail(organisation, accounts, open);
        });
    }

    /**
     * The admission's broken rules, in the order of the form; empty when it may be admitted (a taken name or username
     * is found only when admitting).
     */
    public static List<Problem.Violation> check(Admission a) {
        List<Problem.Violation> out = new ArrayList<>();
        if (blank(a.name())) {
            out.add(new Problem.Violation("name", "is required"));
        } else if (a.name().strip().length() > 200) {
            out.add(new Problem.Violation("name", "must be at most 200 characters"));
        }
        if (blank(a.sector())) {
            out.add(new Problem.Violation("sector", "is required"));
        } else if (Sector.of(a.sector()) == null) {
            out.add(new Problem.Violation("sector", "must be one of " + List.of(Sector.values())));
        }
        Admission.Coordinator k = a.coordinator() == null ? new Admission.Coordinator(null, null, null, null)
                : a.coordinator();
        if (blank(k.username())) {
            out.add(new Problem.Violation("coordinator.username", "is required"));
        } else if (!k.username().matches(StaffRules.USERNAME)) {
            out.add(new Problem.Violation("coordinator.username", "must be 3 to 100 letters, digits or . _ @ -"));
        }
        if (blank(k.displayName())) {
            out.add(new Problem.Violation("coordinator.displayName", "is required"));
        } else if (k.displayName().strip().length() > 200) {
            out.add(new Problem.Violation("coordinator.displayName", "must be at most 200 characters"));
        }
        if (blank(k.email())) {
            out.add(new Problem.Violation("coordinator.email", "is required"));
        } else if (k.email().strip().length() > 200 || !k.email().strip().matches(StaffRules.EMAIL)) {
            out.add(new Problem.Violation("coordinator.email", "must be an e-mail address"));
        }
        if (k.initialPassword() != null && !k.initialPassword().isEmpty()
                && (k.initialPassword().length() < 12 || k.initialPassword().length() > 72)) {
            out.add(new Problem.Violation("coordinator.initialPassword", "must be 12 to 72 characters"));
        }
        return out;
    }

    /**
     * Admits the organisation with its coördinator's account, in one transaction. 400 naming the first broken rule
     * ({@link #check}); 409 naming {@code name} when another organisation that is not removed has that name, or
     * {@code coordinator.username} when the username is taken at this node.
     */
    public OrganisationView admit(String actor, Admission a) {
        List<Problem.Violation> broken = check(a);
        if (!broken.isEmpty()) {
            throw Problems.invalidField(broken.get(0).field(), broken.get(0).message());
        }
        String name = a.name().strip();
        Admission.Coordinator k = a.coordinator();
        String id = "org-" + hex(6);
        OrganisationView admitted = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM organisation WHERE lower(name) = lower(?)"
                    + " AND status <> 'REMOVED'")) {
                select.setString(1, name);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        throw Problems.conflict("organisation-exists", "Organisation exists", "name",
                                "there is already an organisation with this name in the convenant");
                    }
                }
            }
            Timestamp now = Timestamp.from(clock.instant());
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO organisation (id, name, ref, sector, status,"
                    + " admitted_at, status_changed_at) VALUES (?, ?, ?, ?, 'ACTIVE', ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, name);
                insert.setString(3, "o-" + hex(8));
                insert.setString(4, a.sector());
                insert.setTimestamp(5, now);
                insert.setTimestamp(6, now);
                insert.executeUpdate();
            }
            String password = k.initialPassword() == null || k.initialPassword().isEmpty() ? null : k.initialPassword();
            try {
                staff.add(new StaffService.Caller(actor, id, "gemeente"), new NewStaffMember(k.username(),
                        k.displayName().strip(), k.email().strip(), null, Role.COORDINATOR.name(), password));
            } catch (ProblemException e) {
                throw asCoordinatorField(e);
            }
            audit.record(c, AuditEvent.of("organisation.admitted", NodeAudit.actor("gemeente", actor),
                    organisationRef(id)).with("sector", a.sector()).with("coordinator", NodeAudit.account(k.username())));
            return view(c, id, false);
        });
        LOG.info("organisations: organisation {} admitted", id);
        return admitted;
    }

    /** The staff rules' refusal, naming the field as this API does ({@code coordinator.…}). */
    private static ProblemException asCoordinatorField(ProblemException e) {
        Problem p = e.problem();
        if (p.violations() == null || p.violations().isEmpty()) {
            return e;
        }
        String field = "coordinator." + p.violations().get(0).field();
        return p.status() == 409 ? Problems.conflict("account-exists", "Account exists", field, p.detail())
                : Problems.invalidField(field, p.violations().get(0).message());
    }

    /** Suspends an active organisation: its accounts can no longer sign in. 409 naming {@code id} otherwise. */
    public OrganisationView suspend(String actor, String id) {
        return changeStatus(actor, id, ACTIVE, SUSPENDED, "organisation.suspended");
    }

    /** Lifts a suspension. 409 naming {@code id} when the organisation is not suspended. */
    public OrganisationView reinstate(String actor, String id) {
        return changeStatus(actor, id, SUSPENDED, ACTIVE, "organisation.reinstated");
    }

    private OrganisationView changeStatus(String actor, String id, String from, String to, String event) {
        OrganisationView changed = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            OrganisationView before = view(c, id, true);
            if (!from.equals(before.status())) {
                throw Problems.conflict("organisation-" + before.status().toLowerCase(), "Organisation "
                        + before.status().toLowerCase(), "id", "the organisation is " + before.status().toLowerCase());
            }
            setStatus(c, id, to);
            audit.record(c, AuditEvent.of(event, NodeAudit.actor("gemeente", actor), organisationRef(id)));
            return view(c, id, false);
        });
        LOG.info("organisations: organisation {} {}", id, to.toLowerCase());
        return changed;
    }

    /**
     * The organisation's signals that are not archived, each needing a decision before it is removed, and the
     * professionals of the other active organisations who may take them; the read is an audit entry.
     */
    public OrganisationView.ToDecide toDecide(String actor, String id) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            view(c, id, false);
            List<OrganisationView.OpenSignal> open = openSignals(c, id);
            List<OrganisationView.Candidate> candidates = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT a.username, a.display_name, o.name FROM account a"
                    + " JOIN organisation o ON o.id = a.organisation_id WHERE a.role = 'PROFESSIONAL' AND a.active = TRUE"
                    + " AND o.status = 'ACTIVE' AND o.id <> ? ORDER BY lower(o.name), lower(a.display_name), a.username")) {
                select.setString(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(new OrganisationView.Candidate(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            audit.record(c, AuditEvent.of("organisation.signals-listed", NodeAudit.actor("gemeente", actor),
                    organisationRef(id)).with("count", open.size()));
            return new OrganisationView.ToDecide(open, candidates);
        });
    }

    /**
     * Removes the organisation, carrying out a decision for each of its signals that is not archived (an ended one
     * needs none: without a hand-over it stays ended), then deactivating its accounts; one transaction. Refused,
     * naming the field, with nothing changed: an active signal without a decision ({@code decisions.<id>}, 400), a
     * decision for a signal that is not the organisation's, with both or neither of {@code handOverTo} and {@code
     * endReason}, a blank or long reason, or a {@code handOverTo} who is no active professional of another active
     * organisation (400, naming {@code decisions.<id>…}), that organisation already holding an active signal on the
     * youth (409), the organisation removed before (409, {@code id}).
     */
    public OrganisationView.Removed remove(String actor, String id, Removal removal) {
        Map<String, Removal.Decision> decisions = removal.decisions() == null ? Map.of() : removal.decisions();
        OrganisationView.Removed removed = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            OrganisationView before = view(c, id, true);
            if (REMOVED.equals(before.status())) {
                throw Problems.conflict("organisation-removed", "Organisation removed", "id",
                        "the organisation is removed already");
            }
            Map<String, OrganisationView.OpenSignal> open = new LinkedHashMap<>();
            for (OrganisationView.OpenSignal s : openSignals(c, id)) {
                open.put(s.id().toString(), s);
            }
            for (String key : decisions.keySet()) {
                if (!open.containsKey(key)) {
                    throw Problems.invalidField("decisions." + key, "is no signal of this organisation to decide on");
                }
            }
            for (String key : open.keySet()) {
                Removal.Decision d = decisions.get(key);
                String field = "decisions." + key;
                if (d == null && !"ACTIVE".equals(open.get(key).status())) {
                    continue; // ended already: it stays so, unless handed over
                }
                if (d == null || blank(d.handOverTo()) == blank(d.endReason())) {
                    throw Problems.invalidField(field, "needs a decision: handOverTo (a professional of another"
                            + " organisation) or endReason, one of the two");
                }
                if (!blank(d.endReason()) && d.endReason().strip().length() > MAX_END_REASON) {
                    throw Problems.invalidField(field + ".endReason", "must be at most " + MAX_END_REASON
                            + " characters");
                }
            }
            int handedOver = 0;
            int ended = 0;
            List<String> moved = new ArrayList<>();
            String gemeente = NodeAudit.actor("gemeente", actor);
            for (Map.Entry<String, OrganisationView.OpenSignal> e : open.entrySet()) {
                Removal.Decision d = decisions.get(e.getKey());
                UUID signalId = e.getValue().id();
                String field = "decisions." + e.getKey();
                if (d == null) {
                    continue;
                }
                if (!blank(d.handOverTo())) {
                    String target = takerOrganisation(c, d.handOverTo().strip(), id)
                            .orElseThrow(() -> Problems.invalidField(field + ".handOverTo",
                                    "is no active professional of another active organisation of this region"));
                    moved.add(signals.handToOrganisation(c, signalId, target, d.handOverTo().strip(),
                            field + ".handOverTo"));
                    audit.record(c, AuditEvent.of("signal.handed-over", gemeente, audit.signal(signalId))
                            .with("toOrganisation", NodeAudit.reference(target))
                            .with("to", NodeAudit.account(d.handOverTo().strip())));
                    handedOver++;
                } else if ("ACTIVE".equals(e.getValue().status())) {
                    signals.end(c, id, signalId, d.endReason().strip(), gemeente);
                    ended++;
                }
            }
            contactChanges.changed(c, moved);
            int deactivated = staff.deactivateAll(c, new StaffService.Caller(actor, id, "gemeente"));
            setStatus(c, id, REMOVED);
            try (PreparedStatement drafts = c.prepareStatement(
                    "DELETE FROM organisation_removal_draft WHERE organisation_id = ?")) {
                drafts.setString(1, id);
                drafts.executeUpdate();
            }
            if (count(c, "SELECT count(*) FROM signal WHERE organisation_id = ? AND status = 'ACTIVE'", id) > 0) {
                // A signal registered while this ran: decide on it too.
                throw Problems.conflict("signals-changed", "Signals changed", "decisions",
                        "a signal of this organisation was registered meanwhile; decide on it too");
            }
            audit.record(c, AuditEvent.of("organisation.removed", gemeente, organisationRef(id))
                    .with("handedOver", handedOver).with("ended", ended).with("accountsDeactivated", deactivated));
            return new OrganisationView.Removed(view(c, id, false), handedOver, ended, deactivated);
        });
        sender.wake();
        LOG.info("organisations: organisation {} removed, {} signal(s) handed over, {} ended", id,
                removed.handedOver(), removed.ended());
        return removed;
    }

    /** The organisation of {@code username} if it is an active professional of another active organisation. */
    private static Optional<String> takerOrganisation(Connection c, String username, String leaving)
            throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT username FROM account WHERE username = ? FOR UPDATE")) {
            lock.setString(1, username);
            lock.executeQuery().close();
        }
        try (PreparedStatement select = c.prepareStatement("SELECT a.organisation_id FROM account a"
                + " JOIN organisation o ON o.id = a.organisation_id WHERE a.username = ? AND a.role = 'PROFESSIONAL'"
                + " AND a.active = TRUE AND o.status = 'ACTIVE' AND o.id <> ?")) {
            select.setString(1, username);
            select.setString(2, leaving);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static List<OrganisationView.OpenSignal> openSignals(Connection c, String id) throws SQLException {
        List<OrganisationView.OpenSignal> out = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT s.id, s.status, s.registered_on, s.active_until,"
                + " a.display_name, (SELECT count(*) FROM node_match m WHERE m.signal_id = s.id AND m.status = 'ACTIVE')"
                + " FROM signal s JOIN account a ON a.username = s.professional"
                + " WHERE s.organisation_id = ? AND s.status <> 'ARCHIVED' ORDER BY s.created_at, s.id")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    out.add(new OrganisationView.OpenSignal(rs.getObject(1, UUID.class), rs.getString(2),
                            rs.getObject(3, LocalDate.class), rs.getObject(4, LocalDate.class), rs.getString(5),
                            rs.getInt(6)));
                }
            }
        }
        return out;
    }

    /** The organisation; locked for this transaction with {@code lock}; 404 when there is none. */
    private static OrganisationView view(Connection c, String id, boolean lock) throws SQLException {
        if (lock) {
            try (PreparedStatement select = c.prepareStatement("SELECT id FROM organisation WHERE id = ? FOR UPDATE")) {
                select.setString(1, id);
                select.executeQuery().close();
            }
        }
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM organisation o WHERE o.id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw Problems.notFound("organisation-not-found", "Organisation not found",
                            "there is no organisation " + id + " at this node");
                }
                return view(rs);
            }
        }
    }

    private static OrganisationView view(ResultSet rs) throws SQLException {
        Timestamp admitted = rs.getTimestamp(5);
        return new OrganisationView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                admitted == null ? null : admitted.toInstant(), rs.getInt(6), rs.getInt(7));
    }

    private void setStatus(Connection c, String id, String to) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE organisation SET status = ?, status_changed_at = ? WHERE id = ?")) {
            update.setString(1, to);
            update.setTimestamp(2, Timestamp.from(clock.instant()));
            update.setString(3, id);
            update.executeUpdate();
        }
    }

    private static int count(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String organisationRef(String id) {
        return "organisation:" + NodeAudit.reference(id);
    }

    private static boolean blank(@Nullable String s) {
        return s == null || s.isBlank();
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
