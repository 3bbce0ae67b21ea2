package nl.betrokken.node.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.Youths;

/**
 * Consent across nodes, with a real coordinator process (its register) and three nodes: noord (H2), oost (PostgreSQL)
 * and zuid (H2), where the parent and the youth sign in. A CHILD match between noord and oost: noord's professional
 * asks, the parent answers at zuid, the gate at noord gives a token, the parent withdraws and the gate refuses. A
 * FAMILY match has two parts, each with its own youth's needs. The refusals: not your match, twice, a bad purpose.
 */
class ConsentFederationTest {

    static TestFederation federation;
    static Map<String, NodeHarness> NODES;

    @BeforeAll
    static void start() {
        federation = TestFederation.noordOostZuid();
        NODES = federation.nodes();
    }

    @AfterAll
    static void stop() {
        federation.close();
    }

    @Test
    void childOf10_parentGrantsAtZuid_gateGivesAToken_parentWithdraws_gateRefuses() throws Exception {
        String child = Youths.bsn();
        String parent = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(10).toString();
        String atNoord = register("noord", Youths.registration(child, born, parent));
        String atOost = register("oost", Youths.registration(child, born, parent));
        String matchId = awaitMatch("noord", atNoord);
        awaitMatch("oost", atOost);

        // Refusals first: a bad purpose names the field; another organisation's professional; an unknown match.
        NodeHarness.Response empty = ask("noord", matchId, "", "prof-a");
        assertEquals(400, empty.status(), String.valueOf(empty.body()));
        assertEquals("purpose", empty.body().get("violations").get(0).get("field").asText());
        assertEquals(400, ask("noord", matchId, "x".repeat(501), "prof-a").status());
        assertEquals(403, ask("noord", matchId, "Afstemmen van de hulp", "prof-b").status());
        assertEquals(404, ask("noord", UUID.randomUUID().toString(), "Afstemmen van de hulp", "prof-a").status());
        assertEquals("NONE", NODES.get("noord").call("GET", "/api/v1/matches/" + matchId + "/consent", null, "prof-a")
                .body().get("status").asText());
        assertEquals("consent-none", gate("noord", matchId, atNoord).refusal());

        NodeHarness.Response asked = ask("noord", matchId, "Afstemmen van de hulp op school", "prof-a");
        assertEquals(201, asked.status(), String.valueOf(asked.body()));
        String consentId = asked.body().get("id").asText();
        assertEquals("PENDING", asked.body().get("status").asText());
        assertEquals(List.of("PARENT"), strings(asked.body().get("needs")));
        NodeHarness.Response twice = ask("noord", matchId, "Nog een keer", "prof-a");
        assertEquals(409, twice.status(), String.valueOf(twice.body()));
        assertEquals(409, ask("oost", matchId, "Van de andere kant", "prof-a").status(),
                "the other side cannot ask while one is pending");
        assertEquals("consent-pending", gate("noord", matchId, atNoord).refusal());

        // The purpose is stored encrypted: not in the table as text.
        assertFalse(tableText("noord", "SELECT purpose_sealed FROM consent_request").contains("school"));
        assertFalse(tableText("noord", "SELECT purpose_sealed FROM consent_part").contains("school"));

        // The parent, signed in at zuid, sees the request and grants it.
        JsonNode requests = citizen("zuid", parent, "GET", "/api/v1/citizen/consent-requests", null).body();
        assertEquals(1, requests.get("items").size(), requests.toString());
        JsonNode item = requests.get("items").get(0);
        assertEquals(consentId, item.get("id").asText());
        assertEquals("noord", item.get("node").asText());
        assertEquals("PARENT", item.get("role").asText());
        assertEquals("Testkind", item.get("youthName").asText());
        assertEquals("Afstemmen van de hulp op school", item.get("purpose").asText());
        assertTrue(item.get("askingOrganisation").asText().startsWith("noord-org-a"), item.toString());
        assertTrue(item.get("canAnswer").asBoolean());
        assertEquals(404, citizen("zuid", Youths.bsn(), "POST", "/api/v1/consent-requests/" + consentId + "/grant",
                Map.of()).status(), "a stranger has nothing to answer");

        NodeHarness.Response granted = citizen("zuid", parent, "POST",
                "/api/v1/consent-requests/" + consentId + "/grant", Map.of());
        assertEquals(204, granted.status(), String.valueOf(granted.body()));
        assertEquals(409, citizen("zuid", parent, "POST", "/api/v1/consent-requests/" + consentId + "/grant",
                Map.of()).status(), "twice");
        JsonNode view = NODES.get("noord").call("GET", "/api/v1/matches/" + matchId + "/consent", null, "prof-a").body();
        assertEquals("GRANTED", view.get("status").asText(), view.toString());
        assertEquals("Afstemmen van de hulp op school", view.get("purpose").asText());
        assertEquals(List.of("PARENT"), strings(view.get("parts").get(0).get("granted")));
        ConsentGate.Usable usable = gate("noord", matchId, atNoord);
        assertNull(usable.refusal(), usable.toString());
        assertEquals(consentId, usable.consentId().toString());
        assertNotNull(usable.token());
        assertNull(gate("oost", matchId, atOost).refusal(), "the other side may use it as well");
        assertEquals(0, citizen("zuid", parent, "GET", "/api/v1/citizen/consent-requests", null).body().get("items")
                .size());

        // Withdrawn at zuid: recorded at noord first, so noord's gate refuses at once; oost learns it from the feed.
        NodeHarness.Response withdrawn = citizen("zuid", parent, "POST", "/api/v1/consents/" + consentId + "/withdraw",
                null);
        assertEquals(204, withdrawn.status(), String.valueOf(withdrawn.body()));
        assertEquals("consent-withdrawn", gate("noord", matchId, atNoord).refusal());
        assertEquals("consent-withdrawn", gate("oost", matchId, atOost).refusal());
        assertEquals(409, citizen("zuid", parent, "POST", "/api/v1/consents/" + consentId + "/withdraw", null)
                .status(), "withdrawn twice");
        JsonNode consents = citizen("zuid", parent, "GET", "/api/v1/citizen/consents", null).body();
        assertEquals("WITHDRAWN", consents.get("items").get(0).get("status").asText(), consents.toString());
        assertFalse(consents.get("items").get(0).get("canWithdraw").asBoolean());
        awaitEnded("oost", consentId);
        awaitEnded("noord", consentId);
        assertEquals(1, count("oost", "SELECT COUNT(*) FROM notification WHERE kind = 'CONSENT_ENDED' AND match_id = '"
                + matchId + "'"), "the professional at oost is told once");
        assertEquals(1, count("noord", "SELECT COUNT(*) FROM notification WHERE kind = 'CONSENT_ENDED' AND match_id = '"
                + matchId + "'"), "the asking professional at noord, whose part it was, is told once too");
    }

