package nl.betrokken.node.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import nl.betrokken.audit.AuditBundle;
import nl.betrokken.audit.BundleVerifier;
import nl.betrokken.node.CoordinatorProcess;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.Youths;
import nl.betrokken.testing.TestPostgres;

/**
 * compose/README.md's backup and restore of the coordinator: a coordinator on PostgreSQL, with two nodes and a match
 * between them, dumped with the README's pg_dump line, its database lost, a fresh one restored with its pg_restore
 * line, and the coordinator started on it with the same keys (its data directory). Its audit log verifies and begins
 * with every entry it had, and a signal registered after the restore matches the one registered before the backup:
 * the restored pseudonyms and the coordinator's re-key ring still fit together.
 */
class CoordinatorBackupRestoreTest {

    @Test
    void aCoordinatorRestoredFromItsBackup_keepsItsSignalsForMatching_andItsAuditLogStillVerifies() throws Exception {
        PgBackup pg = new PgBackup(TestPostgres.server());
        String original = pg.createDatabase();
        String restored = pg.createDatabase();
        Path dump = Files.createTempFile("coordinator-db", ".dump");
        List<NodeHarness> nodes = new ArrayList<>();
        try (CoordinatorProcess coordinator = CoordinatorProcess.start(Map.of(
                "DATASOURCES_DEFAULT_URL", pg.jdbcUrl(original),
                "DATASOURCES_DEFAULT_USERNAME", TestPostgres.server().username(),
                "DATASOURCES_DEFAULT_PASSWORD", TestPostgres.server().password(),
                "DATASOURCES_DEFAULT_DRIVER_CLASS_NAME", "org.postgresql.Driver",
                "DATASOURCES_DEFAULT_DIALECT", "POSTGRES"))) {
            int noordPort = NodeHarness.freePort();
            int oostPort = NodeHarness.freePort();
            String peers = "noord=http://127.0.0.1:" + noordPort + ",oost=http://127.0.0.1:" + oostPort;
            NodeHarness noord = node(coordinator, "noord", peers, noordPort, nodes);
            NodeHarness oost = node(coordinator, "oost", peers, oostPort, nodes);

            String youth = Youths.bsn();
            String atNoord = register(noord, "prof-a", Youths.registration(youth, "2011-06-07"));
            String atOost = register(oost, "prof-a", Youths.registration(youth, "2011-06-07"));
            awaitMatches(noord, "prof-a", atNoord, 1);
            awaitMatches(oost, "prof-a", atOost, 1);
            AuditBundle before = coordinatorBundle(noord);
            BundleVerifier.verify(before);

            pg.dump("coordinator-db", original, dump); // while it runs
            coordinator.stop();
            pg.dropDatabase(original); // its database is lost
            pg.restore("coordinator-db", dump, restored);
            coordinator.environment().put("DATASOURCES_DEFAULT_URL", pg.jdbcUrl(restored));
            coordinator.startAgain();

            AuditBundle after = coordinatorBundle(noord);
            BundleVerifier.verify(after);
            assertEquals(before.entries(), after.entries().subList(0, before.entries().size()),
                    "the restored log begins with every entry the coordinator had logged, unchanged");
            assertEquals(before.logKey(), after.logKey(), "the same log key, from the same key ring");
            assertEquals(1, matchesOn(noord, "prof-a", atNoord), "noord's match stands");

            // A new signal at oost on the same youth matches noord's signal, known to the coordinator from the backup.
            String later = register(oost, "prof-b", Youths.registration(youth, "2011-06-07"));
            awaitMatches(noord, "prof-a", atNoord, 2);
            awaitMatches(oost, "prof-b", later, 2);
        } finally {
            nodes.forEach(NodeHarness::close);
            pg.dropDatabase(original);
            pg.dropDatabase(restored);
            Files.deleteIfExists(dump);
        }
    }

    /** A node on H2, enrolled at {@code coordinator}, listening on {@code port}. */
    private static NodeHarness node(CoordinatorProcess coordinator, String nodeId, String peers, int port,
                                    List<NodeHarness> started) {
        Map<String, Object> p = new HashMap<>(
                NodeHarness.prepare(NodeHarness.Db.H2, nodeId, coordinator.url(), peers));
        p.put("micronaut.server.port", port);
        p.put("betrokken.audit.checkpoint-initial-delay", "1h");
        coordinator.enrol(nodeId, Path.of((String) p.get("betrokken.data-dir")));
        NodeHarness node = NodeHarness.start(p);
        started.add(node);
        return node;
    }

    private static String register(NodeHarness node, String prof, Map<String, Object> body) {
        NodeHarness.Response r = node.call("POST", "/api/v1/signals", body, prof);
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    /** How many matches {@code prof} sees on {@code signal} with the counterpart's contact data. */
    private static int matchesOn(NodeHarness node, String prof, String signal) {
        JsonNode page = node.call("GET", "/api/v1/matches", null, prof).body();
        int n = 0;
        for (JsonNode m : page.has("items") ? page.get("items") : page) {
            if (m.get("signalId").asText().equals(signal) && m.has("counterpart")) {
                n++;
            }
        }
        return n;
    }

    private static void awaitMatches(NodeHarness node, String prof, String signal, int count) {
        TestFederation.await(() -> matchesOn(node, prof, signal), n -> n == count,
                count + " match(es) on " + signal + " for " + prof);
    }

    /** The coordinator's audit bundle, as the node's auditor fetches it. */
    private static AuditBundle coordinatorBundle(NodeHarness node) {
        NodeHarness.Response r = node.call("GET", "/api/v1/audit/coordinator/bundle", null, "auditor");
        assertEquals(200, r.status(), String.valueOf(r.body()));
        try {
            AuditBundle bundle = AuditBundle.parse(r.body().toString());
            assertEquals("betrokken/coordinator", bundle.origin());
            return bundle;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
