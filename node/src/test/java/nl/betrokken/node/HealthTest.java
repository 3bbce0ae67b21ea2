package nl.betrokken.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class HealthTest {

    @Test
    void health_whenStarted_answersUpWithTheOutboxDepth() {
        try (NodeHarness node = NodeHarness.start(NodeHarness.Db.H2, "noord", null, null)) {
            NodeHarness.Response r = node.call("GET", "/health", null, null);
            assertEquals(200, r.status());
            assertEquals("UP", r.body().get("status").asText());
            assertEquals(0, r.body().get("details").get("outbox").get("details").get("depth").asInt());
            // Readiness: the database, and whether the coordinator answered lately (none runs here: not reachable,
            // and still ready, as the node keeps taking signals into its outbox).
            NodeHarness.Response ready = node.call("GET", "/health/readiness", null, null);
            assertEquals(200, ready.status(), String.valueOf(ready.body()));
            assertEquals("UP", ready.body().get("status").asText());
            assertEquals("UP", ready.body().get("details").get("jdbc").get("status").asText(), ready.body().toString());
            JsonNode coordinator = ready.body().get("details").get("coordinator").get("details");
            assertFalse(coordinator.get("reachable").asBoolean(), coordinator.toString());
            assertTrue(coordinator.get("lastAnswer").isNull(), coordinator.toString());
            NodeHarness.Response openapi = node.call("GET", "/openapi/betrokken-node-1.yml", null, null);
            assertEquals(200, openapi.status());
            assertTrue(openapi.body().asText().contains("/api/v1/signals"), "the OpenAPI document describes the API");
        }
    }
}