    @Test
    void youthOf14_parentAloneIsNotEnough_theYouthTogetherWithTheParentIs_recordedByTheProfessional() throws Exception {
        String child = Youths.bsn();
        String parent = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(14).toString();
        String atNoord = register("noord", Youths.registration(child, born, parent));
        register("oost", Youths.registration(child, born, parent));
        String matchId = awaitMatch("noord", atNoord);

        NodeHarness.Response asked = ask("noord", matchId, "Samen een plan maken", "prof-a");
        assertEquals(201, asked.status(), String.valueOf(asked.body()));
        assertEquals(List.of("PARENT", "YOUTH"), strings(asked.body().get("needs")));
        String consentId = asked.body().get("id").asText();

        assertEquals(204, citizen("zuid", parent, "POST", "/api/v1/consent-requests/" + consentId + "/grant",
                Map.of()).status());
        assertEquals("consent-pending", gate("noord", matchId, atNoord).refusal(), "the parent alone is not enough");

        // The youth's consent given in person, recorded by the professional: bad input names the field.
        String path = "/api/v1/consent-requests/" + consentId + "/recorded";
        String today = LocalDate.now(ClockFactory.ZONE).toString();
        assertEquals("on", NODES.get("noord").call("POST", path, Map.of("by", "YOUTH", "on",
                LocalDate.now(ClockFactory.ZONE).plusDays(1).toString(), "form", "MONDELING"), "prof-a").body()
                .get("violations").get(0).get("field").asText());
        assertEquals("form", NODES.get("noord").call("POST", path, Map.of("by", "YOUTH", "on", today, "form", "FAX"),
                "prof-a").body().get("violations").get(0).get("field").asText());
        assertEquals(403, NODES.get("noord").call("POST", path, Map.of("by", "YOUTH", "on", today, "form",
                "MONDELING"), "prof-b").status(), "another organisation");
        // The contract's {"by", "on"}: given in person.
        NodeHarness.Response recorded = NODES.get("noord").call("POST", path, Map.of("by", "YOUTH", "on", today),
                "prof-a");
        assertEquals(204, recorded.status(), String.valueOf(recorded.body()));
        assertNull(gate("noord", matchId, atNoord).refusal());
        JsonNode view = NODES.get("noord").call("GET", "/api/v1/matches/" + matchId + "/consent", null, "prof-a").body();
        assertEquals("GRANTED", view.get("status").asText(), view.toString());
        assertEquals(List.of("PARENT", "YOUTH"), strings(view.get("parts").get(0).get("granted")));
    }

