package nl.betrokken.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A federation for tests across nodes: a real coordinator process (from the built jar) and two nodes that know each
 * other as peers and are enrolled at it, {@code noord} and {@code oost} (and optionally a third, {@code zuid}), one on
 * H2 and one on PostgreSQL, so that
 * every test across nodes runs on both databases. The audit checkpoint job waits an hour, out of the tests' way.
 */
public final class TestFederation implements AutoCloseable {

    private final CoordinatorProcess coordinator;
    private final Map<String, NodeHarness> nodes = new LinkedHashMap<>();

    private TestFederation(Map<String, NodeHarness.Db> databases, Map<String, Object> settings) {
        this(databases, (id, port) -> settings);
    }

    private TestFederation(Map<String, NodeHarness.Db> databases,
                           BiFunction<String, Integer, Map<String, Object>> settings) {
        coordinator = CoordinatorProcess.start();
        Map<String, Integer> ports = new LinkedHashMap<>();
        databases.keySet().forEach(id -> ports.put(id, NodeHarness.freePort()));
        StringBuilder peers = new StringBuilder();
        ports.forEach((id, port) -> peers.append(peers.length() == 0 ? "" : ",").append(id)
                .append("=http://127.0.0.1:").append(port));
        databases.forEach((id, db) -> start(db, id, peers.toString(), ports.get(id),
                settings.apply(id, ports.get(id))));
    }

    /** Starts the coordinator, then noord on H2 and oost on PostgreSQL. */
    public static TestFederation noordAndOost() {
        return noordAndOost(NodeHarness.Db.H2, NodeHarness.Db.POSTGRES, Map.of());
    }

    /** Starts the coordinator, then noord and oost on the databases given, each with {@code settings} as well. */
    public static TestFederation noordAndOost(NodeHarness.Db noordDb, NodeHarness.Db oostDb,
                                              Map<String, Object> settings) {
        Map<String, NodeHarness.Db> databases = new LinkedHashMap<>();
        databases.put("noord", noordDb);
        databases.put("oost", oostDb);
        return new TestFederation(databases, settings);
    }

    /**
     * Starts the coordinator, then noord on H2 and oost on PostgreSQL, each with the settings {@code settings} gives
     * for its id and port (asked just before it starts, e.g. for its public URL).
     */
    public static TestFederation noordAndOost(BiFunction<String, Integer, Map<String, Object>> settings) {
        Map<String, NodeHarness.Db> databases = new LinkedHashMap<>();
        databases.put("noord", NodeHarness.Db.H2);
        databases.put("oost", NodeHarness.Db.POSTGRES);
        return new TestFederation(databases, settings);
    }

    /** Starts the coordinator, then noord on H2, oost on PostgreSQL and zuid on H2. */
    public static TestFederation noordOostZuid() {
        return noordOostZuid((id, port) -> Map.of());
    }

    /**
     * The same, each node with the settings {@code settings} gives for its id and port (asked just before it starts,
     * e.g. for a redirect URI at that port).
     */
    public static TestFederation noordOostZuid(BiFunction<String, Integer, Map<String, Object>> settings) {
        Map<String, NodeHarness.Db> databases = new LinkedHashMap<>();
        databases.put("noord", NodeHarness.Db.H2);
        databases.put("oost", NodeHarness.Db.POSTGRES);
        databases.put("zuid", NodeHarness.Db.H2);
        return new TestFederation(databases, settings);
    }

    private void start(NodeHarness.Db db, String nodeId, String peers, int port, Map<String, Object> settings) {
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(db, nodeId, coordinator.url(), peers));
        p.put("micronaut.server.port", port);
        p.put("betrokken.audit.checkpoint-initial-delay", "1h");
        p.putAll(settings);
        coordinator.enrol(nodeId, Path.of((String) p.get("betrokken.data-dir")));
        nodes.put(nodeId, NodeHarness.start(p));
    }

    /**
     * The running nodes by id. A test may stop a node and put a restarted one in its place; {@link #close()} closes
     * whatever the map holds then.
     */
    public Map<String, NodeHarness> nodes() {
        return nodes;
    }

    /** The coordinator's base URL, e.g. for its published keys. */
    public String coordinatorUrl() {
        return coordinator.url();
    }

    /** The coordinator's data directory (its keys). */
    public Path coordinatorDataDir() {
        return coordinator.dataDir();
    }

    /**
     * The id of the match on {@code signal} at {@code node}, as its professional {@code prof-a} lists it, once the
     * counterpart's contact data is known (waits up to a minute).
     */
    public String matchOn(String node, String signal) {
        JsonNode page = await(() -> nodes.get(node).call("GET", "/api/v1/matches", null, "prof-a").body(),
                p -> withCounterpart(p, signal) != null, "the match on " + signal + " at " + node);
        return withCounterpart(page, signal).get("id").asText();
    }

    private static JsonNode withCounterpart(JsonNode page, String signal) {
        for (JsonNode m : page.has("items") ? page.get("items") : page) {
            if (m.get("signalId").asText().equals(signal) && m.has("counterpart")) {
                return m;
            }
        }
        return null;
    }

    /** What {@code read} gives once {@code done} holds for it (not null), read every 200 ms for up to a minute. */
    public static <T> T await(Supplier<T> read, Predicate<T> done, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        T value = read.get();
        while (value == null || !done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited in vain for: " + what + "; last: " + value);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            value = read.get();
        }
        return value;
    }

    @Override
    public void close() {
        nodes.values().forEach(NodeHarness::close);
        coordinator.close();
    }
}
