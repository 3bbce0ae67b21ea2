package nl.betrokken.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HealthTest {

    @Test
    void health_whenStarted_answersUpWithTheOutboxDepth() {
        try (NodeHarness node = NodeHarness.start(NodeHarness.Db.H2, "noord", null, null)) {
            NodeHarness.Response r = node.call("GET", "/health", null, null);
            assertEquals(200, r.status());
            assertEquals("UP", r.body().get("status").asText());
            assertEquals(0, r.body().get("details").get("outbox").get("details").get("depth").asInt());
            NodeHarness.Response openapi = node.call("GET", "/openapi/betrokken-node-1.yml", null, null);
            assertEquals(200, openapi.status());
            assertTrue(openapi.body().asText().contains("/api/v1/signals"), "the OpenAPI document describes the API");
        }
    }
}
