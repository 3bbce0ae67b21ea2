package nl.betrokken.node.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.Waiting;
import nl.betrokken.node.Youths;

/**
 * Correcting, withdrawing and handing over a signal across nodes: a real coordinator, noord on H2, oost on
 * PostgreSQL. A parent added gives a family match at both sides and removed withdraws it at both; a corrected birth
 * date moves activeUntil; a withdrawn signal is erased at noord and the coordinator and oost's match withdrawn; a
 * signal handed to a colleague moves with its match and oost sees the colleague, and later the colleague's own new
 * e-mail. Bad input is a 400 naming the field, and nothing changes.
 */
class SignalChangesFederationTest {

    private static final String PASSWORD = "initial-password-1";
    private static TestFederation federation;
    private static NodeHarness noord;
    private static NodeHarness oost;

    @BeforeAll
    static void start() {
        federation = TestFederation.noordAndOost(NodeHarness.Db.H2, NodeHarness.Db.POSTGRES,
                Map.of("betrokken.staff.contact-push-interval", "200ms"));
        noord = federation.nodes().get("noord");
        oost = federation.nodes().get("oost");
    }

    @AfterAll
    static void stop() {
        federation.close();
    }

    @Test
    void correction_addsAndWithdrawsFamilyMatchesAtBothSides_andMovesActiveUntil() {
        String child = Youths.bsn();
        String father = Youths.bsn();
        String mother = Youths.bsn();
        String atNoord = register(noord, Youths.registration(child, "2014-05-01", father));
        String atOost = register(oost, Youths.registration(Youths.bsn(), "2012-03-01", mother));
        JsonNode before = noord.call("GET", "/api/v1/signals/" + atNoord, null, "prof-a").body();

        assertRefusedNaming(patch(atNoord, Map.of("youth", Map.of("bsn", Youths.bsn()))), "youth.bsn");
        assertRefusedNaming(patch(atNoord, Map.of("youth", Map.of("birthDate", today().plusDays(1).toString()))),
                "youth.birthDate");
        assertRefusedNaming(patch(atNoord, Map.of("youth", Map.of("name", " "))), "youth.name");
        assertRefusedNaming(patch(atNoord, Map.of("parents", Youths.parents(father, "123456789"))), "parents[1].bsn");
        assertRefusedNaming(patch(atNoord, Map.of("parents", Youths.parents(child))), "parents[0].bsn");
        assertRefusedNaming(patch(atNoord, Map.of("parents", Youths.parents(mother, mother))), "parents[1].bsn");
        assertEquals(before, noord.call("GET", "/api/v1/signals/" + atNoord, null, "prof-a").body(),
                "nothing changed");

        NodeHarness.Response added = patch(atNoord, Map.of("parents", Youths.parents(father, mother)));
        assertEquals(200, added.status(), String.valueOf(added.body()));
        assertEquals(2, added.body().get("parents").asInt());
        JsonNode matchAtOost = Waiting.match(oost, atOost, m -> "ACTIVE".equals(m.get("status").asText()));
        assertEquals("FAMILY", matchAtOost.get("type").asText());
        Waiting.match(noord, atNoord, m -> m.get("id").equals(matchAtOost.get("id")));

        LocalDate birth = today().minusYears(22).minusMonths(6);
        NodeHarness.Response older = patch(atNoord, Map.of("youth", Map.of("birthDate", birth.toString(),
                "name", "Testkind Verbeterd")));
        assertEquals(200, older.status(), String.valueOf(older.body()));
        assertEquals(ActivePeriod.activeUntil(today(), birth).toString(), older.body().get("activeUntil").asText());
        assertEquals("Testkind Verbeterd", older.body().get("youth").get("name").asText());
        assertEquals(child, older.body().get("youth").get("bsn").asText());
        NodeHarness.Response again = patch(atNoord, Map.of("youth", Map.of("birthDate", birth.toString())));
        assertEquals(older.body(), again.body(), "the same correction again changes nothing");

        assertEquals(200, patch(atNoord, Map.of("parents", Youths.parents(father))).status());
        String matchId = matchAtOost.get("id").asText();
        Waiting.match(oost, atOost, m -> m.get("id").asText().equals(matchId)
                && "WITHDRAWN".equals(m.get("status").asText()));
        Waiting.match(noord, atNoord, m -> m.get("id").asText().equals(matchId)
                && "WITHDRAWN".equals(m.get("status").asText()));
        Waiting.waitFor(() -> outboxEmpty(noord), "noord's corrections all taken by the coordinator");
    }

    @Test
    void withdrawal_erasesAtNoordAndTheCoordinator_andWithdrawsOostsMatch() {
        String child = Youths.bsn();
        String atNoord = register(noord, Youths.registration(child));
        String atOost = register(oost, Youths.registration(child));
        String matchId = Waiting.match(oost, atOost, m -> "ACTIVE".equals(m.get("status").asText())).get("id").asText();
        Waiting.match(noord, atNoord, m -> m.get("id").asText().equals(matchId));

        assertEquals(404, noord.call("POST", "/api/v1/signals/" + atNoord + "/withdraw", null, "prof-b").status(),
                "another organisation's signal");
        assertEquals(204, noord.call("POST", "/api/v1/signals/" + atNoord + "/withdraw", null, "prof-a").status());
        assertEquals(404, noord.call("POST", "/api/v1/signals/" + atNoord + "/withdraw", null, "prof-a").status(),
                "asked again, it is gone");
        assertEquals(404, noord.call("GET", "/api/v1/signals/" + atNoord, null, "prof-a").status());
        assertEquals(0, count(noord, "SELECT count(*) FROM node_match WHERE match_id = '" + matchId + "'"));
        assertEquals(0, count(noord, "SELECT count(*) FROM signal WHERE id = '" + atNoord + "'"), "not archived");
        Waiting.match(oost, atOost, m -> m.get("id").asText().equals(matchId)
                && "WITHDRAWN".equals(m.get("status").asText()));
        Waiting.waitFor(() -> outboxEmpty(noord), "the erasure taken by the coordinator");
        // Registered anew, the youth matches oost's signal once: the coordinator holds only the new signal.
        String anew = register(noord, Youths.registration(child));
        JsonNode fresh = Waiting.match(noord, anew, m -> "ACTIVE".equals(m.get("status").asText()));
        assertTrue(!fresh.get("id").asText().equals(matchId));
    }

