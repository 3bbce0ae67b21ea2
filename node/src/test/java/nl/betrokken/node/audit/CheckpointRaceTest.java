package nl.betrokken.node.audit;

import static nl.betrokken.node.audit.AuditFixtures.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.CoordinatorProcess;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;

/**
 * A checkpoint is signed and proven at one tree size, whatever is appended meanwhile: checkpointing while entries are
 * appended never makes the coordinator see a fork that never happened; and checkpoints asked for at once, of the
 * same size, are one checkpoint, not a server error.
 */
class CheckpointRaceTest {

    static CoordinatorProcess coordinator;
    static final List<NodeHarness> STARTED = new ArrayList<>();

    @BeforeAll
    static void start() {
        coordinator = CoordinatorProcess.start();
    }

    @AfterAll
    static void stop() {
        STARTED.forEach(NodeHarness::close);
        coordinator.close();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void checkpoint_whileEntriesAreAppended_isAlwaysCountersigned(Db db) throws Exception {
        NodeHarness node = NodeHarness.start(enrolled(db, "race-" + db.name().toLowerCase()));
        STARTED.add(node);
        NodeAudit audit = node.bean(NodeAudit.class);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong appended = new AtomicLong();
        ExecutorService appenders = Executors.newFixedThreadPool(3);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            running.add(appenders.submit(() -> {
                while (!stop.get()) {
                    audit.record(AuditEvent.of("signal.listed", "prof:race", "organisation:race"));
                    appended.incrementAndGet();
                }
                return null;
            }));
        }
        List<AuditCheckpoints.Outcome> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                outcomes.add(node.bean(AuditCheckpoints.class).run());
            }
        } finally {
            stop.set(true);
            for (Future<?> f : running) {
                f.get();
            }
            appenders.shutdown();
        }
        assertTrue(appended.get() > 40, "entries were appended meanwhile: " + appended.get());
        assertEquals(List.of(AuditCheckpoints.Outcome.COUNTERSIGNED), outcomes.stream().distinct().toList(),
                "every checkpoint was countersigned: " + outcomes);
        assertEquals(0, entries(node, "checkpoint.refused"), "no refusal recorded");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void checkpoints_askedForAtOnce_allAnswer200(Db db) throws Exception {
        NodeHarness node = NodeHarness.shared(db);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 5; round++) {
                List<Callable<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    calls.add(() -> node.call("GET", "/api/v1/audit/checkpoints", null, "auditor").status());
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : callers.invokeAll(calls)) {
                    statuses.add(f.get());
                }
                assertEquals(List.of(200), statuses.stream().distinct().toList(), "round " + round + ": " + statuses);
            }
        } finally {
            callers.shutdown();
        }
    }

    private static java.util.Map<String, Object> enrolled(Db db, String nodeId) {
        java.util.Map<String, Object> p = new java.util.HashMap<>(
                NodeHarness.prepare(db, nodeId, coordinator.url(), ""));
        p.put("betrokken.audit.checkpoint-initial-delay", "1h");
        coordinator.enrol(nodeId, java.nio.file.Path.of((String) p.get("betrokken.data-dir")));
        return p;
    }
}
