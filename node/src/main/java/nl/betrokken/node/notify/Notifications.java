package nl.betrokken.node.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.keys.NodeKeys;

/**
 * The {@code notification} table: messages to people, and per channel how their delivery went. Other features add
 * messages with {@code INSERT INTO notification (recipient, kind, match_id, created_at)}; every delivery column has
 * a default, and the sender delivers every kind. Messages about an objection ({@link #enqueueForAccount},
 * {@link #enqueueForObjector}) go by e-mail only.
 */
@Singleton
public class Notifications {

    /** A new match on one of the recipient's signals. */
    public static final String MATCH_CREATED = "MATCH_CREATED";
    /** A match on one of the recipient's signals was withdrawn. */
    public static final String MATCH_WITHDRAWN = "MATCH_WITHDRAWN";
    /** The counterpart's professional sent the recipient information about a match (exchange/); never its text. */
    public static final String MESSAGE_RECEIVED = "MESSAGE_RECEIVED";
    /** A consent on a match of one of the recipient's signals ended (withdrawn, expired). */
    public static final String CONSENT_ENDED = "CONSENT_ENDED";
    /** The region's matchcoördinator asks the recipient to record the follow-up of a match (followup/CallOns). */
    public static final String MATCH_CALLED_ON = "MATCH_CALLED_ON";
    /** The gemeente asks the recipient (a professional) for advice on an objection to their signal. */
    public static final String OBJECTION_ADVICE_ASKED = "OBJECTION_ADVICE_ASKED";
    /** A decision was taken on the recipient's objection (the person who objected, by the address they left). */
    public static final String OBJECTION_DECIDED = "OBJECTION_DECIDED";
    /** The recipient's objection was closed: its signal was withdrawn or erased otherwise (objection/). */
    public static final String OBJECTION_CLOSED = "OBJECTION_CLOSED";
    /** The recipient of a message to the person who objected: not an account; the address is sealed in the row. */
    public static final String OBJECTOR = "citizen:objector";

    private final TransactionOperations<Connection> transactions;
    private final NodeAudit audit;
    private final NodeKeys keys;

    Notifications(TransactionOperations<Connection> transactions, NodeAudit audit, NodeKeys keys) {
        this.transactions = transactions;
        this.audit = audit;
        this.keys = keys;
    }

