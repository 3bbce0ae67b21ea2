package nl.betrokken.node.followup;

import static nl.betrokken.node.followup.Fixtures.assertRefusedNaming;
import static nl.betrokken.node.followup.Fixtures.followUp;
import static nl.betrokken.node.followup.Fixtures.regie;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.TestFederation;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.keys.NodeTokens;

/**
 * Regie across two nodes of a real federation: noord on PostgreSQL, oost on H2, and a coordinator process. Regie
 * messages are sent on demand ({@link RegieSender#deliverDue()}), so that the test decides when a node hears.
 */
class RegieFederationTest {

    static TestFederation federation;
    static Map<String, NodeHarness> NODES;

    @BeforeAll
    static void start() {
        federation = TestFederation.noordAndOost(NodeHarness.Db.POSTGRES, NodeHarness.Db.H2,
                Map.of("betrokken.follow-up.regie-send-interval", "1h"));
        NODES = federation.nodes();
    }

    @AfterAll
    static void stop() {
        federation.close();
    }

    static NodeHarness node(String id) {
        return NODES.get(id);
    }

    /** A child match between prof-a at noord and prof-a at oost, once both nodes have it with the counterpart. */
    static UUID match() {
        String child = Youths.bsn();
        String atNoord = node("noord").call("POST", "/api/v1/signals", Youths.registration(child), "prof-a").body()
                .get("id").asText();
        String atOost = node("oost").call("POST", "/api/v1/signals", Youths.registration(child), "prof-a").body()
                .get("id").asText();
        UUID match = awaitMatch("noord", atNoord);
        assertEquals(match, awaitMatch("oost", atOost));
        return match;
    }

