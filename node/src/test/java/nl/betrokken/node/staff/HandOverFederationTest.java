package nl.betrokken.node.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.CoordinatorProcess;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;

/**
 * "The counterpart then sees the new contact", across nodes: a real coordinator, nodes noord and oost, a match
 * between them; noord's instellingscoördinator hands the leaver's signal over to a colleague while oost is down,
 * and once oost is back it shows the colleague's contact; a later contact change reaches it too.
 */
class HandOverFederationTest {

    @Test
    void handOver_whileTheCounterpartNodeIsDown_reachesItWhenItIsBack() {
        try (CoordinatorProcess coordinator = CoordinatorProcess.start()) {
            Map<String, Integer> ports = new LinkedHashMap<>(Map.of("noord", NodeHarness.freePort(),
                    "oost", NodeHarness.freePort()));
            String peers = "noord=http://127.0.0.1:" + ports.get("noord") + ",oost=http://127.0.0.1:" + ports.get("oost");
            Map<String, Map<String, Object>> props = new HashMap<>();
            for (String n : ports.keySet()) {
                Map<String, Object> p = new HashMap<>(NodeHarness.prepare(NodeHarness.Db.H2, n, coordinator.url(), peers));
                p.put("micronaut.server.port", ports.get(n));
                p.put("betrokken.staff.contact-push-interval", "200ms");
                coordinator.enrol(n, java.nio.file.Path.of((String) p.get("betrokken.data-dir")));
                props.put(n, p);
            }
            NodeHarness noord = NodeHarness.start(props.get("noord"));
            NodeHarness oost = NodeHarness.start(props.get("oost"));
            try {
                String leaver = StaffTest.add(noord, "PROFESSIONAL");
                String colleague = StaffTest.add(noord, "PROFESSIONAL");
                String youth = Youths.bsn();
                assertEquals(201, StaffTest.as(noord, leaver, "POST", "/api/v1/signals", Youths.registration(youth))
                        .status());
                String atOost = oost.call("POST", "/api/v1/signals", Youths.registration(youth), "prof-a").body()
                        .get("id").asText();
                JsonNode before = counterpartAtOost(oost, atOost, c -> c.get("professional").asText().endsWith(leaver));
                assertEquals(leaver + "@school.example", before.get("email").asText());

                oost.close();
                NodeHarness.Response handedOver = noord.call("POST", "/api/v1/staff/" + leaver + "/deactivate",
                        Map.of("handOverTo", colleague), "coord-a");
                assertEquals(200, handedOver.status(), String.valueOf(handedOver.body()));
                waitFor(() -> StaffTest.tx(noord).executeRead(status -> {
                    try (var s = status.getConnection().createStatement();
                         var rs = s.executeQuery("SELECT max(attempts) FROM contact_push")) {
                        return rs.next() && rs.getInt(1) > 0;
                    }
                }), "noord tried oost, which is down, and keeps the message");

                oost = NodeHarness.start(props.get("oost"));
                JsonNode after = counterpartAtOost(oost, atOost, c -> c.get("professional").asText().endsWith(colleague));
                assertEquals(colleague + "@school.example", after.get("email").asText());
                assertEquals("+31 6 1234 5678", after.get("phone").asText());

                assertEquals(200, noord.call("PATCH", "/api/v1/staff/" + colleague,
                        Map.of("email", "regie@school.example"), "coord-a").status());
                counterpartAtOost(oost, atOost, c -> c.get("email").asText().equals("regie@school.example"));
            } finally {
                noord.close();
                oost.close();
            }
        }
    }

    /** The counterpart oost's professional sees on its signal, once {@code ready} holds (at most 30 s). */
    static JsonNode counterpartAtOost(NodeHarness oost, String signalId, Predicate<JsonNode> ready) {
        JsonNode[] seen = new JsonNode[1];
        waitFor(() -> {
            for (JsonNode m : oost.call("GET", "/api/v1/matches", null, "prof-a").body().get("items")) {
                if (m.get("signalId").asText().equals(signalId) && m.has("counterpart") && ready.test(m.get("counterpart"))) {
                    seen[0] = m.get("counterpart");
                    return true;
                }
            }
            return false;
        }, "oost's match shows the expected contact");
        return seen[0];
    }

    static void waitFor(java.util.function.Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.get()) {
            assertTrue(System.nanoTime() < deadline, "timed out: " + what);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
