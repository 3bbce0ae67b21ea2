package nl.betrokken.node.organisation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static nl.betrokken.node.staff.StaffTest.assertRefusedNaming;
import static nl.betrokken.node.staff.StaffTest.pushesFor;
import static nl.betrokken.node.staff.StaffTest.refOf;
import static nl.betrokken.node.staff.StaffTest.storeMatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
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
import nl.betrokken.node.staff.StaffTest;

/**
 * The gemeente (noord-gemeente) keeps the organisations of the convenant: admit, suspend, reinstate, remove with a
 * decision per signal. Each test admits organisations of its own on the shared node.
 */
class OrganisationTest {

    static final String PASSWORD = StaffTest.PASSWORD;
    private static final AtomicInteger SEQ = new AtomicInteger();

    static String unique(String prefix) {
        return prefix + System.nanoTime() % 1_000_000_000 + "-" + SEQ.incrementAndGet();
    }

    static Map<String, Object> admission(String name, String sector, String coordinator) {
        Map<String, Object> k = new HashMap<>(Map.of("username", coordinator, "displayName", "Coördinator " + coordinator,
                "email", coordinator + "@org.example", "initialPassword", PASSWORD));
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "sector", sector));
        body.put("coordinator", k);
        return body;
    }

    /** Admits an organisation with a coördinator; returns {id, coordinator}. */
    static String[] admit(NodeHarness node) {
        String coordinator = unique("noord-k");
        NodeHarness.Response r = node.call("POST", "/api/v1/organisations",
                admission(unique("Basisschool "), "ONDERWIJS", coordinator), "gemeente");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return new String[] {r.body().get("id").asText(), coordinator};
    }

    /** A professional added to the organisation by its coördinator. */
    static String professional(NodeHarness node, String coordinator) {
        String username = unique("noord-p");
        NodeHarness.Response r = as(node, coordinator, "POST", "/api/v1/staff", Map.of("username", username,
                "displayName", "Medewerker " + username, "email", username + "@org.example",
                "initialPassword", PASSWORD));
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return username;
    }

    static NodeHarness.Response as(NodeHarness node, String username, String method, String path, Object body) {
        return StaffTest.as(node, username, method, path, body);
    }

    static String register(NodeHarness node, String professional, String youth) {
        NodeHarness.Response r = as(node, professional, "POST", "/api/v1/signals", Youths.registration(youth));
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    static JsonNode listed(NodeHarness node, String id) {
        for (JsonNode o : node.call("GET", "/api/v1/organisations", null, "gemeente").body().get("items")) {
            if (o.get("id").asText().equals(id)) {
                return o;
            }
        }
        return null;
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void admit_makesTheOrganisationAndItsCoordinator_andRefusesBadInputNamingTheField(Db db) {
        NodeHarness node = NodeHarness.shared(db);
        long audited = count(node, "SELECT count(*) FROM audit_entry WHERE kind = 'organisation.admitted'");
        String[] org = admit(node);
        JsonNode listed = listed(node, org[0]);
        assertEquals("ONDERWIJS", listed.get("sector").asText());
        assertEquals("ACTIVE", listed.get("status").asText());
        assertEquals(0, listed.get("professionals").asInt());
        assertEquals(0, listed.get("activeSignals").asInt());
        NodeHarness.Response staff = as(node, org[1], "GET", "/api/v1/staff", null);
        assertEquals(200, staff.status(), "the coördinator signs in and keeps the new organisation");
        assertEquals("COORDINATOR", staff.body().get("items").get(0).get("role").asText());
        assertEquals(audited + 1, count(node, "SELECT count(*) FROM audit_entry WHERE kind = 'organisation.admitted'"));
        String professional = professional(node, org[1]);
        register(node, professional, Youths.bsn());
        listed = listed(node, org[0]);
        assertEquals(1, listed.get("professionals").asInt());
        assertEquals(1, listed.get("activeSignals").asInt());

        int before = node.call("GET", "/api/v1/organisations", null, "gemeente").body().get("items").size();
        String name = unique("GGD ");
        Map<String, Object> body = admission(name, "ONDERWIJS", unique("noord-k"));
        body.put("name", " ");
        assertRefusedNaming(node.call("POST", "/api/v1/organisations", body, "gemeente"), 400, "name");
        body.put("name", name);
        body.put("sector", "BAKKERIJ");
        assertRefusedNaming(node.call("POST", "/api/v1/organisations", body, "gemeente"), 400, "sector");
        body.put("sector", "JEUGDGEZONDHEIDSZORG");
        @SuppressWarnings("unchecked")
        Map<String, Object> coordinator = (Map<String, Object>) body.get("coordinator");
        coordinator.put("email", "geen-adres");
        assertRefusedNaming(node.call("POST", "/api/v1/organisations", body, "gemeente"), 400, "coordinator.email");
        coordinator.put("email", "k@ggd.example");
        coordinator.put("username", "noord-prof-a");
        assertRefusedNaming(node.call("POST", "/api/v1/organisations", body, "gemeente"), 409, "coordinator.username");
        coordinator.put("username", "a b");
        assertRefusedNaming(node.call("POST", "/api/v1/organisations", body, "gemeente"), 400, "coordinator.username");
        body.remove("coordinator");
        assertRefusedNaming(node.call("POST", "/api/v1/organisations", body, "gemeente"), 400, "coordinator.username");
        assertEquals(before, node.call("GET", "/api/v1/organisations", null, "gemeente").body().get("items").size(),
                "nothing half-written: no organisation without its coördinator");
        body = admission(listed.get("name").asText(), "ONDERWIJS", unique("noord-k"));
        assertRefusedNaming(node.call("POST", "/api/v1/organisations", body, "gemeente"), 409, "name");
        assertEquals(403, node.call("GET", "/api/v1/organisations", null, "prof-a").status());
        assertEquals(403, node.call("POST", "/api/v1/organisations", admission(unique("X "), "ONDERWIJS",
                unique("noord-k")), "coord-a").status());
        assertEquals(404, node.call("GET", "/api/v1/organisations/org-bestaat-niet", null, "gemeente").status());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void suspend_stopsSignInButKeepsTheSignals_andReinstateLiftsIt(Db db) {
        NodeHarness node = NodeHarness.shared(db);
        String[] org = admit(node);
        String professional = professional(node, org[1]);
        String signal = register(node, professional, Youths.bsn());
        NodeHarness.Response r = node.call("POST", "/api/v1/organisations/" + org[0] + "/suspend", null, "gemeente");
        assertEquals(200, r.status(), String.valueOf(r.body()));
        assertEquals("SUSPENDED", r.body().get("status").asText());
        assertEquals(401, as(node, professional, "GET", "/api/v1/signals", null).status(), "no sign-in while suspended");
        assertEquals(401, as(node, professional, "POST", "/api/v1/signals", Youths.registration(Youths.bsn())).status());
        assertEquals(401, as(node, org[1], "GET", "/api/v1/staff", null).status());
        assertEquals("ACTIVE", signalStatus(node, signal), "its signals stay as they are");
        assertEquals(1, listed(node, org[0]).get("activeSignals").asInt());
        assertRefusedNaming(node.call("POST", "/api/v1/organisations/" + org[0] + "/suspend", null, "gemeente"), 409,
                "id");
        assertEquals(200, node.call("POST", "/api/v1/organisations/" + org[0] + "/reinstate", null, "gemeente").status());
        assertEquals(200, as(node, professional, "GET", "/api/v1/signals", null).status());
        assertRefusedNaming(node.call("POST", "/api/v1/organisations/" + org[0] + "/reinstate", null, "gemeente"),
                409, "id");
        assertTrue(count(node, "SELECT count(*) FROM audit_entry WHERE kind = 'organisation.reinstated'") >= 1);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void remove_needsADecisionPerSignal_thenHandsOverOrEnds_inOneStep(Db db) {
        NodeHarness node = NodeHarness.shared(db);
        String[] org = admit(node);
        String leaver = professional(node, org[1]);
        String shared = Youths.bsn();
        String handed = register(node, leaver, shared);
        String toEnd = register(node, leaver, Youths.bsn());
        String taken = Youths.bsn();
        String clash = register(node, leaver, taken);
        assertEquals(201, node.call("POST", "/api/v1/signals", Youths.registration(taken), "prof-b").status());
        String ended = register(node, leaver, Youths.bsn());
        assertEquals(200, as(node, leaver, "POST", "/api/v1/signals/" + ended + "/end", Map.of("reason", "klaar"))
                .status());
        // A match of the signal to be handed over with noord-org-a here, and one with node oost.
        String counterpart = node.call("POST", "/api/v1/signals", Youths.registration(shared), "prof-a").body()
                .get("id").asText();
        UUID local = UUID.randomUUID();
        UUID remote = UUID.randomUUID();
        storeMatch(node, local, counterpart, "noord", refOf(node, handed), "{\"organisation\":\"x\",\"professional\":"
                + "\"Medewerker " + leaver + "\",\"email\":\"" + leaver + "@org.example\"}");
        storeMatch(node, local, handed, "noord", refOf(node, counterpart), null);
        storeMatch(node, remote, handed, "oost", "s-elsewhere", null);

        JsonNode toDecide = node.call("GET", "/api/v1/organisations/" + org[0] + "/signals", null, "gemeente").body();
        assertEquals(4, toDecide.get("items").size());
        assertFalse(toDecide.toString().contains(shared), "no youth's BSN in the list");
        List<String> candidates = new ArrayList<>();
        toDecide.get("handOverTo").forEach(c -> candidates.add(c.get("username").asText()));
        assertTrue(candidates.contains("noord-prof-b") && !candidates.contains(leaver), candidates.toString());

        String path = "/api/v1/organisations/" + org[0] + "/remove";
        Map<String, Object> decisions = new HashMap<>();
        decisions.put(handed, Map.of("handOverTo", "noord-prof-b"));
        decisions.put(toEnd, Map.of("endReason", "De organisatie stopt."));
        decisions.put(ended, Map.of("endReason", "Al beëindigd."));
        assertRefusedNaming(node.call("POST", path, Map.of("decisions", decisions), "gemeente"), 400,
                "decisions." + clash);
        decisions.put(clash, Map.of("handOverTo", "noord-prof-b", "endReason", "beide"));
        assertRefusedNaming(node.call("POST", path, Map.of("decisions", decisions), "gemeente"), 400,
                "decisions." + clash);
        decisions.put(clash, Map.of("handOverTo", "noord-coord-a"));
        assertRefusedNaming(node.call("POST", path, Map.of("decisions", decisions), "gemeente"), 400,
                "decisions." + clash + ".handOverTo");
        decisions.put(clash, Map.of("handOverTo", leaver));
        assertRefusedNaming(node.call("POST", path, Map.of("decisions", decisions), "gemeente"), 400,
                "decisions." + clash + ".handOverTo");
        decisions.put(clash, Map.of("handOverTo", "noord-prof-b"));
        assertRefusedNaming(node.call("POST", path, Map.of("decisions", decisions), "gemeente"), 409,
                "decisions." + clash + ".handOverTo");
        String stranger = UUID.randomUUID().toString();
        decisions.put(stranger, Map.of("endReason", "x"));
        decisions.put(clash, Map.of("endReason", "Organisatie b heeft al een signaal."));
        assertRefusedNaming(node.call("POST", path, Map.of("decisions", decisions), "gemeente"), 400,
                "decisions." + stranger);
        decisions.remove(stranger);
        assertEquals("ACTIVE", listed(node, org[0]).get("status").asText(), "nothing changed by the refusals");
        assertEquals(200, as(node, leaver, "GET", "/api/v1/signals/" + handed, null).status());
        assertEquals("ACTIVE", signalStatus(node, toEnd));

        NodeHarness.Response r = node.call("POST", path, Map.of("decisions", decisions), "gemeente");
        assertEquals(200, r.status(), String.valueOf(r.body()));
        assertEquals("REMOVED", r.body().get("organisation").get("status").asText());
        assertEquals(1, r.body().get("handedOver").asInt());
        assertEquals(2, r.body().get("ended").asInt(), "the ended one stays as it is");
        assertEquals(2, r.body().get("accountsDeactivated").asInt());

        NodeHarness.Response moved = node.call("GET", "/api/v1/signals/" + handed, null, "prof-b");
        assertEquals(200, moved.status(), "the signal is noord-org-b's now");
        assertEquals("noord-prof-b", moved.body().get("professional").asText());
        assertEquals("ACTIVE", moved.body().get("status").asText());
        JsonNode seen = null;
        for (JsonNode m : node.call("GET", "/api/v1/matches", null, "prof-a").body().get("items")) {
            if (m.get("signalId").asText().equals(counterpart)) {
                seen = m.get("counterpart");
            }
        }
        assertEquals("noord-org-b", seen.get("organisation").asText(), "the counterpart here sees the new contact");
        assertEquals("Professional B (noord)", seen.get("professional").asText());
        assertEquals(1, pushesFor(node, remote), "node oost is to be told the new contact");
        assertEquals("ENDED", signalStatus(node, toEnd));
        assertEquals("ENDED", signalStatus(node, clash));
        assertEquals(401, as(node, leaver, "GET", "/api/v1/signals", null).status());
        assertEquals(409, node.call("POST", "/api/v1/signals", Youths.registration(shared), "prof-b").status(),
                "the moved signal counts as noord-org-b's active signal on the youth");
        assertRefusedNaming(node.call("POST", path, Map.of("decisions", Map.of()), "gemeente"), 409, "id");
        assertTrue(count(node, "SELECT count(*) FROM audit_entry WHERE kind = 'organisation.removed'") >= 1);
        assertTrue(count(node, "SELECT count(*) FROM audit_entry WHERE kind = 'signal.handed-over'") >= 1);
    }

    @SuppressWarnings("unchecked")
    static TransactionOperations<Connection> tx(NodeHarness node) {
        return node.bean(TransactionOperations.class);
    }

    static long count(NodeHarness node, String sql) {
        return tx(node).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(sql); ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    static String signalStatus(NodeHarness node, String signalId) {
        return tx(node).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement("SELECT status FROM signal WHERE id = ?")) {
                s.setObject(1, UUID.fromString(signalId));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }
}