    @Test
    void youthOf17_theYouthAlone_theParentIsNotOffered() throws Exception {
        String child = Youths.bsn();
        String parent = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(17).toString();
        String atNoord = register("noord", Youths.registration(child, born, parent));
        register("oost", Youths.registration(child, born, parent));
        String matchId = awaitMatch("noord", atNoord);
        String consentId = ask("noord", matchId, "Werk en school", "prof-a").body().get("id").asText();

        assertEquals(0, citizen("zuid", parent, "GET", "/api/v1/citizen/consent-requests", null).body().get("items")
                .size(), "the parent of a youth of 17 is not offered it");
        assertEquals(404, citizen("zuid", parent, "POST", "/api/v1/consent-requests/" + consentId + "/grant",
                Map.of()).status());
        JsonNode requests = citizen("zuid", child, "GET", "/api/v1/citizen/consent-requests", null).body();
        assertEquals(1, requests.get("items").size(), requests.toString());
        assertEquals("YOUTH", requests.get("items").get(0).get("role").asText());
        NodeHarness.Response tooFar = citizen("zuid", child, "POST", "/api/v1/consent-requests/" + consentId
                + "/grant", Map.of("validUntil", LocalDate.now(ClockFactory.ZONE).plusYears(5).plusDays(1).toString()));
        assertEquals(400, tooFar.status(), String.valueOf(tooFar.body()));
        assertEquals("validUntil", tooFar.body().get("violations").get(0).get("field").asText(), tooFar.body().toString());
        String until = LocalDate.now(ClockFactory.ZONE).plusMonths(3).toString();
        assertEquals(204, citizen("zuid", child, "POST", "/api/v1/consent-requests/" + consentId + "/grant",
                Map.of("validUntil", until)).status());
        JsonNode view = NODES.get("noord").call("GET", "/api/v1/matches/" + matchId + "/consent", null, "prof-a").body();
        assertEquals("GRANTED", view.get("status").asText(), view.toString());
        assertEquals(until, view.get("validUntil").asText());
    }

    @Test
    void familyMatch_twoParts_eachWithItsOwnYouthsNeeds() throws Exception {
        String younger = Youths.bsn();
        String older = Youths.bsn();
        String parent = Youths.bsn();
        LocalDate today = LocalDate.now(ClockFactory.ZONE);
        String atNoord = register("noord", Youths.registration(younger, today.minusYears(9).toString(), parent));
        String atOost = register("oost", Youths.registration(older, today.minusYears(13).toString(), parent));
        String matchId = awaitMatch("noord", atNoord);
        awaitMatch("oost", atOost);

        NodeHarness.Response asked = ask("noord", matchId, "Hulp voor het gezin afstemmen", "prof-a");
        assertEquals(201, asked.status(), String.valueOf(asked.body()));
        assertEquals(List.of("PARENT", "YOUTH"), strings(asked.body().get("needs")));
        String consentId = asked.body().get("id").asText();
        JsonNode view = NODES.get("noord").call("GET", "/api/v1/matches/" + matchId + "/consent", null, "prof-a").body();
        assertEquals(2, view.get("parts").size(), view.toString());

        // The parent of both answers once for both parts; the older youth's part still needs the youth.
        JsonNode requests = citizen("zuid", parent, "GET", "/api/v1/citizen/consent-requests", null).body();
        assertEquals(2, requests.get("items").size(), requests.toString());
        assertEquals(204, citizen("zuid", parent, "POST", "/api/v1/consent-requests/" + consentId + "/grant",
                Map.of()).status());
        assertEquals("consent-pending", gate("noord", matchId, atNoord).refusal());
        assertEquals(204, citizen("zuid", older, "POST", "/api/v1/consent-requests/" + consentId + "/grant",
                Map.of()).status());
        assertNull(gate("noord", matchId, atNoord).refusal());
        assertNull(gate("oost", matchId, atOost).refusal());
    }

