package nl.betrokken.node.objection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;

/**
 * Bezwaar through a real coordinator process and two nodes, noord on H2 and oost on PostgreSQL: a parent signed in
 * at noord objects to their child's signal at oost; oost's gemeente sees it with its deadline and upholds it, noord's
 * gemeente cannot decide it; the signal is erased at oost and noord's match on it is withdrawn through the
 * coordinator. A rejected objection keeps the signal and shows the motivation. Strangers and bad input are refused.
 */
class ObjectionFederationTest {

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

    @Test
    void parent_objectsAtAnotherNode_holdingGemeenteUpholds_signalErasedAndCounterpartMatchWithdrawn() {
        String child = Youths.bsn();
        String mother = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(9).toString();
        String atOost = register("oost", Youths.registration(child, born, mother));
        String atNoord = register("noord", Youths.registration(child, born));
        String motherToken = token("noord", mother);
        await(() -> citizen("noord", "GET", "/api/v1/citizen/signals", null, motherToken).body(),
                page -> page.get("items").size() == 2, "the mother's inzage shows both signals");
        JsonNode match = await(() -> NODES.get("noord").call("GET", "/api/v1/matches", null, "prof-a").body(),
                page -> matchOn(page, atNoord) != null, "noord's match on the child").get("items");
        String matchId = matchOn(NODES.get("noord").call("GET", "/api/v1/matches", null, "prof-a").body(), atNoord)
                .get("id").asText();
        assertNotNull(match);

        NodeHarness.Response filed = citizen("noord", "POST", "/api/v1/objections",
                Map.of("node", "oost", "signalId", atOost, "reason", "Deze melding klopt niet, wij hebben geen zorgen."),
                motherToken);
        assertEquals(201, filed.status(), String.valueOf(filed.body()));
        assertEquals("OPEN", filed.body().get("status").asText());
        LocalDate deadline = LocalDate.now(ClockFactory.ZONE).plusWeeks(6);
        assertEquals(deadline.toString(), filed.body().get("deadline").asText());
        String objection = filed.body().get("id").asText();

        NodeHarness.Response again = citizen("noord", "POST", "/api/v1/objections",
                Map.of("node", "oost", "signalId", atOost, "reason", "Nog een keer: deze melding klopt niet."),
                token("noord", mother));
        assertEquals(409, again.status(), String.valueOf(again.body()));
        assertEquals(objection, again.body().get("existingId").asText());

        JsonNode atGemeente = item(NODES.get("oost").call("GET", "/api/v1/objections", null, "gemeente").body(), objection);
        assertNotNull(atGemeente, "oost's gemeente sees the objection");
        assertEquals("OPEN", atGemeente.get("status").asText());
        assertEquals(atOost, atGemeente.get("signalId").asText());
        assertEquals(deadline.toString(), atGemeente.get("deadline").asText());
        assertTrue(atGemeente.get("reason").asText().startsWith("Deze melding"));
        assertEquals(null, item(NODES.get("noord").call("GET", "/api/v1/objections", null, "gemeente").body(), objection),
                "noord's gemeente does not see oost's objection");

        Map<String, String> uphold = Map.of("outcome", "UPHELD", "motivation", "De zorgen zijn niet onderbouwd.");
        assertEquals(404, NODES.get("noord").call("POST", "/api/v1/objections/" + objection + "/decision", uphold,
                "gemeente").status(), "another region's gemeente cannot decide it");
        NodeHarness.Response decided = NODES.get("oost").call("POST", "/api/v1/objections/" + objection + "/decision",
                uphold, "gemeente");
        assertEquals(200, decided.status(), String.valueOf(decided.body()));
        assertEquals("UPHELD", decided.body().get("status").asText());
        NodeHarness.Response twice = NODES.get("oost").call("POST", "/api/v1/objections/" + objection + "/decision",
                Map.of("outcome", "REJECTED", "motivation", "Toch niet."), "gemeente");
        assertEquals(409, twice.status(), String.valueOf(twice.body()));

        assertEquals(404, NODES.get("oost").call("GET", "/api/v1/signals/" + atOost, null, "prof-a").status(),
                "the signal is erased at its node");
        JsonNode kept = item(NODES.get("oost").call("GET", "/api/v1/objections", null, "gemeente").body(), objection);
        assertEquals("UPHELD", kept.get("status").asText(), "the objection keeps its outcome");
        JsonNode withdrawn = await(() -> NODES.get("noord").call("GET", "/api/v1/matches", null, "prof-a").body(),
                page -> "WITHDRAWN".equals(status(page, matchId)), "noord's match is withdrawn");
        assertEquals("WITHDRAWN", status(withdrawn, matchId));
        assertEquals(200, NODES.get("noord").call("GET", "/api/v1/signals/" + atNoord, null, "prof-a").status(),
                "the counterpart's own signal stays");

        // The signal is gone from the coordinator too, yet the mother still sees the outcome of her objection.
        NodeHarness.Response mine = citizen("noord", "GET", "/api/v1/objections", null, token("noord", mother));
        assertEquals(200, mine.status(), String.valueOf(mine.body()));
        JsonNode outcome = item(mine.body(), objection);
        assertNotNull(outcome, mine.body().toString());
        assertEquals("UPHELD", outcome.get("status").asText());
        assertEquals("De zorgen zijn niet onderbouwd.", outcome.get("motivation").asText());
        // Every step is in the audit log of the node that took it.
        for (String kind : List.of("bezwaar.filed", "bezwaar.listed", "bezwaar.decided", "signal.erased")) {
            assertTrue(entries(NODES.get("oost"), kind) >= 1, "oost logged " + kind);
        }
        for (String kind : List.of("bezwaar.sent", "match.withdrawn")) {
            assertTrue(entries(NODES.get("noord"), kind) >= 1, "noord logged " + kind);
        }

        // The erased signal was the only one naming her as a parent, so the coordinator's look-up finds nothing now.
        assertEquals(0, citizen("noord", "GET", "/api/v1/citizen/signals", null, token("noord", mother)).body()
                .get("items").size(), "the coordinator no longer links the mother to the child");
    }

