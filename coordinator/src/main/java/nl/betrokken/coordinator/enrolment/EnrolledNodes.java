package nl.betrokken.coordinator.enrolment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.nimbusds.jose.jwk.ECKey;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.coordinator.audit.CoordinatorAudit;
import nl.betrokken.crypto.token.PublicKeySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enrolled nodes and their token keys. A node's key ids must start with its node id and a hyphen
 * ({@code noord-1}), so that a key id names exactly one node.
 */
@Singleton
public class EnrolledNodes {

    /** A node id: a lower-case region name, as in {@code noord}. */
    public static final Pattern NODE_ID = Pattern.compile("[a-z][a-z0-9-]{1,62}");
    private static final Logger LOG = LoggerFactory.getLogger(EnrolledNodes.class);

    private final TransactionOperations<Connection> transactions;
    private final CoordinatorAudit audit;
    private final Clock clock;
    private static final long REFRESH_INTERVAL_NANOS = 1_000_000_000L;
    private volatile Snapshot snapshot;
    private long loadedAt;

    /** The keys of all nodes, and which node each key id belongs to. */
    record Snapshot(PublicKeySet keys, Map<String, String> nodeOfKid) {
    }

    EnrolledNodes(TransactionOperations<Connection> transactions, CoordinatorAudit audit, Clock clock) {
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    /** The enrolments as last read (read now if never). */
    Snapshot snapshot() {
        Snapshot current = snapshot;
        return current != null ? current : refreshed();
    }

    /**
     * The enrolments re-read from the database (another instance or the enrol command may have added a node), at
     * most once a second, so that tokens with unknown key ids cannot make every request read the database.
     */
    synchronized Snapshot refreshed() {
        if (snapshot != null && System.nanoTime() - loadedAt < REFRESH_INTERVAL_NANOS) {
            return snapshot;
        }
        return reload();
    }

    private synchronized Snapshot reload() {
        Snapshot loaded = transactions.executeRead(status -> {
            PublicKeySet keys = PublicKeySet.empty();
            Map<String, String> nodeOfKid = new HashMap<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT node_id, public_keys FROM enrolled_node");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String nodeId = rs.getString(1);
                    PublicKeySet set = PublicKeySet.parse(rs.getString(2));
                    for (String kid : set.keyIds()) {
                        ECKey key = set.find(kid).orElseThrow();
                        keys = keys.with(key);
                        nodeOfKid.put(kid, nodeId);
                    }
                }
            }
            return new Snapshot(keys, Map.copyOf(nodeOfKid));
        });
        snapshot = loaded;
        loadedAt = System.nanoTime();
        return loaded;
    }

    /**
     * Enrols {@code nodeId} with {@code keys}, or replaces its keys. Enrolling the same keys again changes nothing.
     *
     * @throws IllegalArgumentException if the node id or a key id is not acceptable
     * @return whether anything changed
     */
    public boolean enrol(String nodeId, PublicKeySet keys) {
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("node id must match " + NODE_ID.pattern());
        }
        if (keys.keyIds().isEmpty()) {
            throw new IllegalArgumentException("node " + nodeId + " has no keys");
        }
        for (String kid : keys.keyIds()) {
            if (!kid.startsWith(nodeId + "-")) {
                throw new IllegalArgumentException("key id " + kid + " must start with '" + nodeId + "-'");
            }
        }
        boolean changed = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Optional<String> current = Optional.empty();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT public_keys FROM enrolled_node WHERE node_id = ? FOR UPDATE")) {
                select.setString(1, nodeId);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        current = Optional.of(rs.getString(1));
                    }
                }
            }
            if (current.isPresent() && sameKeys(current.get(), keys)) {
                return false;
            }
            String sql = current.isPresent()
                    ? "UPDATE enrolled_node SET public_keys = ?, enrolled_at = ? WHERE node_id = ?"
                    : "INSERT INTO enrolled_node (public_keys, enrolled_at, node_id) VALUES (?, ?, ?)";
            try (PreparedStatement write = c.prepareStatement(sql)) {
                write.setString(1, keys.toJson());
                write.setTimestamp(2, Timestamp.from(clock.instant()));
                write.setString(3, nodeId);
                write.executeUpdate();
            }
            try (PreparedStatement head = c.prepareStatement(
                    "INSERT INTO feed_head (node_id, next_seq, acked_seq) VALUES (?, 1, 0) ON CONFLICT DO NOTHING")) {
                head.setString(1, nodeId);
                head.executeUpdate();
            }
            audit.record(c, AuditEvent.of(current.isPresent() ? "node.keys-replaced" : "node.enrolled", "operator",
                    "node:" + nodeId).with("keyIds", String.join(" ", keys.keyIds())));
            return true;
        });
        if (changed) {
            LOG.info("enrolled node {} with key ids {}", nodeId, keys.keyIds());
            reload();
        }
        return changed;
    }

    private static boolean sameKeys(String stored, PublicKeySet keys) {
        try {
            return PublicKeySet.parse(stored).equals(keys);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
