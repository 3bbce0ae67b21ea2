package nl.betrokken.node.staff;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.account.Passwords;
import nl.betrokken.node.account.Role;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.match.ContactChanges;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instellingscoördinator's rules for the organisation's accounts.
 *
 * <ul>
 *   <li>A coördinator sees and changes only the accounts of their own organisation; another organisation's account
 *       is a 404, as if it did not exist.</li>
 *   <li>Deactivating a professional who still has signals (active, or ended and not yet archived) needs
 *       {@code handOverTo}: an active professional of the same organisation, not the leaver. Deactivation and
 *       hand-over are one transaction: the signals, and with them their open matches, move, the account is
 *       deactivated, and the other side of each open match is told the new contact.</li>
 *   <li>Every change is recorded in {@code staff_change} with the names of the fields changed, never their values;
 *       the application log names no account.</li>
 * </ul>
 */
@Singleton
public class StaffService {

    private static final Logger LOG = LoggerFactory.getLogger(StaffService.class);
    private static final String COLUMNS = "username, role, display_name, email, phone, active,"
            + " password_hash IS NOT NULL,"
            + " (SELECT count(*) FROM signal s WHERE s.professional = account.username AND s.status = 'ACTIVE'),"
            + " (SELECT count(*) FROM signal s WHERE s.professional = account.username AND s.status <> 'ARCHIVED')";

    private final TransactionOperations<Connection> transactions;
    private final ContactChanges contactChanges;
    private final Clock clock;
    private final NodeAudit audit;
    private final boolean passwords;

    StaffService(TransactionOperations<Connection> transactions, ContactChanges contactChanges, Clock clock,
                 NodeAudit audit, Environment environment) {
        this.transactions = transactions;
        this.contactChanges = contactChanges;
        this.clock = clock;
        this.audit = audit;
        this.passwords = Passwords.allowed(environment);
    }

    /** The signed-in instellingscoördinator. */
    public record Caller(String username, String organisationId) {
    }