    @Test
    void rejectedObjection_keepsTheSignal_andTheCitizenSeesTheMotivation() {
        String youth = Youths.bsn();
        String father = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(10).toString();
        String atNoord = register("noord", Youths.registration(youth, born, father));
        String fatherToken = token("oost", father);
        await(() -> citizen("oost", "GET", "/api/v1/citizen/signals", null, fatherToken).body(),
                page -> page.get("items").size() == 1, "the father's inzage shows the signal");
        // Filed at the node that holds the signal itself: the same rules, without HTTP between nodes.
        NodeHarness.Response filed = citizen("noord", "POST", "/api/v1/objections",
                Map.of("node", "noord", "signalId", atNoord, "reason", "Ik wil weten waarom dit is gemeld."),
                token("noord", father));
        assertEquals(201, filed.status(), String.valueOf(filed.body()));
        String objection = filed.body().get("id").asText();
        NodeHarness.Response rejected = NODES.get("noord").call("POST", "/api/v1/objections/" + objection + "/decision",
                Map.of("outcome", "REJECTED", "motivation", "De school heeft terechte zorgen gemeld."), "gemeente");
        assertEquals(200, rejected.status(), String.valueOf(rejected.body()));
        String stored = storedObjections(NODES.get("noord"));
        assertFalse(stored.contains("waarom dit is gemeld") || stored.contains("terechte zorgen"),
                "the reason and the motivation are stored only encrypted: " + stored);
        assertEquals(200, NODES.get("noord").call("GET", "/api/v1/signals/" + atNoord, null, "prof-a").status(),
                "a rejected objection keeps the signal");

        NodeHarness.Response mine = citizen("oost", "GET", "/api/v1/objections", null, token("oost", father));
        assertEquals(200, mine.status(), String.valueOf(mine.body()));
        JsonNode seen = item(mine.body(), objection);
        assertNotNull(seen, mine.body().toString());
        assertEquals("REJECTED", seen.get("status").asText());
        assertEquals("noord", seen.get("node").asText());
        assertEquals("De school heeft terechte zorgen gemeld.", seen.get("motivation").asText());
        assertEquals(0, mine.body().get("unavailable").size());

        NodeHarness.Response stranger = citizen("oost", "GET", "/api/v1/objections", null, token("oost", Youths.bsn()));
        assertEquals(200, stranger.status());
        assertEquals(0, stranger.body().get("items").size(), "a stranger sees no objection");
    }

