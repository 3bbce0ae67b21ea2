package nl.betrokken.node.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.Youths;

/**
 * A FAMILY match whose counterpart's node is down: asking is a 503 and nothing is stored at the home node (no
 * half-written request); the gate still says there is no consent. A parent of both youths answering while one part's
 * node is down is told so (503), never that it is done; what the other node recorded stays.
 */
class ConsentOutageTest {

    @Test
    void counterpartDown_askIs503_andNothingIsStored() throws Exception {
        try (TestFederation federation = TestFederation.noordAndOost()) {
            Map<String, NodeHarness> nodes = federation.nodes();
            String younger = Youths.bsn();
            String older = Youths.bsn();
            String parent = Youths.bsn();
            LocalDate today = LocalDate.now(ClockFactory.ZONE);
            String atNoord = register(nodes.get("noord"), Youths.registration(younger, today.minusYears(8).toString(),
                    parent));
            register(nodes.get("oost"), Youths.registration(older, today.minusYears(10).toString(), parent));
            String matchId = awaitMatch(nodes.get("noord"), atNoord);

            nodes.remove("oost").close();
            NodeHarness.Response asked = nodes.get("noord").call("POST", "/api/v1/matches/" + matchId
                    + "/consent-requests", Map.of("purpose", "Hulp voor het gezin"), "prof-a");
            assertEquals(503, asked.status(), String.valueOf(asked.body()));
            assertTrue(asked.contentType().startsWith("application/problem+json"), asked.contentType());
            assertEquals(0, count(nodes.get("noord"), "SELECT COUNT(*) FROM consent_request"));
            assertEquals(0, count(nodes.get("noord"), "SELECT COUNT(*) FROM consent_part"));
            TransactionOperations<Connection> tx = nodes.get("noord").bean(TransactionOperations.class);
            ConsentGate gate = nodes.get("noord").bean(ConsentGate.class);
            assertEquals("consent-none", tx.executeWrite(s -> gate.usable(s.getConnection(), UUID.fromString(matchId),
                    UUID.fromString(atNoord))).refusal());
        }
    }

    @Test
    void partNodeDown_answerIs503_notDone() throws Exception {
        try (TestFederation federation = TestFederation.noordAndOost()) {
            Map<String, NodeHarness> nodes = federation.nodes();
            String parent = Youths.bsn();
            LocalDate today = LocalDate.now(ClockFactory.ZONE);
            String atNoord = register(nodes.get("noord"), Youths.registration(Youths.bsn(),
                    today.minusYears(8).toString(), parent));
            register(nodes.get("oost"), Youths.registration(Youths.bsn(), today.minusYears(10).toString(), parent));
            String matchId = awaitMatch(nodes.get("noord"), atNoord);
            NodeHarness.Response asked = nodes.get("noord").call("POST", "/api/v1/matches/" + matchId
                    + "/consent-requests", Map.of("purpose", "Hulp voor het gezin"), "prof-a");
            assertEquals(201, asked.status(), String.valueOf(asked.body()));
            String consentId = asked.body().get("id").asText();

            nodes.remove("oost").close();
            NodeHarness noord = nodes.get("noord");
            String token = noord.call("POST", "/dev/idp/token", Map.of("bsn", parent), null, null).body()
                    .get("access_token").asText();
            NodeHarness.Response granted = noord.call("POST", "/api/v1/consent-requests/" + consentId + "/grant",
                    Map.of(), null, Map.of("Authorization", "Bearer " + token));
            assertEquals(503, granted.status(), String.valueOf(granted.body()));
            assertEquals(1, count(noord, "SELECT COUNT(*) FROM consent_part WHERE parent_answer = 'GRANTED'"),
                    "noord's part, answered before oost was asked, keeps its answer");
        }
    }

    private static String register(NodeHarness node, Map<String, Object> body) {
        NodeHarness.Response r = node.call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    private static String awaitMatch(NodeHarness node, String signalId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            for (JsonNode m : node.call("GET", "/api/v1/matches", null, "prof-a").body().get("items")) {
                if (m.get("signalId").asText().equals(signalId) && m.has("counterpart")
                        && !m.get("counterpart").isNull()) {
                    return m.get("id").asText();
                }
            }
            assertTrue(System.nanoTime() < deadline, "no match on " + signalId);
            Thread.sleep(100);
        }
    }

    private static long count(NodeHarness node, String sql) {
        TransactionOperations<Connection> tx = node.bean(TransactionOperations.class);
        return tx.executeRead(s -> {
            try (PreparedStatement select = s.getConnection().prepareStatement(sql);
                 ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
