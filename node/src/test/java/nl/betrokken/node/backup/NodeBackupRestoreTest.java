package nl.betrokken.node.backup;

import static nl.betrokken.node.audit.AuditFixtures.bundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.audit.AuditBundle;
import nl.betrokken.audit.BundleVerifier;
import nl.betrokken.node.CoordinatorProcess;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.Youths;
import nl.betrokken.node.audit.AuditCheckpoints;
import nl.betrokken.testing.TestPostgres;

/**
 * compose/README.md's backup and restore of a node, done as the README says: the node's database dumped with its
 * pg_dump line while the node runs, the database lost, a fresh one restored with its pg_restore line, and the node
 * started on it with the same keys (its data directory, the key volume). The restored node serves the same signals
 * and matches, its audit log verifies and still extends the checkpoint the coordinator countersigned before the
 * backup (the coordinator countersigns the restored node's next checkpoint), and it takes new signals. A backup
 * older than the last countersigned checkpoint restores as well, and the coordinator then refuses the shorter log.
 */
class NodeBackupRestoreTest {

    static CoordinatorProcess coordinator;
    static PgBackup pg;

    @BeforeAll
    static void start() {
        pg = new PgBackup(TestPostgres.server());
        coordinator = CoordinatorProcess.start();
    }

    @AfterAll
    static void stop() {
        coordinator.close();
    }

