package nl.betrokken.node.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;
import nl.betrokken.node.Youths;

/**
 * The instellingscoördinator (noord-coord-a of noord-org-a) keeps the organisation's professionals. Each test adds
 * accounts of its own to the shared node, so the demo users stay as they are for the other tests.
 */
class StaffTest {

    static final String PASSWORD = "initial-password-1";
    private static final AtomicInteger SEQ = new AtomicInteger();

    static NodeHarness node(Db db) {
        return NodeHarness.shared(db);
    }

    /** A new account of noord-org-a, added by its coördinator; returns its username. */
    static String add(NodeHarness node, String role) {
        String username = "noord-t" + System.nanoTime() % 1_000_000_000 + "-" + SEQ.incrementAndGet();
        Map<String, Object> body = new HashMap<>(Map.of("username", username, "displayName", "Medewerker " + username,
                "email", username + "@school.example", "phone", "+31 6 1234 5678", "initialPassword", PASSWORD));
        body.put("role", role);
        NodeHarness.Response r = node.call("POST", "/api/v1/staff", body, "coord-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return username;
    }

    /** Calls the node as an account added by a test (HTTP Basic with its initial password). */
    static NodeHarness.Response as(NodeHarness node, String username, String method, String path, Object body) {
        String credentials = Base64.getEncoder().encodeToString((username + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return node.call(method, path, body, null, Map.of("Authorization", "Basic " + credentials));
    }

    static void assertRefusedNaming(NodeHarness.Response r, int status, String field) {
        assertEquals(status, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        List<String> fields = new ArrayList<>();
        r.body().get("violations").forEach(v -> fields.add(v.get("field").asText()));
        assertTrue(fields.contains(field), "violations " + fields + " should name " + field);
    }

    static JsonNode member(NodeHarness node, String username) {
        for (JsonNode m : node.call("GET", "/api/v1/staff", null, "coord-a").body().get("items")) {
            if (m.get("username").asText().equals(username)) {
                return m;
            }
        }
        return null;
    }

    static List<JsonNode> changesOf(NodeHarness node, String username) {
        List<JsonNode> out = new ArrayList<>();
        node.call("GET", "/api/v1/staff/changes", null, "coord-a").body().get("items").forEach(c -> {
            if (c.get("subject").asText().equals(username)) {
                out.add(c);
            }
        });
        return out;
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void coordinator_addsAndChangesContact_andEveryChangeIsRecordedWithoutTheValues(Db db) {
        NodeHarness node = node(db);
        String username = add(node, "PROFESSIONAL");
        JsonNode added = member(node, username);
        assertEquals("PROFESSIONAL", added.get("role").asText());
        assertTrue(added.get("active").asBoolean());
        assertTrue(added.get("signsInWithPassword").asBoolean());
        assertEquals(200, as(node, username, "GET", "/api/v1/signals", null).status(), "the new professional signs in");

        NodeHarness.Response changed = node.call("PATCH", "/api/v1/staff/" + username,
                Map.of("email", "nieuw-adres@school.example", "phone", "020 123 4567"), "coord-a");
        assertEquals(200, changed.status(), String.valueOf(changed.body()));
        assertEquals("nieuw-adres@school.example", member(node, username).get("email").asText());
        assertEquals("020 123 4567", member(node, username).get("phone").asText());

        List<JsonNode> log = changesOf(node, username);
        assertEquals(List.of("CONTACT_CHANGED", "CREATED"), log.stream().map(c -> c.get("action").asText()).toList());
        assertEquals("noord-coord-a", log.get(0).get("actor").asText());
        assertEquals(List.of("email", "phone"), List.of(log.get(0).get("fields").get(0).asText(),
                log.get(0).get("fields").get(1).asText()));
        assertFalse(log.toString().contains("nieuw-adres"), "the log names fields, not values: " + log);
        assertEquals(403, node.call("GET", "/api/v1/staff/changes", null, "prof-a").status(),
                "only the coördinator reads the log");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void addOrChange_withBadEmailPhoneOrTakenUsername_returns4xxNamingTheField(Db db) {
        NodeHarness node = node(db);
        String username = add(node, "PROFESSIONAL");
        assertRefusedNaming(node.call("PATCH", "/api/v1/staff/" + username, Map.of("email", "geen-adres"), "coord-a"),
                400, "email");
        assertRefusedNaming(node.call("PATCH", "/api/v1/staff/" + username, Map.of("phone", "bel me"), "coord-a"),
                400, "phone");
        Map<String, Object> body = new HashMap<>(Map.of("username", "noord-x" + System.nanoTime(),
                "displayName", "X", "email", "x@@example"));
        assertRefusedNaming(node.call("POST", "/api/v1/staff", body, "coord-a"), 400, "email");
        body.put("email", "x@school.example");
        body.put("username", "a b");
        assertRefusedNaming(node.call("POST", "/api/v1/staff", body, "coord-a"), 400, "username");
        body.put("username", username);
        assertRefusedNaming(node.call("POST", "/api/v1/staff", body, "coord-a"), 409, "username");
        assertEquals("+31 6 1234 5678", member(node, username).get("phone").asText(), "nothing changed");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void staffOfAnotherOrganisation_isNotFound_andProfessionalsCannotManageStaff(Db db) {
        NodeHarness node = node(db);
        assertEquals(null, member(node, "noord-prof-b"), "noord-prof-b is of noord-org-b");
        assertEquals(404, node.call("PATCH", "/api/v1/staff/noord-prof-b", Map.of("phone", "0201234567"), "coord-a")
                .status());
        assertEquals(404, node.call("POST", "/api/v1/staff/noord-prof-b/deactivate", Map.of(), "coord-a").status());
        assertEquals(403, node.call("GET", "/api/v1/staff", null, "prof-a").status());
        assertEquals(403, node.call("POST", "/api/v1/staff/noord-prof-a/deactivate", Map.of(), "prof-a").status());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void deactivate_withSignalsButNoValidColleague_isRefusedNamingHandOverTo(Db db) {
        NodeHarness node = node(db);
        String leaver = add(node, "PROFESSIONAL");
        assertEquals(201, as(node, leaver, "POST", "/api/v1/signals", Youths.registration(Youths.bsn())).status());
        String path = "/api/v1/staff/" + leaver + "/deactivate";
        assertRefusedNaming(node.call("POST", path, Map.of(), "coord-a"), 409, "handOverTo");
        assertRefusedNaming(node.call("POST", path, Map.of("handOverTo", leaver), "coord-a"), 400, "handOverTo");
        assertRefusedNaming(node.call("POST", path, Map.of("handOverTo", "noord-prof-b"), "coord-a"), 400, "handOverTo");
        assertRefusedNaming(node.call("POST", path, Map.of("handOverTo", "noord-coord-a"), "coord-a"), 400, "handOverTo");
        String gone = add(node, "PROFESSIONAL");
        assertEquals(200, node.call("POST", "/api/v1/staff/" + gone + "/deactivate", Map.of(), "coord-a").status(),
                "a professional without signals leaves without a hand-over");
        assertRefusedNaming(node.call("POST", path, Map.of("handOverTo", gone), "coord-a"), 409, "handOverTo");
        assertTrue(member(node, leaver).get("active").asBoolean(), "nothing changed");
        assertEquals(1, member(node, leaver).get("activeSignals").asInt());
        assertEquals(1, member(node, leaver).get("signalsToHandOver").asInt());
        assertRefusedNaming(node.call("POST", "/api/v1/staff/" + gone + "/deactivate", Map.of(), "coord-a"), 409,
                "username");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void coordinator_listsTheOrganisationsSignalsReadOnly_withAnEndedSignalStillToHandOver(Db db) {
        NodeHarness node = node(db);
        String prof = add(node, "PROFESSIONAL");
        String signal = as(node, prof, "POST", "/api/v1/signals", Youths.registration(Youths.bsn())).body().get("id")
                .asText();
        assertEquals(200, as(node, prof, "POST", "/api/v1/signals/" + signal + "/end", Map.of("reason", "Hulp is afgerond"))
                .status());
        JsonNode m = member(node, prof);
        assertEquals(0, m.get("activeSignals").asInt());
        assertEquals(1, m.get("signalsToHandOver").asInt(), "an ended signal not yet archived moves too");

        NodeHarness.Response list = node.call("GET", "/api/v1/signals", null, "coord-a");
        assertEquals(200, list.status(), String.valueOf(list.body()));
        assertTrue(list.body().get("items").toString().contains(signal), "the coördinator sees the organisation's");
        assertFalse(node.call("GET", "/api/v1/signals", null, "prof-b").body().get("items").toString()
                .contains(signal), "another organisation does not");
        String today = java.time.LocalDate.now(nl.betrokken.node.ClockFactory.ZONE).toString();
        boolean audited = false;
        for (JsonNode e : node.call("GET", "/api/v1/audit/entries?from=" + today + "&to=" + today, null, "auditor")
                .body().get("entries")) {
            audited |= "signal.listed".equals(e.path("kind").asText())
                    && "coord:noord-coord-a".equals(e.path("actor").asText());
        }
        assertTrue(audited, "the coördinator's list is audited as coord:");
        assertEquals(403, node.call("GET", "/api/v1/signals/" + signal, null, "coord-a").status(), "list only");
        assertEquals(403, node.call("POST", "/api/v1/signals", Youths.registration(Youths.bsn()), "coord-a").status());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void deactivate_handsSignalsAndMatchesToTheColleague_andTheCounterpartSeesTheNewContact(Db db) {
        NodeHarness node = node(db);
        String leaver = add(node, "PROFESSIONAL");
        String colleague = add(node, "PROFESSIONAL");
        String youth = Youths.bsn();
        String signal = as(node, leaver, "POST", "/api/v1/signals", Youths.registration(youth)).body().get("id").asText();
        String other = node.call("POST", "/api/v1/signals", Youths.registration(youth), "prof-b").body().get("id").asText();
        // A match between the two organisations at this node, and one with a signal at node oost, as the feed
        // would have stored them.
        UUID local = UUID.randomUUID();
        UUID remote = UUID.randomUUID();
        storeMatch(node, local, other, "noord", refOf(node, signal), "{\"organisation\":\"noord-org-a\","
                + "\"professional\":\"Medewerker " + leaver + "\",\"email\":\"" + leaver + "@school.example\"}");
        storeMatch(node, local, signal, "noord", refOf(node, other), null);
        storeMatch(node, remote, signal, "oost", "s-elsewhere", null);
        assertEquals("Medewerker " + leaver, counterpartSeenBy(node, "prof-b", other).get("professional").asText());

        NodeHarness.Response r = node.call("POST", "/api/v1/staff/" + leaver + "/deactivate",
                Map.of("handOverTo", colleague), "coord-a");
        assertEquals(200, r.status(), String.valueOf(r.body()));
        assertFalse(r.body().get("active").asBoolean());

        NodeHarness.Response moved = as(node, colleague, "GET", "/api/v1/signals/" + signal, null);
        assertEquals(colleague, moved.body().get("professional").asText());
        JsonNode seen = counterpartSeenBy(node, "prof-b", other);
        assertEquals("Medewerker " + colleague, seen.get("professional").asText());
        assertEquals(colleague + "@school.example", seen.get("email").asText());
        assertEquals("+31 6 1234 5678", seen.get("phone").asText());
        assertEquals(1, pushesFor(node, remote), "node oost is to be told the new contact");
        assertTrue(as(node, colleague, "GET", "/api/v1/matches", null).body().get("items").toString()
                .contains(remote.toString()), "the open matches moved with the signal");

        assertEquals(401, as(node, leaver, "GET", "/api/v1/signals", null).status(), "the leaver can no longer sign in");
        JsonNode logged = changesOf(node, leaver).get(0);
        assertEquals("DEACTIVATED", logged.get("action").asText());
        assertEquals(colleague, logged.get("handOverTo").asText());
        assertEquals(1, logged.get("signalsMoved").asInt());
    }

    static JsonNode counterpartSeenBy(NodeHarness node, String user, String signalId) {
        for (JsonNode m : node.call("GET", "/api/v1/matches", null, user).body().get("items")) {
            if (m.get("signalId").asText().equals(signalId)) {
                return m.get("counterpart");
            }
        }
        throw new AssertionError("no match on " + signalId);
    }

    @SuppressWarnings("unchecked")
    static TransactionOperations<Connection> tx(NodeHarness node) {
        return node.bean(TransactionOperations.class);
    }

    static String refOf(NodeHarness node, String signalId) {
        return tx(node).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement("SELECT ref FROM signal WHERE id = ?")) {
                s.setObject(1, UUID.fromString(signalId));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    static void storeMatch(NodeHarness node, UUID matchId, String signalId, String counterpartNode,
                           String counterpartRef, String contact) {
        tx(node).executeWrite(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(
                    "INSERT INTO node_match (match_id, signal_id, match_type, cross_region, counterpart_node,"
                            + " counterpart_ref, ticket, counterpart_contact, status, created_at)"
                            + " VALUES (?, ?, 'CHILD', ?, ?, ?, 'ticket', ?, 'ACTIVE', ?)")) {
                s.setObject(1, matchId);
                s.setObject(2, UUID.fromString(signalId));
                s.setBoolean(3, !"noord".equals(counterpartNode));
                s.setString(4, counterpartNode);
                s.setString(5, counterpartRef);
                s.setString(6, contact);
                s.setTimestamp(7, Timestamp.from(Instant.now()));
                return s.executeUpdate();
            }
        });
    }

    static int pushesFor(NodeHarness node, UUID matchId) {
        return tx(node).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(
                    "SELECT count(*) FROM contact_push WHERE match_id = ? AND peer_node = 'oost'")) {
                s.setObject(1, matchId);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }
}