    /**
     * Adds a message of {@code kind} about objection {@code objectionId} for the account {@code username}, by e-mail
     * only (the region's webhook is about matches), in the caller's transaction.
     */
    public static void enqueueForAccount(Connection c, String username, String kind, UUID objectionId, Instant now)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO notification (recipient, kind, objection_id, created_at, webhook_state)"
                        + " VALUES (?, ?, ?, ?, 'SKIPPED')")) {
            insert.setString(1, username);
            insert.setString(2, kind);
            insert.setObject(3, objectionId);
            insert.setTimestamp(4, Timestamp.from(now));
            insert.executeUpdate();
        }
    }

    /**
     * Adds a message of {@code kind} about objection {@code objectionId} for the person who objected, to
     * {@code address}, by e-mail only, in the caller's transaction. The address is stored encrypted (bound to the
     * objection), read only to send, and cleared once the e-mail is sent or has failed for good; the row's
     * {@code email_address} stays empty.
     */
    public void enqueueForObjector(Connection c, String kind, UUID objectionId, String address, Instant now)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO notification (recipient, kind, objection_id, created_at, webhook_state, address_sealed)"
                        + " VALUES (?, ?, ?, ?, 'SKIPPED', ?)")) {
            insert.setString(1, OBJECTOR);
            insert.setString(2, kind);
            insert.setObject(3, objectionId);
            insert.setTimestamp(4, Timestamp.from(now));
            insert.setBytes(5, keys.aead().encrypt(address.getBytes(StandardCharsets.UTF_8), addressBinding(objectionId)));
            insert.executeUpdate();
        }
    }

    /** The sealed address of a message to the person who objected, opened; empty when there is none (any more). */
    Optional<String> objectorAddress(Due n) {
        if (n.addressSealed() == null || n.objectionId() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(keys.aead().decrypt(n.addressSealed(), addressBinding(n.objectionId())),
                    StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static byte[] addressBinding(UUID objectionId) {
        return ("betrokken/node/notification/objection/" + objectionId + "/address").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Adds a message of {@code kind} about {@code matchId} for the professional who holds signal {@code signalId},
     * in the caller's transaction, so that it exists exactly when the change it tells of does.
     */
    public static void enqueueForSignal(Connection c, UUID signalId, String kind, UUID matchId, Instant now)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO notification (recipient, kind, match_id, created_at)"
                        + " SELECT professional, ?, ?, ? FROM signal WHERE id = ?")) {
            insert.setString(1, kind);
            insert.setObject(2, matchId);
            insert.setTimestamp(3, Timestamp.from(now));
            insert.setObject(4, signalId);
            insert.executeUpdate();
        }
    }

    /** A delivery channel, with the prefix of its columns. */
    enum Channel {
        EMAIL("email"), WEBHOOK("webhook");

        final String column;

        Channel(String column) {
            this.column = column;
        }
    }

    /** Delivery states, as stored. */
    enum State { PENDING, RETRYING, SENT, FAILED, SKIPPED }

    /** A message with something still to deliver. */
    record Due(long id, String recipient, String kind, @Nullable UUID matchId, Instant createdAt,
               State emailState, int emailAttempts, @Nullable Instant emailNextAt,
               State webhookState, int webhookAttempts, @Nullable Instant webhookNextAt,
               @Nullable UUID objectionId, @Nullable byte[] addressSealed) {

        /** Whether the recipient is the person who objected (no account; the address sealed in the row). */
        boolean toObjector() {
            return OBJECTOR.equals(recipient);
        }

        @Override
        public String toString() {
            return "Due[" + id + ", " + kind + "]";
        }

        boolean due(Channel channel, Instant now) {
            State state = channel == Channel.EMAIL ? emailState : webhookState;
            Instant next = channel == Channel.EMAIL ? emailNextAt : webhookNextAt;
            return (state == State.PENDING || state == State.RETRYING) && (next == null || !next.isAfter(now));
        }

        int attempts(Channel channel) {
            return channel == Channel.EMAIL ? emailAttempts : webhookAttempts;
        }
    }

    /** Up to {@code limit} messages with a channel due at {@code now}, oldest first. */
    List<Due> due(Instant now, int limit) {
        return transactions.executeRead(status -> {
            List<Due> due = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT id, recipient, kind, match_id, created_at, email_state, email_attempts, email_next_at,"
                            + " webhook_state, webhook_attempts, webhook_next_at, objection_id, address_sealed"
                            + " FROM notification"
                            + " WHERE (email_state IN ('PENDING', 'RETRYING') AND (email_next_at IS NULL OR email_next_at <= ?))"
                            + " OR (webhook_state IN ('PENDING', 'RETRYING') AND (webhook_next_at IS NULL OR webhook_next_at <= ?))"
                            + " ORDER BY id LIMIT ?")) {
                Timestamp at = Timestamp.from(now);
                select.setTimestamp(1, at);
                select.setTimestamp(2, at);
                select.setInt(3, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        due.add(new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getObject(4, UUID.class),
                                rs.getTimestamp(5).toInstant(), State.valueOf(rs.getString(6)), rs.getInt(7),
                                instant(rs.getTimestamp(8)), State.valueOf(rs.getString(9)), rs.getInt(10),
                                instant(rs.getTimestamp(11)), rs.getObject(12, UUID.class), rs.getBytes(13)));
                    }
                }
            }
            return due;
        });
    }

    /**
     * Stores the result of a try on one channel.
     *
     * @param nextAt when to try again (state RETRYING only)
     * @param error why it failed, without personal data; null when sent
     * @param address the e-mail address tried (e-mail only), or null
     * @param audit the audit entry of a final outcome (sent, failed), appended in the same transaction, or null
     */
    void record(long id, Channel channel, State state, int attempts, @Nullable Instant nextAt, Instant at,
                @Nullable String error, @Nullable String address, @Nullable AuditEvent audit) {
        String p = channel.column;
        transactions.executeWrite(status -> {
            try (PreparedStatement update = status.getConnection().prepareStatement(
                    "UPDATE notification SET " + p + "_state = ?, " + p + "_attempts = ?, " + p + "_next_at = ?, "
                            + p + "_last_at = ?, " + p + "_error = ?"
                            + (channel == Channel.EMAIL ? ", email_address = ?" : "") + " WHERE id = ?")) {
                int i = 1;
                update.setString(i++, state.name());
                update.setInt(i++, attempts);
                update.setTimestamp(i++, nextAt == null ? null : Timestamp.from(nextAt));
                update.setTimestamp(i++, Timestamp.from(at));
                update.setString(i++, error == null ? null : shorten(error));
                if (channel == Channel.EMAIL) {
                    update.setString(i++, address);
                }
                update.setLong(i, id);
                update.executeUpdate();
            }
            if (channel == Channel.EMAIL && (state == State.SENT || state == State.FAILED)) {
                try (PreparedStatement clear = status.getConnection().prepareStatement(
                        "UPDATE notification SET address_sealed = NULL WHERE id = ? AND address_sealed IS NOT NULL")) {
                    clear.setLong(1, id);
                    clear.executeUpdate();
                }
            }
            if (audit != null) { // last, as the audit log's head is locked until the commit
                this.audit.record(status.getConnection(), audit);
            }
            return null;
        });
    }

    /**
     * This node's signal in {@code matchId} that concerns {@code recipient}: their own signal, else one of their
     * organisation's; empty when the match is not (or no longer) here.
     */
    Optional<UUID> signalOf(@Nullable UUID matchId, String recipient) {
        if (matchId == null) {
            return Optional.empty();
        }
        return transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT m.signal_id FROM node_match m JOIN signal s ON s.id = m.signal_id"
                            + " LEFT JOIN account a ON a.username = ? WHERE m.match_id = ?"
                            + " ORDER BY CASE WHEN s.professional = a.username THEN 0"
                            + " WHEN s.organisation_id = a.organisation_id THEN 1 ELSE 2 END LIMIT 1")) {
                select.setString(1, recipient);
                select.setObject(2, matchId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.<UUID>empty();
                }
            }
        });
    }

    /**
     * The e-mail deliveries to accounts of {@code organisationId} that failed for good or are failing and being
     * retried, newest first (at most 500).
     */
    List<FailureView> failures(String organisationId) {
        return transactions.executeRead(status -> {
            List<FailureView> out = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT n.id, n.kind, n.match_id, n.recipient, a.display_name, n.email_address, a.email,"
                            + " n.email_state, n.email_error, n.email_attempts, n.email_last_at, n.email_next_at"
                            + " FROM notification n JOIN account a ON a.username = n.recipient"
                            + " WHERE a.organisation_id = ? AND n.email_state IN ('FAILED', 'RETRYING')"
                            + " ORDER BY n.email_last_at DESC, n.id DESC LIMIT 500")) {
                select.setString(1, organisationId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        String tried = rs.getString(6);
                        String current = rs.getString(7);
                        out.add(new FailureView(rs.getLong(1), rs.getString(2), rs.getObject(3, UUID.class),
                                rs.getString(4), rs.getString(5), tried, Channel.EMAIL.name(), rs.getString(8),
                                rs.getString(9), rs.getInt(10), instant(rs.getTimestamp(11)),
                                instant(rs.getTimestamp(12)), tried != null && !tried.equals(current)));
                    }
                }
            }
            return out;
        });
    }

    /** Counts of the messages created in [{@code from}, {@code until}) and how their delivery went, per channel. */
    public StatsView.Counts counts(Instant from, Instant until) {
        return transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT count(*),"
                            + " coalesce(sum(CASE WHEN email_state = 'SENT' THEN 1 ELSE 0 END), 0),"
                            + " coalesce(sum(CASE WHEN email_state = 'FAILED' THEN 1 ELSE 0 END), 0),"
                            + " coalesce(sum(CASE WHEN email_state IN ('PENDING', 'RETRYING') THEN 1 ELSE 0 END), 0),"
                            + " coalesce(sum(CASE WHEN webhook_state = 'SENT' THEN 1 ELSE 0 END), 0),"
                            + " coalesce(sum(CASE WHEN webhook_state = 'FAILED' THEN 1 ELSE 0 END), 0),"
                            + " coalesce(sum(CASE WHEN webhook_state IN ('PENDING', 'RETRYING') THEN 1 ELSE 0 END), 0)"
                            + " FROM notification WHERE created_at >= ? AND created_at < ?")) {
                select.setTimestamp(1, Timestamp.from(from));
                select.setTimestamp(2, Timestamp.from(until));
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return new StatsView.Counts(rs.getLong(1),
                            StatsView.Channel.of(rs.getLong(2), rs.getLong(3), rs.getLong(4)),
                            StatsView.Channel.of(rs.getLong(5), rs.getLong(6), rs.getLong(7)));
                }
            }
        });
    }

    static String shorten(String text) {
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }

    private static @Nullable Instant instant(@Nullable Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
