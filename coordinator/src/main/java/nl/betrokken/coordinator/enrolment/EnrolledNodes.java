package nl.betrokken.coordinator.enrolment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * The enrolled nodes and their token keys. A key's id is its RFC 7638 thumbprint, whatever id the node gave it
 * (nodes made before thumbprint ids enrol keys named {@code noord-1}): a key id names one key, a key belongs to one
 * node, and which node is what the enrolment says, never read from the key id. Enrolling a node again with another
 * key replaces its keys; the old key is refused from then on by every instance (the token check reads the node's
 * enrolment in the transaction that records the token's {@code jti}).
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

    /**
     * The enrolments, re-read if {@code kid} is not among them and the database has it now: first all of them (at
     * most once a second, {@link #refreshed()}), then, if the kid is still unknown, the one row of the node the token
     * claims to come from (at most every 100 ms per node), so that a key enrolled a moment ago by another process is
     * trusted at once, while junk with made-up key ids reads the database a bounded number of times.
     */
    Snapshot refreshedFor(String claimedNode, String kid) {
        Snapshot current = refreshed();
        if (current.keys().find(kid).isPresent() || claimedNode == null || !NODE_ID.matcher(claimedNode).matches()
                || !current.nodeOfKid().containsValue(claimedNode)) {
            return current;
        }
        long now = System.nanoTime();
        Long last = nodeLookups.get(claimedNode);
        if (last != null && now - last < NODE_LOOKUP_INTERVAL_NANOS) {
            return current;
        }
        nodeLookups.put(claimedNode, now);
        return keysNow(claimedNode).keyIds().contains(kid) ? reload() : current;
    }

    private static final long NODE_LOOKUP_INTERVAL_NANOS = 100_000_000L;
    private final Map<String, Long> nodeLookups = new java.util.concurrent.ConcurrentHashMap<>();

    private synchronized Snapshot reload() {
        Snapshot loaded = transactions.executeRead(status -> {
            Map<String, String> nodeOfKid = new HashMap<>();
            Map<String, ECKey> keyOfKid = new LinkedHashMap<>();
            Set<String> ambiguous = new HashSet<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT node_id, public_keys FROM enrolled_node ORDER BY node_id");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String nodeId = rs.getString(1);
                    PublicKeySet set = PublicKeySet.parse(rs.getString(2)).byThumbprint();
                    for (String kid : set.keyIds()) {
                        if (nodeOfKid.putIfAbsent(kid, nodeId) != null) {
                            ambiguous.add(kid);
                        }
                        keyOfKid.put(kid, set.find(kid).orElseThrow());
                    }
                }
            }
            // Two rows enrolled the same key at the same moment (enrol refuses it otherwise): that key names no node
            // for sure, so it is trusted for neither.
            for (String kid : ambiguous) {
                LOG.error("key {} is enrolled for more than one node: trusted for none", kid);
                nodeOfKid.remove(kid);
                keyOfKid.remove(kid);
            }
            return new Snapshot(PublicKeySet.of(keyOfKid.values()), Map.copyOf(nodeOfKid));
        });
        snapshot = loaded;
        loadedAt = System.nanoTime();
        return loaded;
    }

    /**
     * Whether {@code kid} is, as the database says now, a key of {@code nodeId}: read in the caller's transaction,
     * so that a key replaced by another process or instance is refused at once, not after a cache expires.
     */
    boolean enrolledNow(Connection c, String nodeId, String kid) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT public_keys FROM enrolled_node WHERE node_id = ?")) {
            select.setString(1, nodeId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() && keyIdsOf(rs.getString(1)).contains(kid);
            }
        }
    }

    /**
     * The key ids (thumbprints) of a stored key set, remembered per stored text: every node call reads its node's
     * row ({@link #enrolledNow}), and the text changes only when a node's keys are replaced.
     */
    private Set<String> keyIdsOf(String stored) {
        Set<String> known = keyIdsByText.get(stored);
        if (known != null) {
            return known;
        }
        Set<String> ids = Set.copyOf(PublicKeySet.parse(stored).byThumbprint().keyIds());
        if (keyIdsByText.size() >= KEY_TEXTS_KEPT) {
            keyIdsByText.clear();
        }
        keyIdsByText.put(stored, ids);
        return ids;
    }

    private static final int KEY_TEXTS_KEPT = 1024;
    private final Map<String, Set<String>> keyIdsByText = new java.util.concurrent.ConcurrentHashMap<>();

    /** The keys of {@code nodeId} as the database says now (empty when it is not enrolled), key ids thumbprints. */
    public PublicKeySet keysNow(String nodeId) {
        return transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT public_keys FROM enrolled_node WHERE node_id = ?")) {
                select.setString(1, nodeId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? PublicKeySet.parse(rs.getString(1)).byThumbprint() : PublicKeySet.empty();
                }
            }
        });
    }

    /**
     * Enrols {@code nodeId} with {@code keys}, or replaces its keys. Enrolling the same keys again changes nothing.
     * Each key is stored under its thumbprint as key id, whatever id it came with.
     *
     * @throws IllegalArgumentException if the node id is not acceptable, or a key is enrolled for another node
     * @return whether anything changed
     */
    public boolean enrol(String nodeId, PublicKeySet submitted) {
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("node id must match " + NODE_ID.pattern());
        }
        if (submitted.keyIds().isEmpty()) {
            throw new IllegalArgumentException("node " + nodeId + " has no keys");
        }
        PublicKeySet keys = submitted.byThumbprint();
        boolean changed = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement others = c.prepareStatement(
                    "SELECT node_id, public_keys FROM enrolled_node WHERE node_id <> ?")) {
                others.setString(1, nodeId);
                try (ResultSet rs = others.executeQuery()) {
                    while (rs.next()) {
                        for (String kid : PublicKeySet.parse(rs.getString(2)).byThumbprint().keyIds()) {
                            if (keys.keyIds().contains(kid)) {
                                throw new IllegalArgumentException("key " + kid + " is enrolled for node "
                                        + rs.getString(1) + "; a key belongs to one node");
                            }
                        }
                    }
                }
            }
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
            return PublicKeySet.parse(stored).byThumbprint().equals(keys);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