    /** The organisation's accounts, by username. */
    public List<StaffMember> list(Caller caller) {
        return transactions.executeRead(status -> {
            List<StaffMember> out = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT " + COLUMNS + " FROM account WHERE organisation_id = ? ORDER BY username")) {
                select.setString(1, caller.organisationId());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.add(member(rs));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Adds an account to the caller's organisation. {@code initialPassword} is refused (400 naming it, nothing written)
     * outside the dev environment: a production node has no password sign-in, so a password account there would be a
     * backdoor waiting for Basic to be turned on.
     */
    public StaffMember add(Caller caller, NewStaffMember request) {
        if (request.initialPassword() != null && !passwords) {
            throw Problems.invalidField("initialPassword", "password sign-in is off at this node; the account signs in"
                    + " through the region's identity provider, leave initialPassword out");
        }
        String hash = request.initialPassword() == null ? null : Passwords.hash(request.initialPassword());
        String role = request.role() == null ? Role.PROFESSIONAL.name() : request.role();
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            if (find(c, request.username(), null).isPresent()) {
                throw accountExists();
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO account (username, password_hash, role, organisation_id, display_name, email, phone,"
                            + " active) VALUES (?, ?, ?, ?, ?, ?, ?, TRUE)")) {
                insert.setString(1, request.username());
                insert.setString(2, hash);
                insert.setString(3, role);
                insert.setString(4, caller.organisationId());
                insert.setString(5, request.displayName().strip());
                insert.setString(6, request.email());
                insert.setString(7, blankToNull(request.phone()));
                insert.executeUpdate();
            } catch (SQLException e) {
                // The same username added twice at once: both looked and found none, the second insert meets the
                // first one's key. The same answer as when it was there before.
                if ("23505".equals(e.getSQLState())) {
                    throw accountExists();
                }
                throw e;
            }
            record(c, "coord", caller, request.username(), "CREATED", null, null, null, null);
            LOG.info("staff: an account ({}) added in organisation {}", role, caller.organisationId());
            return find(c, request.username(), caller.organisationId()).orElseThrow();
        });
    }

    private static ProblemException accountExists() {
        return Problems.conflict("account-exists", "Account exists", "username",
                "there is already an account with this username at this node");
    }

    /** Changes the given contact fields; the other side of the account's open matches sees the new contact. */
    public StaffMember changeContact(Caller caller, String username, ContactUpdate update) {
        return changeContact("coord", caller, username, update);
    }

    /**
     * The signed-in professional changes their own contact data ({@code /api/v1/me}, the werkplek's "Mijn gegevens"):
     * the same rules and the same record as a coördinator's change, with the professional as actor.
     */
    public StaffMember changeOwnContact(Caller self, ContactUpdate update) {
        return changeContact("prof", self, self.username(), update);
    }

    /** The signed-in user's own account. */
    public StaffMember own(Caller self) {
        return transactions.executeRead(status -> find(status.getConnection(), self.username(), self.organisationId())
                .orElseThrow(() -> notFound(self.username())));
    }

    private StaffMember changeContact(String actorKind, Caller caller, String username, ContactUpdate update) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            StaffMember before = lock(c, caller, username);
            Map<String, String> changed = new LinkedHashMap<>();
            if (update.displayName() != null && !update.displayName().strip().equals(before.displayName())) {
                changed.put("display_name", update.displayName().strip());
            }
            if (update.email() != null && !update.email().equals(before.email())) {
                changed.put("email", update.email());
            }
            if (update.phone() != null && !Objects.equals(blankToNull(update.phone()), before.phone())) {
                changed.put("phone", blankToNull(update.phone()));
            }
            if (changed.isEmpty()) {
                return before;
            }
            for (Map.Entry<String, String> e : changed.entrySet()) {
                // The column names come from the fixed set above, never from input.
                try (PreparedStatement update1 = c.prepareStatement(
                        "UPDATE account SET " + e.getKey() + " = ? WHERE username = ?")) {
                    update1.setString(1, e.getValue());
                    update1.setString(2, username);
                    update1.executeUpdate();
                }
            }
            List<String> fields = changed.keySet().stream().map(StaffService::fieldName).toList();
            contactChanges.changed(c, openSignalRefs(c, username));
            record(c, actorKind, caller, username, "CONTACT_CHANGED", String.join(",", fields), null, null, null);
            LOG.info("staff: {} of an account changed in organisation {}", fields, caller.organisationId());
            return find(c, username, caller.organisationId()).orElseThrow();
        });
    }

    /** Deactivates {@code username}, handing its signals and their open matches over to {@code handOverTo}. */
    public StaffMember deactivate(Caller caller, String username, @Nullable String handOverTo) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            StaffMember leaver = lock(c, caller, username);
            if (username.equals(caller.username())) {
                throw Problems.invalidField("username", "is your own account; another coördinator deactivates it");
            }
            if (!leaver.active()) {
                throw Problems.conflict("account-inactive", "Account already inactive", "username",
                        "this account is already deactivated");
            }
            List<String> refs = openSignalRefs(c, username);
            if (handOverTo == null) {
                if (!refs.isEmpty()) {
                    throw Problems.conflict("hand-over-required", "Hand-over required", "handOverTo",
                            "this professional still has " + refs.size() + " signal(s); name a colleague to take them over");
                }
            } else {
                if (handOverTo.equals(username)) {
                    throw Problems.invalidField("handOverTo", "is the professional who leaves");
                }
                colleague(c, caller, handOverTo, "handOverTo");
                try (PreparedStatement move = c.prepareStatement(
                        "UPDATE signal SET professional = ? WHERE professional = ? AND organisation_id = ?"
                                + " AND status <> 'ARCHIVED'")) {
                    move.setString(1, handOverTo);
                    move.setString(2, username);
                    move.setString(3, caller.organisationId());
                    move.executeUpdate();
                }
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE account SET active = FALSE WHERE username = ?")) {
                update.setString(1, username);
                update.executeUpdate();
            }
            if (handOverTo != null) {
                contactChanges.changed(c, refs);
            }
            record(c, "coord", caller, username, "DEACTIVATED", null, handOverTo, handOverTo == null ? 0 : refs.size(),
                    null);
            LOG.info("staff: an account deactivated in organisation {}, {} signal(s) handed over", caller.organisationId(),
                    handOverTo == null ? 0 : refs.size());
            return find(c, username, caller.organisationId()).orElseThrow();
        });
    }

    /** The organisation's change log, newest first. */
    public List<StaffChange> changes(Caller caller) {
        return transactions.executeRead(status -> {
            List<StaffChange> out = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT id, changed_at, actor, subject, action, fields, hand_over_to, signals_moved"
                            + " FROM staff_change WHERE organisation_id = ? ORDER BY id DESC LIMIT 1000")) {
                select.setString(1, caller.organisationId());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        String fields = rs.getString(6);
                        int moved = rs.getInt(8);
                        out.add(new StaffChange(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                                rs.getString(4), rs.getString(5), fields == null ? null : Arrays.asList(fields.split(",")),
                                rs.getString(7), rs.wasNull() ? null : moved));
                    }
                }
            }
            return out;
        });
    }

    static ProblemException notFound(String username) {
        return Problems.notFound("account-not-found", "Account not found",
                "there is no account " + username + " in your organisation");
    }

    /** The account, locked for this transaction, if it belongs to the caller's organisation; else 404. */
    private static StaffMember lock(Connection c, Caller caller, String username) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT username FROM account WHERE username = ? AND organisation_id = ? FOR UPDATE")) {
            select.setString(1, username);
            select.setString(2, caller.organisationId());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw notFound(username);
                }
            }
        }
        return find(c, username, caller.organisationId()).orElseThrow(() -> notFound(username));
    }

    /** The account; with {@code organisationId}, only if it belongs to that organisation. */
    private static Optional<StaffMember> find(Connection c, String username, @Nullable String organisationId)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM account WHERE username = ?"
                + (organisationId == null ? "" : " AND organisation_id = ?"))) {
            select.setString(1, username);
            if (organisationId != null) {
                select.setString(2, organisationId);
            }
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(member(rs)) : Optional.empty();
            }
        }
    }

    private static StaffMember member(ResultSet rs) throws SQLException {
        return new StaffMember(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getBoolean(6), rs.getBoolean(7), rs.getInt(8), rs.getInt(9));
    }

    /** The references of the account's signals that are not archived (active, or ended and not yet archived). */
    private static List<String> openSignalRefs(Connection c, String username) throws SQLException {
        List<String> refs = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT ref FROM signal WHERE professional = ? AND status <> 'ARCHIVED' ORDER BY ref")) {
            select.setString(1, username);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    refs.add(rs.getString(1));
                }
            }
        }
        return refs;
    }

    /**
     * Hands one signal of the caller's organisation (active, or ended and not yet archived) to {@code to}, an active
     * professional of the same organisation: the signal and with it its open matches move, the other side of each
     * open match is told the new contact ({@link ContactChanges}), and the change is recorded in the change log
     * ({@code HANDED_OVER}) and the audit log. Handing it to the one who has it already changes nothing (a retry).
     *
     * @throws ProblemException 404 for no such signal of the organisation; 400 naming {@code to} for someone who is
     *         no professional of it; 409 naming {@code to} for a deactivated colleague
     */
    public void handOver(Caller caller, UUID signalId, String to) {
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            String ref;
            String from;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT ref, professional FROM signal WHERE id = ? AND organisation_id = ? AND status <> 'ARCHIVED'"
                            + " FOR UPDATE")) {
                select.setObject(1, signalId);
                select.setString(2, caller.organisationId());
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw Problems.notFound("signal-not-found", "Signal not found",
                                "there is no signal " + signalId + " of your organisation");
                    }
                    ref = rs.getString(1);
                    from = rs.getString(2);
                }
            }
            if (to.equals(from)) {
                return null;
            }
            colleague(c, caller, to, "to");
            try (PreparedStatement move = c.prepareStatement("UPDATE signal SET professional = ? WHERE id = ?")) {
                move.setString(1, to);
                move.setObject(2, signalId);
                move.executeUpdate();
            }
            contactChanges.changed(c, List.of(ref));
            record(c, "prof", caller, from, "HANDED_OVER", null, to, 1, audit.signal(signalId));
            return null;
        });
    }

    /**
     * The active professional {@code username} of the caller's organisation, locked, who takes signals over; else
     * 400 or 409 naming {@code field}.
     */
    private static StaffMember colleague(Connection c, Caller caller, String username, String field)
            throws SQLException {
        StaffMember colleague = find(c, username, caller.organisationId())
                .orElseThrow(() -> Problems.invalidField(field, "is no account of your organisation"));
        if (!Role.PROFESSIONAL.name().equals(colleague.role())) {
            throw Problems.invalidField(field, "is not a professional");
        }
        lock(c, caller, username);
        if (!colleague.active()) {
            throw Problems.conflict("colleague-inactive", "Colleague inactive", field,
                    "this colleague's account is deactivated");
        }
        return colleague;
    }

    /** The organisation's active professionals, by name: whom a signal can be handed to. */
    public List<StaffMember> colleagues(Caller caller) {
        return list(caller).stream().filter(m -> m.active() && Role.PROFESSIONAL.name().equals(m.role()))
                .sorted(java.util.Comparator.comparing(StaffMember::displayName)).toList();
    }

    private void record(Connection c, String actorKind, Caller caller, String subject, String action,
                        @Nullable String fields, @Nullable String handOverTo, @Nullable Integer signalsMoved,
                        @Nullable String signal) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO staff_change (changed_at, organisation_id, actor, subject, action, fields, hand_over_to,"
                        + " signals_moved) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setTimestamp(1, Timestamp.from(clock.instant()));
            insert.setString(2, caller.organisationId());
            insert.setString(3, caller.username());
            insert.setString(4, subject);
            insert.setString(5, action);
            insert.setString(6, fields);
            insert.setString(7, handOverTo);
            insert.setObject(8, signalsMoved);
            insert.executeUpdate();
        }
        AuditEvent event = AuditEvent.of("staff." + action.toLowerCase().replace('_', '-'),
                NodeAudit.actor(actorKind, caller.username()), NodeAudit.account(subject));
        if (signal != null) {
            event = event.with("signal", signal);
        }
        if (fields != null) {
            event = event.with("fields", fields);
        }
        if (handOverTo != null) {
            event = event.with("handOverTo", NodeAudit.account(handOverTo)).with("signalsMoved", signalsMoved);
        }
        audit.record(c, event);
    }

    /** The API's name of a column. */
    private static String fieldName(String column) {
        return "display_name".equals(column) ? "displayName" : column;
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
