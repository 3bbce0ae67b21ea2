package nl.betrokken.coordinator.feed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import nl.betrokken.coordinator.matching.Match;
import nl.betrokken.coordinator.matching.SignalSide;
import nl.betrokken.coordinator.sql.BulkInsert;
import nl.betrokken.coordinator.sql.SqlArrays;
import nl.betrokken.coordinator.sql.SqlType;

import static nl.betrokken.coordinator.sql.BulkInsert.column;

/**
 * Appends to the nodes' feeds inside the caller's transaction. Each match gives one entry to each side's node.
 *
 * <p>Sequence numbers are taken by updating the node's {@code feed_head} row, which stays locked until the
 * transaction ends: a node's entries therefore commit in sequence order, and a reader that has seen entry n never
 * later finds an entry below n. Heads are locked in node-id order, so that two writers cannot deadlock.
 */
public final class FeedWriter {

    private FeedWriter() {
    }

    private record Entry(String nodeId, Match match, SignalSide own, SignalSide other) {
    }

    /**
     * Appends an entry of {@code kind} for both sides of each match.
     *
     * @return the nodes whose feed grew, to be woken after commit
     */
    public static Set<String> append(Connection connection, List<Match> matches, FeedKind kind, Instant now)
            throws SQLException {
        if (matches.isEmpty()) {
            return Set.of();
        }
        Map<String, List<Entry>> byNode = new TreeMap<>();
        for (Match m : matches) {
            byNode.computeIfAbsent(m.low().nodeId(), k -> new ArrayList<>()).add(new Entry(m.low().nodeId(), m, m.low(), m.high()));
            byNode.computeIfAbsent(m.high().nodeId(), k -> new ArrayList<>()).add(new Entry(m.high().nodeId(), m, m.high(), m.low()));
        }
        BulkInsert insert = new BulkInsert("feed_entry", "",
                column("node_id", SqlType.TEXT), column("seq", SqlType.BIGINT), column("kind", SqlType.TEXT),
                column("match_id", SqlType.UUID), column("match_type", SqlType.TEXT), column("own_ref", SqlType.TEXT),
                column("other_node_id", SqlType.TEXT), column("other_ref", SqlType.TEXT),
                column("created_at", SqlType.TIMESTAMPTZ));
        // Three statements for all nodes, not three per node: the heads that are missing, then every node's head
        // moved on in one batch (in node-id order), then the new heads read back.
        BulkInsert heads = new BulkInsert("feed_head", "ON CONFLICT DO NOTHING", column("node_id", SqlType.TEXT),
                column("next_seq", SqlType.BIGINT), column("acked_seq", SqlType.BIGINT));
        byNode.keySet().forEach(nodeId -> heads.add(nodeId, 1L, 0L));
        heads.execute(connection);
        try (PreparedStatement take = connection.prepareStatement(
                "UPDATE feed_head SET next_seq = next_seq + ? WHERE node_id = ?")) {
            for (Map.Entry<String, List<Entry>> e : byNode.entrySet()) {
                take.setInt(1, e.getValue().size());
                take.setString(2, e.getKey());
                take.addBatch();
            }
            take.executeBatch();
        }
        Map<String, Long> next = new HashMap<>();
        try (PreparedStatement read = connection.prepareStatement(
                "SELECT node_id, next_seq FROM feed_head WHERE node_id = ANY(?)")) {
            read.setArray(1, SqlArrays.texts(connection, byNode.keySet()));
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    next.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        for (Map.Entry<String, List<Entry>> e : byNode.entrySet()) {
            String nodeId = e.getKey();
            long seq = next.get(nodeId) - e.getValue().size();
            for (Entry entry : e.getValue()) {
                insert.add(nodeId, seq++, kind.name(), entry.match().id(), entry.match().type().name(),
                        entry.own().ref(), entry.other().nodeId(), entry.other().ref(), now);
            }
        }
        insert.execute(connection);
        return byNode.keySet();
    }

    /**
     * Appends a {@link FeedKind#CONSENT_ENDED} entry naming {@code consentId} and {@code reason} for both sides of
     * {@code match} (which need not stand any more), with the same head locking as {@link #append}.
     *
     * @return the nodes whose feed grew, to be woken after commit
     */
    public static Set<String> appendConsentEnded(Connection connection, Match match, UUID consentId, String reason,
                                                 Instant now) throws SQLException {
        Map<String, List<Entry>> byNode = new TreeMap<>();
        byNode.computeIfAbsent(match.low().nodeId(), k -> new ArrayList<>())
                .add(new Entry(match.low().nodeId(), match, match.low(), match.high()));
        byNode.computeIfAbsent(match.high().nodeId(), k -> new ArrayList<>())
                .add(new Entry(match.high().nodeId(), match, match.high(), match.low()));
        for (Map.Entry<String, List<Entry>> e : byNode.entrySet()) {
            String nodeId = e.getKey();
            try (PreparedStatement head = connection.prepareStatement(
                    "INSERT INTO feed_head (node_id, next_seq, acked_seq) VALUES (?, 1, 0) ON CONFLICT DO NOTHING")) {
                head.setString(1, nodeId);
                head.executeUpdate();
            }
            try (PreparedStatement take = connection.prepareStatement(
                    "UPDATE feed_head SET next_seq = next_seq + ? WHERE node_id = ?")) {
                take.setInt(1, e.getValue().size());
                take.setString(2, nodeId);
                take.executeUpdate();
            }
            long seq;
            try (PreparedStatement read = connection.prepareStatement(
                    "SELECT next_seq FROM feed_head WHERE node_id = ?")) {
                read.setString(1, nodeId);
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    seq = rs.getLong(1) - e.getValue().size();
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO feed_entry (node_id, seq, kind, match_id, match_type, own_ref, other_node_id,"
                            + " other_ref, created_at, consent_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Entry entry : e.getValue()) {
                    insert.setString(1, nodeId);
                    insert.setLong(2, seq++);
                    insert.setString(3, FeedKind.CONSENT_ENDED.name());
                    insert.setObject(4, match.id());
                    insert.setString(5, match.type().name());
                    insert.setString(6, entry.own().ref());
                    insert.setString(7, entry.other().nodeId());
                    insert.setString(8, entry.other().ref());
                    insert.setTimestamp(9, java.sql.Timestamp.from(now));
                    insert.setObject(10, consentId);
                    insert.setString(11, reason);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        return byNode.keySet();
    }
}
