package nl.betrokken.node.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.CoordinatorProcess;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;

/**
 * Nothing is lost: signals accepted while the coordinator is down wait in the outbox, survive a restart of the
 * node, and reach the coordinator when it is back, once each.
 */
public class OutboxOutageTest {

    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static int depth(NodeHarness node) {
        return node.call("GET", "/health", null, null).body().get("details").get("outbox").get("details").get("depth").asInt();
    }

    static List<JsonNode> matches(NodeHarness node, String user) {
        List<JsonNode> out = new ArrayList<>();
        node.call("GET", "/api/v1/matches", null, user).body().get("items").forEach(out::add);
        return out;
    }

    @ParameterizedTest
    @EnumSource(NodeHarness.Db.class)
    void outbox_coordinatorDownAndNodeRestarted_deliversEverySignalOnce(NodeHarness.Db db) {
        try (CoordinatorProcess coordinator = CoordinatorProcess.start()) {
            Map<String, Object> noordProps = NodeHarness.prepare(db, "noord", coordinator.url(), "");
            Map<String, Object> oostProps = NodeHarness.prepare(NodeHarness.Db.H2, "oost", coordinator.url(), "");
            coordinator.enrol("noord", Path.of((String) noordProps.get("betrokken.data-dir")));
            coordinator.enrol("oost", Path.of((String) oostProps.get("betrokken.data-dir")));
            List<String> children = List.of(Youths.bsn(), Youths.bsn(), Youths.bsn());

            coordinator.stop();
            NodeHarness noord = NodeHarness.start(noordProps);
            for (String child : children) {
                assertEquals(201, noord.call("POST", "/api/v1/signals", Youths.registration(child), "prof-a").status(),
                        "the node takes signals while the coordinator is down");
            }
            await("three messages wait", () -> depth(noord) == 3);
            noord.close();

            Map<String, Object> restarted = new HashMap<>(noordProps);
            NodeHarness again = NodeHarness.start(restarted);
            assertEquals(3, depth(again), "the outbox survived the node's restart");
            coordinator.startAgain();
            await("the outbox is delivered", () -> depth(again) == 0);

            try (NodeHarness oost = NodeHarness.start(oostProps)) {
                for (String child : children) {
                    oost.call("POST", "/api/v1/signals", Youths.registration(child), "prof-a");
                }
                await("oost sees a match for each of noord's signals", () -> matches(oost, "prof-a").size() == 3);
                await("noord sees the three matches", () -> matches(again, "prof-a").size() == 3);
                List<JsonNode> atNoord = matches(again, "prof-a");
                assertEquals(3, atNoord.stream().map(m -> m.get("signalId").asText()).distinct().count(),
                        "one match per signal: nothing was delivered twice");
            } finally {
                again.close();
            }
        }
    }

    @Test
    void outbox_backoff_growsToItsLimit() {
        assertEquals(Duration.ofSeconds(1), OutboxSender.backoff(1));
        assertEquals(Duration.ofSeconds(8), OutboxSender.backoff(4));
        assertEquals(OutboxSender.MAX_BACKOFF, OutboxSender.backoff(40));
        assertTrue(OutboxSender.backoff(9).compareTo(OutboxSender.MAX_BACKOFF) <= 0);
    }
}
