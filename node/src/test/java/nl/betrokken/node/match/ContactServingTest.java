package nl.betrokken.node.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.TestFederation;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.keys.NodeTokens;

/**
 * A node gives out its professional's contact for a match only while the match stands and its signal is active:
 * after the match was withdrawn, or the signal ended, the other node's request is a 410, and what that node fetched
 * before stays with it. Every contact given out has its access row and its audit entry, written with the read.
 */
class ContactServingTest {

    static TestFederation federation;
    static Map<String, NodeHarness> NODES;

    @BeforeAll
    static void start() {
        federation = TestFederation.noordAndOost();
        NODES = federation.nodes();
    }

    @AfterAll
    static void stop() {
        federation.close();
    }

    /** A match between a new signal at noord and one at oost, once both nodes hold it: noord's side of it. */
    private record Matched(String atNoord, String atOost, UUID matchId, String noordRef, String oostRef,
                           String ticket) {
    }

    private static Matched matched() {
        String child = Youths.bsn();
        String atNoord = register("noord", Youths.registration(child));
        String atOost = register("oost", Youths.registration(child));
        JsonNode atNoordSide = awaitMatch("noord", atNoord);
        awaitMatch("oost", atOost);
        UUID matchId = UUID.fromString(atNoordSide.get("id").asText());
        String[] row = query("noord", "SELECT m.ticket, s.ref, m.counterpart_ref FROM node_match m"
                + " JOIN signal s ON s.id = m.signal_id WHERE m.match_id = ?", matchId).split(" ");
        return new Matched(atNoord, atOost, matchId, row[1], row[2], row[0]);
    }

    @Test
    void contact_ofAnEndedSignal_is410_andTheOtherNodeKeepsWhatItFetched() {
        Matched m = matched();
        assertEquals(200, ask(m).status(), "while both signals are active");
        long served = contactAccesses("oost");
        assertEquals(served, auditEntries("oost", "contact.served"), "each contact served has its audit entry");

        assertEquals(200, NODES.get("oost").call("POST", "/api/v1/signals/" + m.atOost() + "/end",
                Map.of("reason", "hulp afgerond"), "prof-a").status());
        NodeHarness.Response refused = ask(m);
        assertEquals(410, refused.status(), String.valueOf(refused.body()));
        assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
        assertTrue(refused.body().get("type").asText().endsWith("/signal-not-active"), String.valueOf(refused.body()));
        assertEquals(served, contactAccesses("oost"), "a refusal serves and records nothing");
        assertEquals(served, auditEntries("oost", "contact.served"));

        assertNotNull(counterpartAtNoord(m), "noord keeps the contact it fetched while the match stood");
    }

    @Test
    void contact_ofAWithdrawnMatch_is410() {
        Matched m = matched();
        assertEquals(200, ask(m).status());
        // The withdrawal as oost's feed follower stores it.
        NODES.get("oost").bean(Matches.class).apply(new Matches.Delivered(m.matchId(), "MATCH_WITHDRAWN", "CHILD",
                m.oostRef(), "noord", m.noordRef(), true, null), null);

        NodeHarness.Response refused = ask(m);
        assertEquals(410, refused.status(), String.valueOf(refused.body()));
        assertTrue(refused.body().get("type").asText().endsWith("/match-withdrawn"), String.valueOf(refused.body()));
        assertNotNull(counterpartAtNoord(m), "noord keeps the contact it fetched while the match stood");
    }

    @Test
    void contact_ofACounterpartAtTheSameNode_followsTheSameRules() {
        String child = Youths.bsn();
        String atA = register("noord", Youths.registration(child));
        NodeHarness.Response atB = NODES.get("noord").call("POST", "/api/v1/signals", Youths.registration(child),
                "prof-b");
        assertEquals(201, atB.status(), String.valueOf(atB.body()));
        UUID matchId = UUID.fromString(awaitMatch("noord", atA).get("id").asText());
        String[] row = query("noord", "SELECT s.ref, m.counterpart_node, m.counterpart_ref, m.ticket FROM node_match m"
                + " JOIN signal s ON s.id = m.signal_id WHERE m.match_id = ? AND s.professional = 'noord-prof-a'",
                matchId).split(" ");
        Matches.Pending mine = new Matches.Pending(matchId, UUID.fromString(atA), row[0], row[1], row[2], row[3], 0);
        ContactClient client = NODES.get("noord").bean(ContactClient.class);
        long served = auditEntries("noord", "contact.served");
        assertNotNull(client.fetchOrRenew(mine).contact(), "while both signals are active");
        assertEquals(served + 1, auditEntries("noord", "contact.served"), "a read at the same node is recorded too");

        assertEquals(200, NODES.get("noord").call("POST", "/api/v1/signals/" + atB.body().get("id").asText() + "/end",
                Map.of("reason", "hulp afgerond"), "prof-b").status());
        ContactClient.Fetched refused = client.fetchOrRenew(mine);
        assertEquals(null, refused.contact(), "no contact of an ended signal, at the same node either");
        assertTrue(refused.gone().contains("410"), refused.gone());
        assertEquals(served + 1, auditEntries("noord", "contact.served"));
    }

