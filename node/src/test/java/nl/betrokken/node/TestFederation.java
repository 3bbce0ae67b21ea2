package nl.betrokken.node;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A federation for tests across nodes: a real coordinator process (from the built jar) and two nodes that know each
 * other as peers and are enrolled at it, {@code noord} on H2 and {@code oost} on PostgreSQL, so that every test
 * across nodes runs on both databases. The audit checkpoint job waits an hour, out of the tests' way.
 */
public final class TestFederation implements AutoCloseable {

    private final CoordinatorProcess coordinator;
    private final Map<String, NodeHarness> nodes = new LinkedHashMap<>();

    private TestFederation() {
        coordinator = CoordinatorProcess.start();
        int noordPort = NodeHarness.freePort();
        int oostPort = NodeHarness.freePort();
        String peers = "noord=http://127.0.0.1:" + noordPort + ",oost=http://127.0.0.1:" + oostPort;
        start(NodeHarness.Db.H2, "noord", peers, noordPort);
        start(NodeHarness.Db.POSTGRES, "oost", peers, oostPort);
    }

    /** Starts the coordinator, then noord and oost. */
    public static TestFederation noordAndOost() {
        return new TestFederation();
    }

    private void start(NodeHarness.Db db, String nodeId, String peers, int port) {
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(db, nodeId, coordinator.url(), peers));
        p.put("micronaut.server.port", port);
        p.put("betrokken.audit.checkpoint-initial-delay", "1h");
        coordinator.enrol(nodeId, Path.of((String) p.get("betrokken.data-dir")));
        nodes.put(nodeId, NodeHarness.start(p));
    }

    /** The running nodes by id. */
    public Map<String, NodeHarness> nodes() {
        return Collections.unmodifiableMap(nodes);
    }

    @Override
    public void close() {
        nodes.values().forEach(NodeHarness::close);
        coordinator.close();
    }
}
