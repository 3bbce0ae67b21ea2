package nl.betrokken.node.match;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the other side of each open match up to date when the contact behind one of this node's signals changes (a
 * hand-over to a colleague, new contact data). A counterpart at this node is updated in the same transaction as the
 * change; a counterpart at another node gets a row in {@code contact_push}, delivered by {@link #pushDue()} (every
 * {@code betrokken.staff.contact-push-interval}) with back-off per row (1 s, 2 s, 4 s … at most
 * {@link #MAX_BACKOFF}) until the peer has it: nothing is lost while a peer is down. The contact sent is read at
 * sending time, so the newest one goes out.
 */
@Singleton
public class ContactChanges {

    static final Duration MAX_BACKOFF = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(ContactChanges.class);
    /** The counterpart_contact column's width. */
    private static final int MAX_CONTACT = 2000;

    private final TransactionOperations<Connection> transactions;
    private final NodeConfiguration node;
    private final ContactClient client;
    private final JsonMapper json;
    private final Clock clock;
    private final NodeAudit audit;

    ContactChanges(TransactionOperations<Connection> transactions, NodeConfiguration node, ContactClient client,
                   JsonMapper json, Clock clock, NodeAudit audit) {
        this.transactions = transactions;
        this.node = node;
        this.client = client;
        this.json = json;
        this.clock = clock;
        this.audit = audit;
    }

    private record Due(long id, UUID matchId, String signalRef, String peerNode, int attempts) {
    }

    /**
     * The contact behind this node's signals {@code signalRefs} changed: updates their counterparts at this node now
     * and queues a message to each counterpart node of their open matches. Requires an open transaction on {@code c}.
     */
    public void changed(Connection c, Collection<String> signalRefs) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        for (String ref : signalRefs) {
            Optional<Contact> contact = Matches.contactOf(c, ref);
            if (contact.isEmpty()) {
                continue;
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE node_match SET counterpart_contact = ? WHERE counterpart_node = ? AND counterpart_ref = ?"
                            + " AND status = 'ACTIVE'")) {
                update.setString(1, write(contact.get()));
                update.setString(2, node.nodeId());
                update.setString(3, ref);
                update.executeUpdate();
            }
            List<Object[]> peers = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT m.match_id, m.counterpart_node FROM node_match m JOIN signal s ON s.id = m.signal_id"
                            + " WHERE s.ref = ? AND m.status = 'ACTIVE' AND m.counterpart_node <> ?")) {
                select.setString(1, ref);
                select.setString(2, node.nodeId());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        peers.add(new Object[] {rs.getObject(1, UUID.class), rs.getString(2)});
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO contact_push (match_id, signal_ref, peer_node, created_at, next_attempt_at)"
                            + " VALUES (?, ?, ?, ?, ?)")) {
                for (Object[] peer : peers) {
                    insert.setObject(1, peer[0]);
                    insert.setString(2, ref);
                    insert.setString(3, (String) peer[1]);
                    insert.setTimestamp(4, now);
                    insert.setTimestamp(5, now);
                    insert.executeUpdate();
                }
            }
        }
    }

    @Scheduled(fixedDelay = "${betrokken.staff.contact-push-interval:10s}", initialDelay = "5s")
    void scheduled() {
        try {
            pushDue();
        } catch (RuntimeException e) {
            LOG.warn("contact push: {}", e.getClass().getSimpleName());
        }
    }

    /** Delivers every due contact change once; returns how many peers have theirs now. */
    public synchronized int pushDue() {
        List<Due> due = transactions.executeRead(status -> {
            List<Due> rows = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT id, match_id, signal_ref, peer_node, attempts FROM contact_push WHERE next_attempt_at <= ?"
                            + " ORDER BY id LIMIT 200")) {
                select.setTimestamp(1, Timestamp.from(clock.instant()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Due(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                                rs.getInt(5)));
                    }
                }
            }
            return rows;
        });
        int delivered = 0;
        for (Due d : due) {
            Optional<Contact> contact = transactions.executeRead(status -> Matches.contactOf(status.getConnection(),
                    d.signalRef()));
            ContactClient.Push outcome = contact.isEmpty() ? ContactClient.Push.GONE
                    : client.push(d.peerNode(), d.matchId(), d.signalRef(), contact.get());
            if (outcome == ContactClient.Push.FAILED) {
                postpone(d);
            } else {
                delete(d, outcome == ContactClient.Push.DELIVERED);
                delivered += outcome == ContactClient.Push.DELIVERED ? 1 : 0;
            }
        }
        return delivered;
    }

    /**
     * Stores the new contact that {@code askerNode} sent for its signal in a match this node holds; false when this
     * node holds no open match {@code matchId} with that signal of that node as counterpart.
     */
    boolean receive(String askerNode, ContactChange change) {
        String text = write(change.contact());
        if (text.length() > MAX_CONTACT) {
            throw Problems.invalidField("contact", "is longer than " + MAX_CONTACT + " characters");
        }
        return transactions.executeWrite(status -> {
            try (PreparedStatement update = status.getConnection().prepareStatement(
                    "UPDATE node_match SET counterpart_contact = ? WHERE match_id = ? AND counterpart_node = ?"
                            + " AND counterpart_ref = ? AND status = 'ACTIVE'")) {
                update.setString(1, text);
                update.setObject(2, change.matchId());
                update.setString(3, askerNode);
                update.setString(4, change.ref());
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            audit.record(status.getConnection(), AuditEvent.of("contact.change-received",
                    NodeAudit.actor("node", askerNode), audit.match(change.matchId())));
            return true;
        });
    }

    /** 1 s, 2 s, 4 s … after the n-th failure in a row, at most {@link #MAX_BACKOFF}. */
    static Duration backoff(int failures) {
        long seconds = 1L << Math.min(Math.max(failures - 1, 0), 20);
        return seconds > MAX_BACKOFF.toSeconds() ? MAX_BACKOFF : Duration.ofSeconds(seconds);
    }

    private void postpone(Due d) {
        Instant next = clock.instant().plus(backoff(d.attempts() + 1));
        transactions.executeWrite(status -> {
            try (PreparedStatement update = status.getConnection().prepareStatement(
                    "UPDATE contact_push SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?")) {
                update.setTimestamp(1, Timestamp.from(next));
                update.setString(2, "not delivered");
                update.setLong(3, d.id());
                return update.executeUpdate();
            }
        });
    }

    private void delete(Due d, boolean delivered) {
        transactions.executeWrite(status -> {
            try (PreparedStatement delete = status.getConnection().prepareStatement(
                    "DELETE FROM contact_push WHERE id = ?")) {
                delete.setLong(1, d.id());
                delete.executeUpdate();
            }
            if (delivered) {
                audit.record(status.getConnection(), AuditEvent.of("contact.change-pushed", "system:contact-push",
                        audit.match(d.matchId())).with("toNode", NodeAudit.reference(d.peerNode())));
            }
            return null;
        });
    }

    private String write(Contact contact) {
        try {
            return json.writeValueAsString(contact);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