    @Test
    void contacts_ofManyMatchesInOneCall_eachRecorded_aRefusedOneLeftOut() {
        Matched one = matched();
        Matched two = matched();
        Matched ended = matched();
        assertEquals(200, NODES.get("oost").call("POST", "/api/v1/signals/" + ended.atOost() + "/end",
                Map.of("reason", "hulp afgerond"), "prof-a").status());
        long served = contactAccesses("oost");
        String token = NODES.get("noord").bean(NodeTokens.class).forCall("oost");
        List<Map<String, String>> tickets = List.of(
                Map.of("ticket", one.ticket(), "ref", one.noordRef()),
                Map.of("ticket", two.ticket(), "ref", two.noordRef()),
                Map.of("ticket", one.ticket(), "ref", two.noordRef()), // a ticket that does not name that signal
                Map.of("ticket", ended.ticket(), "ref", ended.noordRef())); // oost's signal no longer active
        NodeHarness.Response r = NODES.get("oost").call("POST", "/federation/v1/contacts/batch",
                Map.of("tickets", tickets), null, Map.of("Authorization", "Bearer " + token));
        assertEquals(200, r.status(), String.valueOf(r.body()));
        assertEquals(2, r.body().size(), String.valueOf(r.body()));
        for (int i = 0; i < 2; i++) {
            Matched m = i == 0 ? one : two;
            JsonNode answer = r.body().get(i);
            assertEquals(m.matchId().toString(), answer.get("matchId").asText());
            assertEquals(m.noordRef(), answer.get("ref").asText());
            assertTrue(answer.get("contact").has("email"), String.valueOf(answer));
        }
        assertEquals(served + 2, contactAccesses("oost"), "each contact served has its access row");
        assertEquals(contactAccesses("oost"), auditEntries("oost", "contact.served"), "and its audit entry");

        NodeHarness.Response replayed = NODES.get("oost").call("POST", "/federation/v1/contacts/batch",
                Map.of("tickets", tickets), null, Map.of("Authorization", "Bearer " + token));
        assertEquals(401, replayed.status(), "one node token for the whole call, used once");
        assertEquals(served + 2, contactAccesses("oost"));
    }

    @Test
    void contacts_ofANewMatch_reachTheFeedFollowerInOneCallPerNode() {
        Matched m = matched();
        Matches.Pending pending = new Matches.Pending(m.matchId(), UUID.fromString(m.atNoord()), m.noordRef(), "oost",
                m.oostRef(), m.ticket(), 0);
        long served = contactAccesses("oost");
        ContactClient.Batch batch = NODES.get("noord").bean(ContactClient.class).fetchAll("oost", List.of(pending));
        assertEquals(ContactClient.Outcome.ANSWERED, batch.outcome());
        assertEquals(Set.of(m.matchId()), batch.found().keySet());
        assertEquals(served + 1, contactAccesses("oost"));
    }

    /** Noord asks oost for the contact behind oost's signal in the match, with noord's ticket. */
    private static NodeHarness.Response ask(Matched m) {
        String token = NODES.get("noord").bean(NodeTokens.class).forCall("oost");
        return NODES.get("oost").call("POST", "/federation/v1/contacts",
                Map.of("ticket", m.ticket(), "ref", m.noordRef()), null, Map.of("Authorization", "Bearer " + token));
    }

    private static String counterpartAtNoord(Matched m) {
        return query("noord", "SELECT counterpart_contact FROM node_match WHERE match_id = ?", m.matchId());
    }

    private static String register(String node, Map<String, Object> body) {
        NodeHarness.Response r = NODES.get(node).call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    /** The match of {@code signalId} at {@code node}, once it holds it with the counterpart's contact. */
    private static JsonNode awaitMatch(String node, String signalId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode m : NODES.get(node).call("GET", "/api/v1/matches", null, "prof-a").body().get("items")) {
                if (m.get("signalId").asText().equals(signalId) && m.has("counterpart")) {
                    return m;
                }
            }
            FederationTest.sleep(100);
        }
        throw new AssertionError(node + " got no match for its signal in time");
    }

    @SuppressWarnings("unchecked")
    private static TransactionOperations<Connection> tx(String node) {
        return NODES.get(node).bean(TransactionOperations.class);
    }

    private static String query(String node, String sql, UUID parameter) {
        return tx(node).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(sql)) {
                s.setObject(1, parameter);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.append(i == 1 ? "" : " ").append(rs.getString(i));
                    }
                    return row.toString();
                }
            }
        });
    }

    private static long contactAccesses(String node) {
        return count(node, "SELECT count(*) FROM contact_access");
    }

    private static long auditEntries(String node, String kind) {
        return count(node, "SELECT count(*) FROM audit_entry WHERE kind = '" + kind + "'");
    }

    private static long count(String node, String sql) {
        return tx(node).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(sql);
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
