package nl.betrokken.node.inzage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;

/**
 * Inzage through a real coordinator process (its {@code /internal/v1/inzage} look-up and inzage tickets) and two
 * nodes, noord on H2 and oost on PostgreSQL: a parent signed in at one node sees their child's signals at both, and
 * the signal of a sibling registered with them as parent; a stranger sees nothing.
 */
class InzageFederationTest {

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
    void parent_signedInAtOneNode_seesTheSignalsOfTheirChildrenAtEveryNode() {
        String child = Youths.bsn();
        String sibling = Youths.bsn();
        String mother = Youths.bsn();
        String father = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(9).toString();
        String atNoord = register("noord", Youths.registration(child, born, mother, father));
        String atOost = register("oost", Youths.registration(child, born));
        String siblingAtOost = register("oost", Youths.registration(sibling, born, mother));

        // The look-up finds what the coordinator holds: wait until the outboxes delivered all three.
        JsonNode page = awaitItems("noord", mother, 3);
        assertEquals(Set.of("noord:" + atNoord, "oost:" + atOost, "oost:" + siblingAtOost), keys(page));
        assertEquals(0, page.get("unavailable").size(), page.toString());
        for (JsonNode item : page.get("items")) {
            assertEquals("PARENT", item.get("relation").asText(), item.toString());
            assertTrue(item.get("organisation").asText().startsWith(item.get("node").asText() + "-org-"),
                    item.toString());
            assertTrue(item.has("activeUntil") && item.has("deleteAfter") && item.get("accesses").isArray(),
                    item.toString());
        }

        // The father is named on noord's signal only, so the child's signals are his; the sibling's is not.
        assertEquals(Set.of("noord:" + atNoord, "oost:" + atOost), keys(signals("oost", father)));
        assertEquals(Set.of(), keys(signals("oost", Youths.bsn())), "a stranger sees nothing");
    }

    private static String register(String node, Map<String, Object> body) {
        NodeHarness.Response r = NODES.get(node).call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    private static JsonNode awaitItems(String node, String bsn, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode page = signals(node, bsn);
        while (page.get("items").size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            page = signals(node, bsn);
        }
        return page;
    }

    /** The inzage of {@code bsn}, signed in at {@code node} through its dev identity provider. */
    private static JsonNode signals(String node, String bsn) {
        NodeHarness.Response token = NODES.get(node).call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        assertEquals(200, token.status(), String.valueOf(token.body()));
        NodeHarness.Response r = NODES.get(node).call("GET", "/api/v1/citizen/signals", null, null,
                Map.of("Authorization", "Bearer " + token.body().get("access_token").asText()));
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body();
    }

    private static Set<String> keys(JsonNode page) {
        Set<String> out = new TreeSet<>();
        page.get("items").forEach(i -> out.add(i.get("node").asText() + ":" + i.get("id").asText()));
        return out;
    }
}
