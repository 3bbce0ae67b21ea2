package nl.betrokken.coordinator.feed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.coordinator.audit.CoordinatorAudit;

/**
 * Reads a node's feed from its cursor and records its acknowledgements. Delivery is at least once: an entry is
 * served again until the node acknowledges it, and in sequence order.
 */
@Singleton
public class FeedService {

    private final TransactionOperations<Connection> transactions;
    private final FeedNotifier notifier;
    private final Tickets tickets;
    private final CoordinatorAudit audit;

    FeedService(TransactionOperations<Connection> transactions, FeedNotifier notifier, Tickets tickets,
                CoordinatorAudit audit) {
        this.transactions = transactions;
        this.notifier = notifier;
        this.tickets = tickets;
        this.audit = audit;
    }

    /**
     * The entries after {@code after} (or after the node's acknowledged position when null), at most {@code limit};
     * when there are none, waits up to {@code wait} for one to arrive.
     */
    public FeedPage read(String nodeId, Long after, int limit, Duration wait) throws InterruptedException {
        long cursor = after != null ? after : acked(nodeId);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long version = notifier.version(nodeId);
            List<FeedPage.Entry> entries = entries(nodeId, cursor, limit);
            long left = deadline - System.nanoTime();
            if (!entries.isEmpty() || left <= 0) {
                long next = entries.isEmpty() ? cursor : entries.get(entries.size() - 1).seq();
                if (!entries.isEmpty()) {
                    audit.record(AuditEvent.of("feed.read", "node:" + nodeId, "feed:" + nodeId)
                            .with("after", cursor).with("upTo", next).with("entries", entries.size())
                            .with("ticketsIssued", entries.stream().filter(e -> e.ticket() != null).count()));
                }
                return new FeedPage(entries, next);
            }
            notifier.await(nodeId, version, Duration.ofNanos(Math.min(left, notifier.recheck().toNanos())));
        }
    }

    /** Records that the node has everything up to {@code upTo}; never moves the position back. */
    public void ack(String nodeId, long upTo) {
        transactions.executeWrite(status -> {
            try (PreparedStatement update = status.getConnection().prepareStatement(
                    "UPDATE feed_head SET acked_seq = ? WHERE node_id = ? AND acked_seq < ? AND ? < next_seq")) {
                update.setLong(1, upTo);
                update.setString(2, nodeId);
                update.setLong(3, upTo);
                update.setLong(4, upTo);
                return update.executeUpdate();
            }
        });
    }

    private long acked(String nodeId) {
        return transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT acked_seq FROM feed_head WHERE node_id = ?")) {
                select.setString(1, nodeId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    private List<FeedPage.Entry> entries(String nodeId, long after, int limit) {
        return transactions.executeRead(status -> {
            List<FeedPage.Entry> entries = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT seq, kind, match_id, match_type, own_ref, other_node_id, other_ref, consent_id, reason"
                            + " FROM feed_entry"
                            + " WHERE node_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                select.setString(1, nodeId);
                select.setLong(2, after);
                select.setInt(3, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        FeedKind kind = FeedKind.valueOf(rs.getString(2));
                        UUID matchId = rs.getObject(3, UUID.class);
                        String type = rs.getString(4);
                        String ownRef = rs.getString(5);
                        String otherNode = rs.getString(6);
                        String otherRef = rs.getString(7);
                        String ticket = kind == FeedKind.MATCH_CREATED
                                ? tickets.issue(matchId, type, nodeId, ownRef, otherNode, otherRef) : null;
                        entries.add(new FeedPage.Entry(rs.getLong(1), kind, matchId, type, ownRef,
                                new FeedPage.Counterpart(otherNode, otherRef), !otherNode.equals(nodeId), ticket,
                                rs.getObject(8, UUID.class), rs.getString(9)));
                    }
                }
            }
            return entries;
        });
    }
}