    @Test
    void aNodeRestoredFromItsBackup_servesTheSameSignals_andItsAuditLogStillVerifies() throws Exception {
        String original = pg.createDatabase();
        String restored = pg.createDatabase();
        Path dump = Files.createTempFile("noord-db", ".dump");
        try {
            Map<String, Object> properties = enrolledNode("noord", original);
            Map<String, JsonNode> before;
            AuditBundle bundleBefore;
            try (NodeHarness node = NodeHarness.start(properties)) {
                // Two organisations signal one youth (a match through the coordinator), one signals another youth.
                String youth = Youths.bsn();
                String atA = register(node, "prof-a", Youths.registration(youth, "2012-03-04", Youths.bsn()));
                String atB = register(node, "prof-b", Youths.registration(youth, "2012-03-04"));
                String other = register(node, "prof-a", Youths.registration(Youths.bsn()));
                awaitMatch(node, "prof-a", atA);
                awaitMatch(node, "prof-b", atB);
                assertEquals(AuditCheckpoints.Outcome.COUNTERSIGNED, node.bean(AuditCheckpoints.class).run());
                before = served(node, List.of(atA, other), List.of(atB));
                bundleBefore = bundle(node);
                assertTrue(BundleVerifier.verify(bundleBefore).countersigned() >= 1);

                pg.dump("noord-db", original, dump); // while the node runs, as an operator backs up
            }
            assertTrue(Files.size(dump) > 0, "the dump holds something");
            pg.dropDatabase(original); // the node's database is lost

            pg.restore("noord-db", dump, restored);
            properties.put("datasources.default.url", pg.jdbcUrl(restored));
            try (NodeHarness node = NodeHarness.start(properties)) {
                Map<String, JsonNode> after = served(node, List.of(before.get("signal:0").get("id").asText(),
                        before.get("signal:1").get("id").asText()), List.of(before.get("signal:2").get("id").asText()));
                assertEquals(before, after, "the restored node serves the same signals and matches");

                AuditBundle bundleAfter = bundle(node);
                BundleVerifier.Report report = BundleVerifier.verify(bundleAfter);
                assertTrue(report.countersigned() >= 1,
                        "the countersigned checkpoint came back with the log: " + report);
                assertEquals(bundleBefore.entries(),
                        bundleAfter.entries().subList(0, bundleBefore.entries().size()),
                        "the restored log begins with every entry the node had logged before, unchanged");
                assertEquals(bundleBefore.logKey(), bundleAfter.logKey(), "the same log key, from the same key ring");
                assertEquals(AuditCheckpoints.Outcome.COUNTERSIGNED, node.bean(AuditCheckpoints.class).run(),
                        "the coordinator finds that the restored log extends what it countersigned");

                // The auditor's command, as docs/audit.md describes it, on the restored node's bundle.
                Path file = Files.createTempFile("noord-restored-bundle", ".json");
                bundle(node).write(file);
                Path jar = Path.of("..", "audit", "target", "audit.jar");
                assertTrue(Files.exists(jar), jar.toAbsolutePath() + " is missing: build the audit module first");
                Process verify = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar", jar.toAbsolutePath().toString(), "verify", file.toString())
                        .redirectErrorStream(true).start();
                String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, verify.waitFor(), output);
                assertTrue(output.startsWith("OK betrokken/node/noord: "), output);
                Files.delete(file);

                // And it goes on: a new signal, listed with the restored ones.
                String next = register(node, "prof-a", Youths.registration(Youths.bsn()));
                JsonNode list = node.call("GET", "/api/v1/signals", null, "prof-a").body();
                assertTrue(list.toString().contains(next), list.toString());
                assertEquals(before.get("signals:prof-a").get("items").size() + 1, list.get("items").size(),
                        list.toString());
            }
        } finally {
            pg.dropDatabase(original);
            pg.dropDatabase(restored);
            Files.deleteIfExists(dump);
        }
    }

    /**
     * What compose/README.md warns of: a backup older than the node's last countersigned checkpoint. The restored node
     * serves what the backup holds (not the signal registered after it), its log verifies on its own, and the
     * coordinator refuses its next checkpoint (audit-fork), because the entries it vouched for after the backup are
     * gone.
     */
    @Test
    void aBackupOlderThanTheLastCountersignedCheckpoint_restoresButTheCoordinatorRefusesTheShorterLog()
            throws Exception {
        String original = pg.createDatabase();
        String restored = pg.createDatabase();
        Path dump = Files.createTempFile("oost-db", ".dump");
        try {
            Map<String, Object> properties = enrolledNode("oost", original);
            JsonNode listed;
            String later;
            try (NodeHarness node = NodeHarness.start(properties)) {
                register(node, "prof-a", Youths.registration(Youths.bsn()));
                assertEquals(AuditCheckpoints.Outcome.COUNTERSIGNED, node.bean(AuditCheckpoints.class).run());
                listed = ok(node.call("GET", "/api/v1/signals", null, "prof-a"));
                pg.dump("noord-db", original, dump);
                later = register(node, "prof-a", Youths.registration(Youths.bsn()));
                assertEquals(AuditCheckpoints.Outcome.COUNTERSIGNED, node.bean(AuditCheckpoints.class).run());
            }
            pg.dropDatabase(original);

            pg.restore("noord-db", dump, restored);
            properties.put("datasources.default.url", pg.jdbcUrl(restored));
            try (NodeHarness node = NodeHarness.start(properties)) {
                assertEquals(listed, ok(node.call("GET", "/api/v1/signals", null, "prof-a")),
                        "what the backup holds, without the signal registered after it");
                assertEquals(404, node.call("GET", "/api/v1/signals/" + later, null, "prof-a").status());
                assertTrue(BundleVerifier.verify(bundle(node)).countersigned() >= 1,
                        "the log verifies up to the backup");
                assertEquals(AuditCheckpoints.Outcome.REFUSED, node.bean(AuditCheckpoints.class).run(),
                        "the coordinator countersigned a longer log than the restored one");
            }
        } finally {
            pg.dropDatabase(original);
            pg.dropDatabase(restored);
            Files.deleteIfExists(dump);
        }
    }

    /** The properties of node {@code nodeId} on database {@code database}, enrolled at the coordinator. */
    private static Map<String, Object> enrolledNode(String nodeId, String database) {
        Map<String, Object> properties = new HashMap<>(
                NodeHarness.prepare(NodeHarness.Db.POSTGRES, nodeId, coordinator.url(), ""));
        properties.put("betrokken.audit.checkpoint-initial-delay", "1h");
        properties.put("datasources.default.url", pg.jdbcUrl(database));
        coordinator.enrol(nodeId, Path.of((String) properties.get("betrokken.data-dir")));
        return properties;
    }

    /**
     * What the node serves its professionals: each signal (in the order given: prof-a's, then prof-b's), each one's
     * list of signals and of matches.
     */
    private static Map<String, JsonNode> served(NodeHarness node, List<String> ofA, List<String> ofB) {
        Map<String, JsonNode> served = new TreeMap<>();
        int i = 0;
        for (String id : ofA) {
            served.put("signal:" + i++, ok(node.call("GET", "/api/v1/signals/" + id, null, "prof-a")));
        }
        for (String id : ofB) {
            served.put("signal:" + i++, ok(node.call("GET", "/api/v1/signals/" + id, null, "prof-b")));
        }
        for (String prof : List.of("prof-a", "prof-b")) {
            served.put("signals:" + prof, ok(node.call("GET", "/api/v1/signals", null, prof)));
            served.put("matches:" + prof, ok(node.call("GET", "/api/v1/matches", null, prof)));
        }
        return served;
    }

    private static JsonNode ok(NodeHarness.Response r) {
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body();
    }

    private static String register(NodeHarness node, String prof, Map<String, Object> body) {
        NodeHarness.Response r = node.call("POST", "/api/v1/signals", body, prof);
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    /** Waits until {@code prof} sees a match on {@code signal} with its counterpart's contact data. */
    private static void awaitMatch(NodeHarness node, String prof, String signal) {
        TestFederation.await(() -> node.call("GET", "/api/v1/matches", null, prof).body(),
                page -> page.toString().contains(signal) && page.toString().contains("counterpart"),
                "a match on " + signal + " for " + prof);
    }
}
