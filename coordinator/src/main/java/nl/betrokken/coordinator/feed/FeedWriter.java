package nl.betrokken.coordinator.feed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import nl.betrokken.coordinator.matching.Match;
import nl.betrokken.coordinator.matching.SignalSide;

/**
 * Appends to the nodes' feeds inside the caller's transaction. Each match gives one entry to each side's node.
 *
 * <p>Sequence numbers are taken by updating the node's {@code feed_head} row, which stays locked until the
 * transaction ends: a node's entries therefore commit in sequence order, and a reader that has seen entry n never
 * later finds an entry below n. Heads are locked in node-id order, after the person locks, so that two writers
 * cannot deadlock.
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
        Map<String, List<Entry>> byNode = new TreeMap<>();
        for (Match m : matches) {
            byNode.computeIfAbsent(m.low().nodeId(), k -> new ArrayList<>()).add(new Entry(m.low().nodeId(), m, m.low(), m.high()));
            byNode.computeIfAbsent(m.high().nodeId(), k -> new ArrayList<>()).add(new Entry(m.high().nodeId(), m, m.high(), m.low()));
        }
        try (PreparedStatement ensure = connection.prepareStatement(
                "INSERT INTO feed_head (node_id, next_seq, acked_seq) VALUES (?, 1, 0) ON CONFLICT DO NOTHING");
             PreparedStatement take = connection.prepareStatement(
                     "UPDATE feed_head SET next_seq = next_seq + ? WHERE node_id = ?");
             PreparedStatement read = connection.prepareStatement("SELECT next_seq FROM feed_head WHERE node_id = ?");
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO feed_entry (node_id, seq, kind, match_id, match_type, own_ref, other_node_id, other_ref,"
                             + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, List<Entry>> e : byNode.entrySet()) {
                String nodeId = e.getKey();
                List<Entry> entries = e.getValue();
                ensure.setString(1, nodeId);
                ensure.executeUpdate();
                take.setInt(1, entries.size());
                take.setString(2, nodeId);
                take.executeUpdate();
                read.setString(1, nodeId);
                long seq;
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    seq = rs.getLong(1) - entries.size();
                }
                for (Entry entry : entries) {
                    insert.setString(1, nodeId);
                    insert.setLong(2, seq++);
                    insert.setString(3, kind.name());
                    insert.setObject(4, entry.match().id());
                    insert.setString(5, entry.match().type().name());
                    insert.setString(6, entry.own().ref());
                    insert.setString(7, entry.other().nodeId());
                    insert.setString(8, entry.other().ref());
                    insert.setTimestamp(9, Timestamp.from(now));
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
        return byNode.keySet();
    }
}