    @Test
    void handOver_movesTheSignalAndTellsTheCounterpart_andOwnContactReachesItToo() {
        String colleague = addProfessional();
        String child = Youths.bsn();
        String atNoord = register(noord, Youths.registration(child));
        String atOost = register(oost, Youths.registration(child));
        Waiting.match(oost, atOost, m -> m.has("counterpart") && m.get("counterpart").get("email").asText()
                .equals("noord-prof-a@example.org"));

        assertRefusedNaming(handOver(atNoord, "nobody-here"), "to");
        assertRefusedNaming(handOver(atNoord, "noord-prof-b"), "to");
        assertRefusedNaming(handOver(atNoord, "noord-coord-a"), "to");
        assertRefusedNaming(handOver(atNoord, ""), "to");
        assertEquals("noord-prof-a", noord.call("GET", "/api/v1/signals/" + atNoord, null, "prof-a").body()
                .get("professional").asText(), "nothing moved");

        NodeHarness.Response moved = handOver(atNoord, colleague);
        assertEquals(200, moved.status(), String.valueOf(moved.body()));
        assertEquals(colleague, moved.body().get("professional").asText());
        assertEquals(200, handOver(atNoord, colleague).status(), "a retry changes nothing");
        Waiting.match(oost, atOost, m -> m.has("counterpart") && m.get("counterpart").get("email").asText()
                .equals(colleague + "@school.example"));
        List<String> log = new ArrayList<>();
        noord.call("GET", "/api/v1/staff/changes", null, "coord-a").body().get("items").forEach(c -> log.add(
                c.get("action").asText() + " " + c.get("subject").asText() + " " + c.path("handOverTo").asText()));
        assertEquals(1, log.stream().filter(l -> l.equals("HANDED_OVER noord-prof-a " + colleague)).count(),
                log.toString());

        assertRefusedNaming(as(colleague, "PATCH", "/api/v1/me", Map.of("email", "geen-adres")), "email");
        assertRefusedNaming(as(colleague, "PATCH", "/api/v1/me", Map.of("phone", "bel me")), "phone");
        NodeHarness.Response own = as(colleague, "PATCH", "/api/v1/me", Map.of("email", "wijk@school.example"));
        assertEquals(200, own.status(), String.valueOf(own.body()));
        assertEquals("wijk@school.example", as(colleague, "GET", "/api/v1/me", null).body().get("email").asText());
        Waiting.match(oost, atOost, m -> m.has("counterpart") && m.get("counterpart").get("email").asText()
                .equals("wijk@school.example"));
        assertEquals(403, noord.call("PATCH", "/api/v1/me", Map.of("email", "x@y.example"), "gemeente").status());
        NodeHarness.Response colleagues = as(colleague, "GET", "/api/v1/me/colleagues", null);
        assertEquals(200, colleagues.status(), String.valueOf(colleagues.body()));
        List<String> names = new ArrayList<>();
        colleagues.body().get("colleagues").forEach(c -> names.add(c.get("username").asText()));
        assertTrue(names.contains("noord-prof-a") && names.contains(colleague), names.toString());
        assertEquals(403, noord.call("GET", "/api/v1/me/colleagues", null, "gemeente").status());
    }

    private static LocalDate today() {
        return LocalDate.now(ClockFactory.ZONE);
    }

    private static String register(NodeHarness node, Map<String, Object> body) {
        NodeHarness.Response r = node.call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    private static NodeHarness.Response patch(String id, Map<String, Object> body) {
        return noord.call("PATCH", "/api/v1/signals/" + id, body, "prof-a");
    }

    private static NodeHarness.Response handOver(String id, String to) {
        return noord.call("POST", "/api/v1/signals/" + id + "/hand-over", Map.of("to", to), "prof-a");
    }

    private static String addProfessional() {
        String username = "noord-w" + System.nanoTime() % 1_000_000_000;
        Map<String, Object> body = new HashMap<>(Map.of("username", username, "displayName", "Collega " + username,
                "email", username + "@school.example", "phone", "+31 6 1234 5678", "initialPassword", PASSWORD));
        NodeHarness.Response r = noord.call("POST", "/api/v1/staff", body, "coord-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return username;
    }

    private static NodeHarness.Response as(String username, String method, String path, Object body) {
        String credentials = Base64.getEncoder().encodeToString((username + ":" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        return noord.call(method, path, body, null, Map.of("Authorization", "Basic " + credentials));
    }

    static void assertRefusedNaming(NodeHarness.Response r, String field) {
        assertEquals(400, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        List<String> fields = new ArrayList<>();
        r.body().get("violations").forEach(v -> fields.add(v.get("field").asText()));
        assertTrue(fields.contains(field), "violations " + fields + " should name " + field);
    }

    private static boolean outboxEmpty(NodeHarness node) {
        return count(node, "SELECT count(*) FROM outbox") == 0;
    }

    @SuppressWarnings("unchecked")
    private static long count(NodeHarness node, String sql) {
        TransactionOperations<Connection> tx = node.bean(TransactionOperations.class);
        return tx.executeRead(status -> {
            try (var s = status.getConnection().createStatement(); var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
