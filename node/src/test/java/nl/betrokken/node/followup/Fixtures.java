package nl.betrokken.node.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import nl.betrokken.node.MutableClock;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;

/** Matches as the coordinator's feed stores them, and what the follow-up tests read back. */
final class Fixtures {

    private Fixtures() {
    }

    /** A node on {@code db} without a coordinator, whose clock the test moves and whose hourly check stays asleep. */
    static NodeHarness node(NodeHarness.Db db) {
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(db, "noord", null, null));
        p.put(MutableClock.PROPERTY, true);
        p.put("betrokken.follow-up.check-initial-delay", "1h");
        return NodeHarness.start(p);
    }

    /** The signal id of a new signal by {@code user} ("prof-a" of org-a, "prof-b" of org-b). */
    static UUID signal(NodeHarness node, String user) {
        NodeHarness.Response r = node.call("POST", "/api/v1/signals", Youths.registration(Youths.bsn()), user);
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return UUID.fromString(r.body().get("id").asText());
    }

    /**
     * A match between a new signal of prof-a (org-a) and a new one of prof-b (org-b) at this node, made at
     * {@code at}: two rows, one per side, as the feed delivers a match whose both parties are on this node.
     */
    static UUID sameNodeMatch(NodeHarness node, Instant at) {
        UUID a = signal(node, "prof-a");
        UUID b = signal(node, "prof-b");
        UUID match = UUID.randomUUID();
        insertMatch(node, match, a, "noord", ref(node, b), at);
        insertMatch(node, match, b, "noord", ref(node, a), at);
        return match;
    }

    static UUID sameNodeMatch(NodeHarness node) {
        return sameNodeMatch(node, now(node));
    }

    static Instant now(NodeHarness node) {
        return node.bean(Clock.class).instant();
    }

    static void insertMatch(NodeHarness node, UUID match, UUID signal, String counterpartNode, String counterpartRef,
                            Instant at) {
        tx(node).executeWrite(status -> {
            try (PreparedStatement insert = status.getConnection().prepareStatement(
                    "INSERT INTO node_match (match_id, signal_id, match_type, cross_region, counterpart_node,"
                            + " counterpart_ref, status, created_at) VALUES (?, ?, 'CHILD', ?, ?, ?, 'ACTIVE', ?)")) {
                insert.setObject(1, match);
                insert.setObject(2, signal);
                insert.setBoolean(3, !"noord".equals(counterpartNode));
                insert.setString(4, counterpartNode);
                insert.setString(5, counterpartRef);
                insert.setTimestamp(6, Timestamp.from(at));
                return insert.executeUpdate();
            }
        });
    }

    static String ref(NodeHarness node, UUID signal) {
        return query(node, "SELECT ref FROM signal WHERE id = ?", signal).get(0);
    }

    /** The recipients of notifications of {@code kind} about {@code match}, sorted. */
    static List<String> notified(NodeHarness node, String kind, UUID match) {
        return query(node, "SELECT recipient FROM notification WHERE match_id = ? AND kind = '" + kind
                + "' ORDER BY recipient", match);
    }

    static List<String> query(NodeHarness node, String sql, Object parameter) {
        return tx(node).executeRead(status -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(sql)) {
                select.setObject(1, parameter);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    @SuppressWarnings("unchecked")
    static TransactionOperations<Connection> tx(NodeHarness node) {
        return node.bean(TransactionOperations.class);
    }

    /** {@code user}'s view of {@code match} in {@code GET /api/v1/matches}. */
    static JsonNode matchAsSeenBy(NodeHarness node, String user, UUID match) {
        NodeHarness.Response r = node.call("GET", "/api/v1/matches", null, user);
        assertEquals(200, r.status(), String.valueOf(r.body()));
        for (JsonNode m : r.body().get("items")) {
            if (m.get("id").asText().equals(match.toString())) {
                return m;
            }
        }
        throw new AssertionError(user + " does not see match " + match);
    }

    /** The regie as {@code user} sees it: "OWN", "COUNTERPART", or null for nobody. */
    static String regie(NodeHarness node, String user, UUID match) {
        JsonNode m = matchAsSeenBy(node, user, match);
        return m.hasNonNull("regie") ? m.get("regie").asText() : null;
    }

    static NodeHarness.Response followUp(NodeHarness node, String user, UUID match, Object body) {
        return node.call("PUT", "/api/v1/matches/" + match + "/follow-up", body, user);
    }

    static void assertRefusedNaming(NodeHarness.Response r, int status, String field) {
        assertEquals(status, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        List<String> fields = new ArrayList<>();
        r.body().get("violations").forEach(v -> fields.add(v.get("field").asText()));
        assertTrue(fields.contains(field), "violations " + fields + " should name " + field);
    }
}