    static UUID awaitMatch(String nodeId, String signalId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode m : node(nodeId).call("GET", "/api/v1/matches", null, "prof-a").body().get("items")) {
                if (m.get("signalId").asText().equals(signalId) && m.has("counterpart")) {
                    return UUID.fromString(m.get("id").asText());
                }
            }
            sleep(100);
        }
        throw new AssertionError("no match for " + signalId + " at " + nodeId + " within 30 s");
    }

    static int send(String nodeId) {
        return node(nodeId).bean(RegieSender.class).deliverDue();
    }

    @Test
    void regie_takenAtOneNode_isSeenAtTheOtherAndASecondClaimWaitsForTheHandOver() {
        UUID match = match();
        assertEquals(200, followUp(node("noord"), "prof-a", match, Map.of("outcome", "TAKES_REGIE")).status());
        assertEquals("OWN", regie(node("noord"), "prof-a", match));
        assertEquals(null, regie(node("oost"), "prof-a", match), "oost has not heard yet");
        assertEquals(1, send("noord"));
        assertEquals("COUNTERPART", regie(node("oost"), "prof-a", match));

        assertRefusedNaming(followUp(node("oost"), "prof-a", match, Map.of("outcome", "TAKES_REGIE")), 409, "outcome");

        assertEquals(200, node("noord").call("DELETE", "/api/v1/matches/" + match + "/regie", null, "prof-a").status());
        assertEquals(1, send("noord"));
        assertEquals(null, regie(node("oost"), "prof-a", match));
        assertEquals(200, followUp(node("oost"), "prof-a", match, Map.of("outcome", "TAKES_REGIE")).status());
        assertEquals(1, send("oost"));
        assertEquals("COUNTERPART", regie(node("noord"), "prof-a", match));
        assertEquals("OWN", regie(node("oost"), "prof-a", match));
    }

    @Test
    void regie_claimedAtBothNodesBeforeEitherHeard_theDecidingSidesClaimHoldsAtBoth() {
        // noord's party sorts first ("noord:…" < "oost:…"): noord's node decides which claim came first.
        UUID match = match();
        assertEquals(200, followUp(node("noord"), "prof-a", match, Map.of("outcome", "TAKES_REGIE")).status());
        sleep(5);
        assertEquals(200, followUp(node("oost"), "prof-a", match, Map.of("outcome", "TAKES_REGIE")).status());
        send("oost");
        assertEquals(null, regie(node("oost"), "prof-a", match),
                "noord had its own claim first: oost's is refused there and withdrawn here");
        send("noord");
        assertEquals("OWN", regie(node("noord"), "prof-a", match));
        assertEquals("COUNTERPART", regie(node("oost"), "prof-a", match));
    }

    @Test
    void regie_claimedAtBothNodesDecidingSideHearsItsOwnFirst_itsClaimReplacesTheOtherOnItsWay() {
        UUID match = match();
        assertEquals(200, followUp(node("oost"), "prof-a", match, Map.of("outcome", "TAKES_REGIE")).status());
        sleep(5);
        assertEquals(200, followUp(node("noord"), "prof-a", match, Map.of("outcome", "TAKES_REGIE")).status());
        send("noord");
        assertEquals("COUNTERPART", regie(node("oost"), "prof-a", match),
                "oost's claim was still on its way: noord's replaces it at oost");
        send("oost");
        assertEquals("OWN", regie(node("noord"), "prof-a", match));
        assertEquals("COUNTERPART", regie(node("oost"), "prof-a", match));
        assertEquals(List.of(), Fixtures.query(node("oost"),
                "SELECT id FROM regie_message WHERE match_id = ? AND done_at IS NULL", match), "nothing left to send");
    }

    @Test
    void regie_peerSendsABackDatedClaim_theAcceptedHolderStays() {
        // At the deciding side's node: its own claim was first received.
        UUID match = match();
        assertEquals(200, followUp(node("noord"), "prof-a", match, Map.of("outcome", "TAKES_REGIE")).status());
        Map<String, Object> early = claim("oost", match, Instant.now().minus(Duration.ofDays(3)));
        assertRefusedNaming(node("noord").call("POST", "/federation/v1/matches/" + match + "/regie", early, null,
                bearer("oost", "noord")), 409, "action");
        assertEquals("OWN", regie(node("noord"), "prof-a", match));
        send("noord");

        // At the other side's node: its claim was accepted by the deciding side's node, so it holds.
        UUID second = match();
        assertEquals(200, followUp(node("oost"), "prof-a", second, Map.of("outcome", "TAKES_REGIE")).status());
        send("oost");
        assertEquals("COUNTERPART", regie(node("noord"), "prof-a", second));
        Map<String, Object> earlier = claim("noord", second, Instant.now().minus(Duration.ofDays(3)));
        assertRefusedNaming(node("oost").call("POST", "/federation/v1/matches/" + second + "/regie", earlier, null,
                bearer("noord", "oost")), 409, "action");
        assertEquals("OWN", regie(node("oost"), "prof-a", second));
    }

    @Test
    void regie_otherNodeNoLongerHasTheSignal_messageIsMarkedDoneAndNotRetried() {
        UUID match = match();
        String oostRef = (String) claim("oost", match, Instant.now()).get("ref");
        Fixtures.tx(node("oost")).executeWrite(status -> { // erased at oost (an objection upheld)
            try (var delete = status.getConnection().prepareStatement("DELETE FROM signal WHERE ref = ?")) {
                delete.setString(1, oostRef);
                return delete.executeUpdate();
            }
        });
        assertEquals(200, followUp(node("noord"), "prof-a", match, Map.of("outcome", "TAKES_REGIE")).status());
        send("noord");
        assertEquals(List.of("the other node answered HTTP 404"), Fixtures.query(node("noord"),
                "SELECT done_reason FROM regie_message WHERE match_id = ?", match), "refused for good: done, with why");
        send("noord");
        assertEquals(List.of("1"), Fixtures.query(node("noord"),
                "SELECT attempts FROM regie_message WHERE match_id = ?", match), "and never sent again");
    }

    /** A CLAIM as {@code from}'s node would send it for match {@code match}, naming the instant {@code at}. */
    static Map<String, Object> claim(String from, UUID match, Instant at) {
        List<String> ticketAndRef = Fixtures.tx(node(from)).executeRead(status -> {
            try (var select = status.getConnection().prepareStatement("SELECT m.ticket, s.ref FROM node_match m"
                    + " JOIN signal s ON s.id = m.signal_id WHERE m.match_id = ?")) {
                select.setObject(1, match);
                try (var rs = select.executeQuery()) {
                    rs.next();
                    return List.of(rs.getString(1), rs.getString(2));
                }
            }
        });
        return Map.of("ticket", ticketAndRef.get(0), "ref", ticketAndRef.get(1), "action", "CLAIM", "at", at.toString());
    }

    @Test
    void regie_counterpartNodeDown_isToldWhenItIsBack() {
        UUID match = match();
        NodeHarness oost = NODES.remove("oost");
        Map<String, Object> oostProperties = oost.properties();
        oost.close();
        try {
            assertEquals(200, followUp(node("noord"), "prof-a", match, Map.of("outcome", "TAKES_REGIE")).status());
            assertEquals(0, send("noord"), "oost is down");
            assertEquals(List.of("1"), Fixtures.query(node("noord"),
                    "SELECT attempts FROM regie_message WHERE match_id = ?", match), "the message waits");
        } finally {
            NODES.put("oost", NodeHarness.start(oostProperties));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (send("noord") == 0 && System.nanoTime() < deadline) {
            sleep(250); // the first retry comes after 5 s
        }
        assertEquals("COUNTERPART", regie(node("oost"), "prof-a", match));
        assertEquals(List.of(), Fixtures.query(node("noord"), "SELECT id FROM regie_message WHERE match_id = ?", match));
    }

    @Test
    void regieEndpoint_withoutTokenOrForAnotherMatch_isRefused() {
        UUID match = match();
        List<String> ticketAndRef = Fixtures.tx(node("noord")).executeRead(status -> {
            try (var select = status.getConnection().prepareStatement("SELECT m.ticket, s.ref FROM node_match m"
                    + " JOIN signal s ON s.id = m.signal_id WHERE m.match_id = ?")) {
                select.setObject(1, match);
                try (var rs = select.executeQuery()) {
                    rs.next();
                    return List.of(rs.getString(1), rs.getString(2));
                }
            }
        });
        Map<String, Object> body = Map.of("ticket", ticketAndRef.get(0), "ref", ticketAndRef.get(1),
                "action", "RELEASE", "at", Instant.now().toString());
        String path = "/federation/v1/matches/" + match + "/regie";
        assertEquals(401, node("oost").call("POST", path, body, null).status());
        assertEquals(403, node("oost").call("POST", "/federation/v1/matches/" + UUID.randomUUID() + "/regie", body,
                null, bearer("noord", "oost")).status(), "a ticket for another match");
        assertEquals(403, node("oost").call("POST", path, body, null, bearer("oost", "oost")).status(),
                "oost is not the noord party of the ticket");
        Map<String, Object> future = new HashMap<>(body);
        future.put("at", Instant.now().plus(Duration.ofHours(1)).toString());
        assertRefusedNaming(node("oost").call("POST", path, future, null, bearer("noord", "oost")), 400, "at");
        Map<String, Object> unknown = new HashMap<>(body);
        unknown.put("action", "STEAL");
        assertRefusedNaming(node("oost").call("POST", path, unknown, null, bearer("noord", "oost")), 400, "action");
        assertEquals(204, node("oost").call("POST", path, body, null, bearer("noord", "oost")).status());
        assertTrue(regie(node("oost"), "prof-a", match) == null, "a release by a non-holder changes nothing");
    }

    static Map<String, String> bearer(String from, String to) {
        return Map.of("Authorization", "Bearer " + node(from).bean(NodeTokens.class).forCall(to));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