    @Test
    void withdrawnSignal_closesItsOpenObjection_andTheParentSeesWhy() {
        String mother = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(7).toString();
        String atNoord = register("noord", Youths.registration(Youths.bsn(), born, mother));
        await(() -> citizen("noord", "GET", "/api/v1/citizen/signals", null, token("noord", mother)).body(),
                page -> page.get("items").size() == 1, "the mother's inzage shows the signal");
        NodeHarness.Response filed = citizen("noord", "POST", "/api/v1/objections", Map.of("node", "noord",
                "signalId", atNoord, "reason", "Dit signaal gaat niet over ons gezin.", "email",
                "moeder@example.org"), token("noord", mother));
        assertEquals(201, filed.status(), String.valueOf(filed.body()));
        String objection = filed.body().get("id").asText();

        assertEquals(204, NODES.get("noord").call("POST", "/api/v1/signals/" + atNoord + "/withdraw", null, "prof-a")
                .status(), "the professional withdraws it as made in error");

        String today = LocalDate.now(ClockFactory.ZONE).toString();
        JsonNode atGemeente = item(NODES.get("noord").call("GET", "/api/v1/objections", null, "gemeente").body(),
                objection);
        assertEquals("CLOSED", atGemeente.get("status").asText(), atGemeente.toString());
        assertEquals("SIGNAL_WITHDRAWN", atGemeente.get("closedBecause").asText());
        assertEquals(today, atGemeente.get("decidedOn").asText(), "closed on the day of the withdrawal");
        NodeHarness.Response decided = NODES.get("noord").call("POST", "/api/v1/objections/" + objection + "/decision",
                Map.of("outcome", "REJECTED", "motivation", "Te laat."), "gemeente");
        assertEquals(409, decided.status(), "a closed objection is final: " + decided.body());

        JsonNode seen = item(citizen("noord", "GET", "/api/v1/objections", null, token("noord", mother)).body(),
                objection);
        assertNotNull(seen, "the mother still sees her objection");
        assertEquals("CLOSED", seen.get("status").asText());
        assertEquals("SIGNAL_WITHDRAWN", seen.get("closedBecause").asText());
        assertEquals(today, seen.get("decidedOn").asText());
        assertEquals(1, count(NODES.get("noord"), "SELECT count(*) FROM notification WHERE kind = 'OBJECTION_CLOSED'"
                + " AND objection_id = ?", java.util.UUID.fromString(objection)), "she is told by e-mail");
        assertEquals(0, count(NODES.get("noord"), "SELECT count(*) FROM objection WHERE id = ? AND email_sealed IS NOT"
                + " NULL", java.util.UUID.fromString(objection)), "her address left the objection");
        assertTrue(entries(NODES.get("noord"), "bezwaar.closed") >= 1, "noord logged bezwaar.closed");
        // The portal says what happened, in words.
        nl.betrokken.node.web.PortaalClient portal = new nl.betrokken.node.web.PortaalClient(NODES.get("noord").port());
        portal.signIn(mother);
        String page = portal.get("/portaal/bezwaren").body();
        assertTrue(page.contains("De professional heeft het signaal ingetrokken") && page.contains("Afgesloten op"),
                page);
    }

    @Test
    void stranger_objectingToSomeoneElsesSignal_gets404() {
        String youth = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(8).toString();
        String parent = Youths.bsn();
        String atOost = register("oost", Youths.registration(youth, born, parent));
        await(() -> citizen("noord", "GET", "/api/v1/citizen/signals", null, token("noord", parent)).body(),
                page -> page.get("items").size() == 1, "the parent's inzage shows the signal");
        Map<String, String> body = Map.of("node", "oost", "signalId", atOost, "reason", "Dit gaat mij niet aan, maar toch.");
        NodeHarness.Response stranger = citizen("noord", "POST", "/api/v1/objections", body, token("noord", Youths.bsn()));
        assertEquals(404, stranger.status(), String.valueOf(stranger.body()));
        NodeHarness.Response unknown = citizen("noord", "POST", "/api/v1/objections",
                Map.of("node", "oost", "signalId", java.util.UUID.randomUUID().toString(),
                        "reason", "Een melding die niet bestaat."), token("noord", parent));
        assertEquals(404, unknown.status(), "an unknown signal: the same 404");
        assertEquals(stranger.body().get("type").asText(), unknown.body().get("type").asText());
        assertEquals(0, NODES.get("oost").call("GET", "/api/v1/objections", null, "gemeente").body().get("items")
                .findValues("signalId").stream().filter(v -> v.asText().equals(atOost)).count());
    }

