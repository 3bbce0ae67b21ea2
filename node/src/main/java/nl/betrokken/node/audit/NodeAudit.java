package nl.betrokken.node.audit;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.audit.AuditLog;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.keys.NodeKeys;

/**
 * The node's audit log ({@link AuditLog}, origin {@code betrokken/node/<node id>}): every event that reads or changes
 * personal data at this node is appended, in the transaction of the change ({@link #record(Connection, AuditEvent)}),
 * or for a read or a refusal in one of its own ({@link #record(AuditEvent)}).
 *
 * <p>Entries name people by reference only (docs/audit.md): accounts by username ({@code prof:…}, {@code coord:…},
 * {@code gemeente:…}, {@code auditor:…}, {@code account:…}), other nodes by id ({@code node:oost}), jobs as
 * {@code system:<job>}, and signals and matches by a keyed reference ({@link #signal}, {@link #match}), never by
 * their id: the log outlives a signal's erasure, and the id was shown to professionals and their systems.
 *
 * <p><b>Held back (Veilig Thuis).</b> A signal registered without informing the parents is {@linkplain #hold held}:
 * until the gemeente {@linkplain #release releases} it, every entry about it (its subject, or its {@code signal}
 * detail) is appended sealed: the tree commits to it at once, its content stays out of the log until released.
 */
@Singleton
public class NodeAudit {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AuditLog log;
    private final TransactionOperations<Connection> transactions;
    private final NodeKeys keys;
    private final Clock clock;
    private final HoldReviews reviews;

    NodeAudit(TransactionOperations<Connection> transactions, NodeKeys keys, NodeConfiguration node, Clock clock,
              HoldReviews reviews) {
        this.log = new AuditLog(NodeKeys.auditLogName(node.nodeId()));
        this.transactions = transactions;
        this.keys = keys;
        this.clock = clock;
        this.reviews = reviews;
    }

