package nl.betrokken.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/** Waiting in tests across nodes for what the feed, the outbox or a contact push brings, at most 30 seconds. */
public final class Waiting {

    private Waiting() {
    }

    /** Returns once {@code condition} holds; fails naming {@code what} after 30 s. */
    public static void waitFor(Supplier<Boolean> condition, String what) {
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

    /** The match on {@code signalId} that prof-a at {@code node} sees and that satisfies {@code ready}, once it does. */
    public static JsonNode match(NodeHarness node, String signalId, Predicate<JsonNode> ready) {
        JsonNode[] seen = new JsonNode[1];
        waitFor(() -> {
            for (JsonNode m : node.call("GET", "/api/v1/matches", null, "prof-a").body().get("items")) {
                if (m.get("signalId").asText().equals(signalId) && ready.test(m)) {
                    seen[0] = m;
                    return true;
                }
            }
            return false;
        }, node.nodeId() + ": a match on " + signalId);
        return seen[0];
    }
}