    @Test
    void twelfthBirthday_aConsentGrantedBefore_expiresAtTheRegister_andIsAskedAgainWithTheSamePurpose()
            throws Exception {
        String child = Youths.bsn();
        String parent = Youths.bsn();
        LocalDate today = LocalDate.now(ClockFactory.ZONE);
        String atNoord = register("noord", Youths.registration(child, today.minusYears(12).toString(), parent));
        String atOost = register("oost", Youths.registration(child, today.minusYears(12).toString(), parent));
        String matchId = awaitMatch("noord", atNoord);
        awaitMatch("oost", atOost);
        String consentId = ask("noord", matchId, "Zorg rond de verjaardag", "prof-a").body().get("id").asText();
        assertEquals(204, citizen("zuid", parent, "POST", "/api/v1/consent-requests/" + consentId + "/grant",
                Map.of()).status());
        assertEquals(204, citizen("zuid", child, "POST", "/api/v1/consent-requests/" + consentId + "/grant",
                Map.of()).status());
        assertNull(gate("noord", matchId, atNoord).refusal());

        // As if it was asked and granted yesterday, the day before the 12th birthday: a parent's consent alone.
        TransactionOperations<Connection> tx = NODES.get("noord").bean(TransactionOperations.class);
        tx.executeWrite(st -> {
            try (PreparedStatement update = st.getConnection().prepareStatement(
                    "UPDATE consent_part SET needs = 'PARENT', asked_at = ?, parent_on = ?, youth_answer = NULL,"
                            + " youth_on = NULL, youth_form = NULL, youth_by = NULL WHERE consent_id = ?")) {
                update.setTimestamp(1, java.sql.Timestamp.from(java.time.Instant.now().minus(Duration.ofDays(1))));
                update.setObject(2, today.minusDays(1));
                update.setObject(3, UUID.fromString(consentId));
                return update.executeUpdate();
            }
        });
        assertEquals("consent-expired", gate("noord", matchId, atNoord).refusal(), "the youth's consent is needed now");

        assertEquals(1, NODES.get("noord").bean(ConsentExpiry.class).run());
        JsonNode view = NODES.get("noord").call("GET", "/api/v1/matches/" + matchId + "/consent", null, "prof-a").body();
        assertEquals("PENDING", view.get("status").asText(), view.toString());
        assertFalse(consentId.equals(view.get("id").asText()), "a new request");
        assertEquals("Zorg rond de verjaardag", view.get("purpose").asText());
        assertEquals(List.of("PARENT", "YOUTH"), strings(view.get("needs")));
        awaitEnded("oost", consentId);
        assertEquals("AGE", text("oost", "SELECT reason FROM consent_ended WHERE consent_id = '" + consentId + "'"));
        assertEquals(0, NODES.get("noord").bean(ConsentExpiry.class).run(), "once");
        JsonNode requests = citizen("zuid", child, "GET", "/api/v1/citizen/consent-requests", null).body();
        assertEquals(view.get("id").asText(), requests.get("items").get(0).get("id").asText(), requests.toString());
    }

    // ---------------------------------------------------------------------------------------------------------

    private static ConsentGate.Usable gate(String node, String matchId, String signalId) {
        TransactionOperations<Connection> tx = NODES.get(node).bean(TransactionOperations.class);
        ConsentGate gate = NODES.get(node).bean(ConsentGate.class);
        return tx.executeWrite(s -> gate.usable(s.getConnection(), UUID.fromString(matchId), UUID.fromString(signalId)));
    }

    private static NodeHarness.Response ask(String node, String matchId, String purpose, String user) {
        return NODES.get(node).call("POST", "/api/v1/matches/" + matchId + "/consent-requests",
                Map.of("purpose", purpose), user);
    }

    private static NodeHarness.Response citizen(String node, String bsn, String method, String path, Object body) {
        NodeHarness.Response token = NODES.get(node).call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        assertEquals(200, token.status(), String.valueOf(token.body()));
        return NODES.get(node).call(method, path, body, null,
                Map.of("Authorization", "Bearer " + token.body().get("access_token").asText()));
    }

    private static String register(String node, Map<String, Object> body) {
        NodeHarness.Response r = NODES.get(node).call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    /** The match on {@code signalId} at {@code node}, once it is there with its counterpart's contact (30 s at most). */
    private static String awaitMatch(String node, String signalId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            for (JsonNode m : NODES.get(node).call("GET", "/api/v1/matches", null, "prof-a").body().get("items")) {
                if (m.get("signalId").asText().equals(signalId) && m.has("counterpart")
                        && !m.get("counterpart").isNull()) {
                    return m.get("id").asText();
                }
            }
            assertTrue(System.nanoTime() < deadline, "no match on " + signalId + " at " + node);
            Thread.sleep(100);
        }
    }

    private static void awaitEnded(String node, String consentId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count(node, "SELECT COUNT(*) FROM consent_ended WHERE consent_id = '" + consentId + "'") == 0) {
            assertTrue(System.nanoTime() < deadline, "the feed did not tell " + node + " of the end");
            Thread.sleep(100);
        }
    }

    private static long count(String node, String sql) {
        TransactionOperations<Connection> tx = NODES.get(node).bean(TransactionOperations.class);
        return tx.executeRead(s -> {
            try (PreparedStatement select = s.getConnection().prepareStatement(sql);
                 ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static String text(String node, String sql) {
        TransactionOperations<Connection> tx = NODES.get(node).bean(TransactionOperations.class);
        return tx.executeRead(s -> {
            try (PreparedStatement select = s.getConnection().prepareStatement(sql);
                 ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    private static String tableText(String node, String sql) {
        TransactionOperations<Connection> tx = NODES.get(node).bean(TransactionOperations.class);
        return tx.executeRead(s -> {
            StringBuilder out = new StringBuilder();
            try (PreparedStatement select = s.getConnection().prepareStatement(sql);
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    out.append(new String(rs.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1));
                }
            }
            return out.toString();
        });
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