    @Test
    void ageRules_parentUntil16_youthFrom12() {
        LocalDate today = LocalDate.now(ClockFactory.ZONE);
        String sixteen = Youths.bsn();
        String eleven = Youths.bsn();
        String parent = Youths.bsn();
        String at16 = register("oost", Youths.registration(sixteen, today.minusYears(16).toString(), parent));
        String at11 = register("oost", Youths.registration(eleven, today.minusYears(11).toString(), parent));
        // Both signals reached the coordinator: the youth of 16 sees their own, the parent the child's of 11.
        await(() -> citizen("noord", "GET", "/api/v1/citizen/signals", null, token("noord", sixteen)).body(),
                page -> page.get("items").size() == 1, "the youth of 16 sees their own signal");
        await(() -> citizen("noord", "GET", "/api/v1/citizen/signals", null, token("noord", parent)).body(),
                page -> page.get("items").size() == 1, "the parent sees only the eleven-year-old's signal");
        String reason = "Ik ben het niet eens met deze melding.";
        assertEquals(404, citizen("noord", "POST", "/api/v1/objections",
                Map.of("node", "oost", "signalId", at16, "reason", reason), token("noord", parent)).status(),
                "a parent no longer objects for a youth of 16");
        assertEquals(404, citizen("noord", "POST", "/api/v1/objections",
                Map.of("node", "oost", "signalId", at11, "reason", reason), token("noord", eleven)).status(),
                "a youth of 11 does not object themselves");
        NodeHarness.Response self = citizen("noord", "POST", "/api/v1/objections",
                Map.of("node", "oost", "signalId", at16, "reason", reason), token("noord", sixteen));
        assertEquals(201, self.status(), "a youth of 16 objects themselves: " + self.body());
        NodeHarness.Response parents = citizen("noord", "POST", "/api/v1/objections",
                Map.of("node", "oost", "signalId", at11, "reason", reason), token("noord", parent));
        assertEquals(201, parents.status(), "a parent objects for a child of 11: " + parents.body());
    }

    @Test
    void ageRules_youthAt12And22_parentUntilTheDayBefore16_notAt22() {
        LocalDate today = LocalDate.now(ClockFactory.ZONE);
        String twelve = Youths.bsn();
        String fifteen = Youths.bsn();
        String twentyTwo = Youths.bsn();
        String parent = Youths.bsn();
        String at12 = register("oost", Youths.registration(twelve, today.minusYears(12).toString()));
        String at15 = register("oost", Youths.registration(fifteen, today.minusYears(16).plusDays(1).toString(), parent));
        String at22 = register("oost", Youths.registration(twentyTwo, today.minusYears(23).plusDays(1).toString(),
                parent));
        await(() -> citizen("noord", "GET", "/api/v1/citizen/signals", null, token("noord", twentyTwo)).body(),
                page -> page.get("items").size() == 1, "the youth of 22 sees their own signal");
        await(() -> citizen("noord", "GET", "/api/v1/citizen/signals", null, token("noord", parent)).body(),
                page -> page.get("items").size() == 1, "the parent sees only the signal of the child of 15");
        await(() -> citizen("noord", "GET", "/api/v1/citizen/signals", null, token("noord", twelve)).body(),
                page -> page.get("items").size() == 1, "the youth of 12 sees their own signal");
        String reason = "Ik ben het niet eens met deze melding.";
        assertEquals(404, citizen("noord", "POST", "/api/v1/objections",
                Map.of("node", "oost", "signalId", at22, "reason", reason), token("noord", parent)).status(),
                "a parent does not object for a youth of 22");
        assertEquals(201, citizen("noord", "POST", "/api/v1/objections",
                Map.of("node", "oost", "signalId", at12, "reason", reason), token("noord", twelve)).status(),
                "a youth of 12 objects themselves");
        assertEquals(201, citizen("noord", "POST", "/api/v1/objections",
                Map.of("node", "oost", "signalId", at15, "reason", reason), token("noord", parent)).status(),
                "a parent objects for a child of 15 (the day before the 16th birthday)");
        assertEquals(201, citizen("noord", "POST", "/api/v1/objections",
                Map.of("node", "oost", "signalId", at22, "reason", reason), token("noord", twentyTwo)).status(),
                "a youth of 22 objects themselves");
    }