    /** Appends {@code event} in the caller's transaction; sealed when it is about a held-back signal. */
    public void record(Connection c, AuditEvent event) throws SQLException {
        Optional<String> hold = heldBy(c, event);
        if (hold.isEmpty()) {
            log.append(c, clock.instant(), event);
            return;
        }
        long index = log.appendSealed(c, clock.instant(), event, RANDOM);
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO audit_held_entry (idx, reference) VALUES (?, ?)")) {
            insert.setLong(1, index);
            insert.setString(2, hold.get());
            insert.executeUpdate();
        }
    }

    /** Appends {@code event} in a transaction of its own (reads, refusals, runs). */
    public void record(AuditEvent event) {
        transactions.executeWrite(status -> {
            record(status.getConnection(), event);
            return null;
        });
    }

    /** The signal's reference in the log: {@code signal:} and 32 hex characters, the same in every entry. */
    public String signal(UUID id) {
        return "signal:" + keys.auditReference("signal/" + id);
    }

    /** The match's reference in the log: {@code match:} and 32 hex characters. */
    public String match(UUID id) {
        return "match:" + keys.auditReference("match/" + id);
    }

    /** The objection's reference in the log: {@code objection:} and 32 hex characters. */
    public String objection(UUID id) {
        return "objection:" + keys.auditReference("objection/" + id);
    }

    /** A consent's reference in the log (consent/, exchange/): {@code consent:} and 32 hex characters. */
    public String consent(UUID id) {
        return "consent:" + keys.auditReference("consent/" + id);
    }

    /**
     * A message's reference in the log (exchange/): {@code exchange:} and 32 hex characters. An exchange under the
     * Veilig Thuis exception is {@linkplain #hold(Connection, String) held} by it.
     */
    public String exchange(UUID messageId) {
        return "exchange:" + keys.auditReference("exchange/" + messageId);
    }

    /**
     * A Veilig Thuis look-up's reference in the log (veiligthuis/): {@code lookup:} and 32 hex characters. At the asking
     * node the look-up itself ({@code signalId} null); at a holding node the look-up of one of its signals, which is
     * {@linkplain #hold(Connection, String) held} by it until the gemeente releases it.
     */
    public String lookup(UUID lookupId, @io.micronaut.core.annotation.Nullable UUID signalId) {
        return "lookup:" + keys.auditReference("lookup/" + lookupId + (signalId == null ? "" : "/" + signalId));
    }

    /** A value made fit for an entry: characters an entry may not hold become {@code _}, at most 100 of them. */
    public static String reference(String raw) {
        return AuditEvent.reference(raw, 100);
    }

    /** {@code prof:<username>} and the like: an account acting in a role ({@code prof}, {@code coord}, …). */
    public static String actor(String role, String username) {
        return role + ":" + reference(username);
    }

    /** {@code account:<username>}: an account as the subject of an entry. */
    public static String account(String username) {
        return "account:" + reference(username);
    }

    /**
     * Holds the signal back from its parents: from now on, entries about it are sealed until {@link #release}.
     * In the caller's transaction, before the registration's entry.
     */
    public void hold(Connection c, UUID signalId) throws SQLException {
        hold(c, signal(signalId));
    }

    /**
     * Holds {@code reference} back ({@code signal:…}, or {@code exchange:…} for an exchange of information under the
     * Veilig Thuis exception, or {@code lookup:…} for a Veilig Thuis worker's look-up of a signal, whose entries have
     * that reference as subject and carry the {@code signal} detail):
     * entries about it are sealed until {@link #release}. In the caller's transaction, before the first entry. Holding
     * it again changes nothing. A new hold gets its first review date ({@link HoldReviews#started}).
     */
    public void hold(Connection c, String reference) throws SQLException {
        // Held once: an exchange between two signals of this node holds its reference for both of its copies.
        Instant now = clock.instant();
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO audit_hold (reference, held_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, reference);
            insert.setTimestamp(2, Timestamp.from(now));
            if (insert.executeUpdate() == 1) {
                reviews.started(reference, now);
            }
        }
    }

    /**
     * Releases the hold {@code reference} ({@code signal:…}): its sealed entries are opened, later entries about it are
     * appended open, and the release is itself an entry (by {@code actor}). Returns how many entries were opened, or
     * empty when there is no such hold waiting for release.
     */
    Optional<Integer> release(String reference, String actor) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE audit_hold SET released_at = ?, released_by = ? WHERE reference = ? AND released_at IS NULL")) {
                update.setTimestamp(1, Timestamp.from(clock.instant()));
                update.setString(2, actor);
                update.setString(3, reference);
                if (update.executeUpdate() == 0) {
                    return Optional.<Integer>empty();
                }
            }
            List<Long> sealed = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT idx FROM audit_held_entry WHERE reference = ? ORDER BY idx")) {
                select.setString(1, reference);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        sealed.add(rs.getLong(1));
                    }
                }
            }
            for (long index : sealed) {
                log.release(c, index, clock.instant());
            }
            AuditEvent released = AuditEvent.of("audit.released", actor, reference).with("entries", sealed.size());
            if (!reference.startsWith("signal:")) {
                // An exchange's (or a look-up's) release names the signal its entries were about, so the parent's access log shows it.
                Optional<String> signal = signalOfEntries(c, sealed);
                if (signal.isPresent()) {
                    released = released.with("signal", signal.get());
                }
            }
            record(c, released);
            return Optional.of(sealed.size());
        });
    }

    /** Whether {@code reference} ({@code signal:…}) is held back and waits for release. */
    boolean isHeld(String reference) {
        return transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT 1 FROM audit_hold WHERE reference = ? AND released_at IS NULL")) {
                select.setString(1, reference);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /**
     * The holds not yet released, oldest first: reference, since when, and how many entries wait; all of them, or only
     * the one named {@code reference} when it is not null.
     */
    List<Held> held(@Nullable String reference) {
        return transactions.executeRead(status -> {
            List<Held> out = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT h.reference, h.held_at, (SELECT count(*) FROM audit_held_entry e WHERE e.reference = h.reference)"
                            + " FROM audit_hold h WHERE h.released_at IS NULL"
                            + (reference == null ? "" : " AND h.reference = ?") + " ORDER BY h.held_at")) {
                if (reference != null) {
                    select.setString(1, reference);
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Held(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getInt(3)));
                    }
                }
            }
            return out;
        });
    }

    /** A signal held back from its parents. */
    @Serdeable
    record Held(String reference, Instant heldSince, int sealedEntries) {
    }

    /** The log itself, for the checkpoints and the auditor's reads. */
    AuditLog log() {
        return log;
    }

    TransactionOperations<Connection> transactions() {
        return transactions;
    }

    NodeKeys keys() {
        return keys;
    }

    Clock clock() {
        return clock;
    }

    /** The {@code signal} detail of the first of {@code entries} that has one (opened entries only). */
    private static Optional<String> signalOfEntries(Connection c, List<Long> entries) throws SQLException {
        for (long index : entries) {
            try (PreparedStatement select = c.prepareStatement("SELECT details FROM audit_entry WHERE idx = ?")) {
                select.setLong(1, index);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next() && rs.getString(1) != null) {
                        java.util.regex.Matcher m = SIGNAL_DETAIL.matcher(rs.getString(1));
                        if (m.find()) {
                            return Optional.of(m.group(1));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static final java.util.regex.Pattern SIGNAL_DETAIL =
            java.util.regex.Pattern.compile("\"signal\":\"(signal:[0-9a-f]+)\"");

    /** The unreleased hold that {@code event} is about (its subject or its {@code signal} detail), if any. */
    private static Optional<String> heldBy(Connection c, AuditEvent event) throws SQLException {
        List<String> candidates = new ArrayList<>(2);
        if (event.subject().startsWith("signal:") || event.subject().startsWith("exchange:")
                || event.subject().startsWith("lookup:")) {
            candidates.add(event.subject());
        }
        String detail = event.details().get("signal");
        if (detail != null && !candidates.contains(detail)) {
            candidates.add(detail);
        }
        for (String reference : candidates) {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT 1 FROM audit_hold WHERE reference = ? AND released_at IS NULL")) {
                select.setString(1, reference);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        return Optional.of(reference);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