    @Test
    void badInput_answers400NamingTheField() {
        String citizen = token("noord", Youths.bsn());
        assertField(citizen("noord", "POST", "/api/v1/objections",
                Map.of("node", "oost", "signalId", java.util.UUID.randomUUID().toString(), "reason", "te kort"),
                citizen), "reason");
        assertField(citizen("noord", "POST", "/api/v1/objections",
                Map.of("node", "oost", "signalId", java.util.UUID.randomUUID().toString(), "reason", "x".repeat(2001)),
                citizen), "reason");
        assertField(citizen("noord", "POST", "/api/v1/objections",
                Map.of("node", "oost", "signalId", "not-a-uuid", "reason", "Deze melding klopt niet."), citizen),
                "signalId");
        assertField(citizen("noord", "POST", "/api/v1/objections",
                Map.of("signalId", java.util.UUID.randomUUID().toString(), "reason", "Deze melding klopt niet."),
                citizen), "node");
        String path = "/api/v1/objections/" + java.util.UUID.randomUUID() + "/decision";
        assertField(NODES.get("noord").call("POST", path, Map.of("outcome", "UPHELD"), "gemeente"), "motivation");
        assertField(NODES.get("noord").call("POST", path, Map.of("outcome", "UPHELD", "motivation", " "), "gemeente"),
                "motivation");
        assertField(NODES.get("noord").call("POST", path, Map.of("outcome", "MAYBE", "motivation", "Omdat."),
                "gemeente"), "outcome");
        assertEquals(403, NODES.get("noord").call("POST", path, Map.of("outcome", "UPHELD", "motivation", "Omdat."),
                "prof-a").status(), "a professional does not decide objections");
        assertEquals(403, citizen("noord", "POST", path, Map.of("outcome", "UPHELD", "motivation", "Omdat."), citizen)
                .status(), "a citizen does not decide objections");
    }

    /** How many entries of {@code kind} the node's audit log holds. */
    private static long entries(NodeHarness node, String kind) {
        return count(node, "SELECT count(*) FROM audit_entry WHERE kind = ?", kind);
    }

    /** The count {@code sql} answers at {@code node}. */
    private static long count(NodeHarness node, String sql, Object... parameters) {
        @SuppressWarnings("unchecked")
        io.micronaut.transaction.TransactionOperations<java.sql.Connection> tx =
                node.bean(io.micronaut.transaction.TransactionOperations.class);
        return tx.executeRead(status -> {
            try (var select = status.getConnection().prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    select.setObject(i + 1, parameters[i]);
                }
                try (java.sql.ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Every objection row of {@code node} as text, bytes decoded as UTF-8, to look for plaintext. */
    private static String storedObjections(NodeHarness node) {
        @SuppressWarnings("unchecked")
        io.micronaut.transaction.TransactionOperations<java.sql.Connection> tx =
                node.bean(io.micronaut.transaction.TransactionOperations.class);
        return tx.executeRead(status -> {
            StringBuilder sb = new StringBuilder();
            try (var s = status.getConnection().createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT * FROM objection")) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        Object v = rs.getObject(i);
                        sb.append(v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : v)
                                .append('|');
                    }
                }
            }
            assertTrue(sb.length() > 0, "there are objection rows");
            return sb.toString();
        });
    }

    private static void assertField(NodeHarness.Response r, String field) {
        assertEquals(400, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        List<String> fields = r.body().get("violations").findValues("field").stream().map(JsonNode::asText).toList();
        assertTrue(fields.contains(field), field + " in " + r.body());
    }

    private static JsonNode matchOn(JsonNode page, String signalId) {
        for (JsonNode m : page.get("items")) {
            if (m.get("signalId").asText().equals(signalId)) {
                return m;
            }
        }
        return null;
    }

    private static String status(JsonNode page, String matchId) {
        for (JsonNode m : page.get("items")) {
            if (m.get("id").asText().equals(matchId)) {
                return m.get("status").asText();
            }
        }
        return null;
    }

    private static JsonNode item(JsonNode page, String id) {
        for (JsonNode i : page.get("items")) {
            if (i.get("id").asText().equals(id)) {
                return i;
            }
        }
        return null;
    }

    private static String register(String node, Map<String, Object> body) {
        NodeHarness.Response r = NODES.get(node).call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    /** A dev identity provider's token for {@code bsn} at {@code node}. */
    private static String token(String node, String bsn) {
        NodeHarness.Response token = NODES.get(node).call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        assertEquals(200, token.status(), String.valueOf(token.body()));
        return token.body().get("access_token").asText();
    }

    private static NodeHarness.Response citizen(String node, String method, String path, Object body, String token) {
        return NODES.get(node).call(method, path, body, null, Map.of("Authorization", "Bearer " + token));
    }

    private static JsonNode await(Supplier<JsonNode> read, Predicate<JsonNode> done, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode value = read.get();
        while (!done.test(value)) {
            assertFalse(System.nanoTime() > deadline, "timed out waiting until " + what + ": " + value);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            value = read.get();
        }
        return value;
    }
}
