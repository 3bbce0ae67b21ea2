package nl.betrokken.node.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import nl.betrokken.crypto.keys.KeyEpoch;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.keys.KeyRingFile;
import nl.betrokken.crypto.pseudonym.HmacPseudonymizer;
import nl.betrokken.node.CoordinatorProcess;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.keys.NodeKeys;

/**
 * Federation key rotation across a real coordinator process and two nodes with a federation ring of their own.
 * Signals registered before the rotation, while only noord has rotated (the coordinator refuses to retire epoch 1
 * then), while both have, and after the coordinator retired epoch 1 and both nodes dropped it: after every phase, the matches each node holds are exactly the expected pairs, each once. Each phase's own
 * matches come through the outbox and the feed after the previous phase's resubmissions, so a duplicate made by a
 * resubmission would have arrived before them.
 */
class FederationKeyRotationTest {

    static CoordinatorProcess coordinator;
    static final Map<String, Map<String, Object>> PROPERTIES = new LinkedHashMap<>();
    static final Map<String, NodeHarness> NODES = new LinkedHashMap<>();
    static Path rings;

    @BeforeAll
    static void start() throws Exception {
        coordinator = CoordinatorProcess.start();
        rings = Files.createTempDirectory("federation-rotation");
        KeyRingFile.write(rings.resolve("ring-1"), KeyRing.generate(new SecureRandom(), Instant.now()));
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String n : List.of("noord", "oost")) {
            ports.put(n, NodeHarness.freePort());
        }
        StringBuilder peers = new StringBuilder();
        ports.forEach((n, p) -> peers.append(peers.isEmpty() ? "" : ",").append(n).append("=http://127.0.0.1:").append(p));
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            Map<String, Object> p = new HashMap<>(NodeHarness.prepare(NodeHarness.Db.H2, e.getKey(), coordinator.url(),
                    peers.toString()));
            p.put("micronaut.server.port", e.getValue());
            Path dir = Path.of((String) p.get("betrokken.data-dir"));
            // This federation's own ring, as its operator distributed it, instead of the tests' shared one.
            KeyRingFile.write(dir.resolve(NodeKeys.FEDERATION_RING), KeyRingFile.read(rings.resolve("ring-1")));
            coordinator.enrol(e.getKey(), dir);
            PROPERTIES.put(e.getKey(), p);
        }
        PROPERTIES.forEach((n, p) -> NODES.put(n, NodeHarness.start(p)));
    }

    @AfterAll
    static void stop() {
        NODES.values().forEach(NodeHarness::close);
        coordinator.close();
    }

    /** An expected match: noord's signal ref, oost's signal ref, the type. */
    record Pair(String noord, String oost, String type) implements Comparable<Pair> {
        @Override
        public int compareTo(Pair o) {
            return toString().compareTo(o.toString());
        }
    }

    @Test
    void rotation_acrossTwoNodes_noMatchMissedOrDuplicatedBeforeDuringAndAfter() throws Exception {
        Set<Pair> expected = new TreeSet<>();

        // Before: everything under epoch 1.
        String x = Youths.bsn();
        String y = Youths.bsn();
        String z = Youths.bsn();
        String mother = Youths.bsn();
        String v = Youths.bsn();
        String w = Youths.bsn();
        expected.add(new Pair(register("noord", x), register("oost", x), "CHILD"));
        expected.add(new Pair(register("noord", y, mother), register("oost", z, mother), "FAMILY"));
        String vAtNoord = register("noord", v);    // matched during the transition by oost under epoch 1 alone
        String wAtOost = register("oost", w);      // matched after the drop by noord under epoch 2 alone
        awaitMatches(expected);

        // noord rotates: the next ring, made once and copied to every node; a repeat resubmits again.
        KeyRing ring1 = KeyRingFile.read(rings.resolve("ring-1"));
        KeyRing ring2 = FederationKeyRotation.next(ring1, Instant.now(), Duration.ofDays(30));
        KeyRingFile.write(rings.resolve("ring-2"), ring2);
        Map<String, FederationKeyRotation.Rotated> first = new HashMap<>();
        withNodeStopped("noord", rotation -> {
            KeyRing foreign = FederationKeyRotation.next(KeyRing.generate(new SecureRandom(), Instant.now()),
                    Instant.now(), Duration.ofDays(30));
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> rotation.rotate(foreign));
            assertTrue(refused.getMessage().contains("another secret"), refused.getMessage());
            first.put("noord", rotation.rotate(read(rings.resolve("ring-2"))));
            FederationKeyRotation.Rotated again = rotation.rotate(read(rings.resolve("ring-2")));
            assertFalse(again.installed(), "the same ring again is not installed twice");
            assertEquals(first.get("noord").resubmitted(), again.resubmitted());
            return null;
        });
        assertEquals(new FederationKeyRotation.Rotated(1, 2, true, 3), first.get("noord"),
                "noord resubmitted its three active signals");
        assertEquals(2, KeyRingFile.read(dataDir("noord").resolve(NodeKeys.FEDERATION_RING)).primary().id());

        // During, noord rotated (epochs 1 and 2), oost not (epoch 1 only).
        String u = Youths.bsn();
        String t = Youths.bsn();
        String father = Youths.bsn();
        String vAtOost = register("oost", v, father);
        expected.add(new Pair(vAtNoord, vAtOost, "CHILD"));
        expected.add(new Pair(register("noord", u), register("oost", u), "CHILD"));
        String tAtNoord = register("noord", t);      // matched after the drop by oost under epoch 2 alone
        awaitMatches(expected);

        CoordinatorProcess.CommandResult early = coordinator.command("federation-epoch-retire", "1");
        assertEquals(1, early.status(), early.output());
        assertTrue(early.output().contains("still needed") && early.output().contains("oost"), early.output());

        // oost rotates too.
        withNodeStopped("oost", rotation -> {
            assertEquals(new FederationKeyRotation.Rotated(1, 2, true, 5), rotation.rotate(read(rings.resolve("ring-2"))));
            return null;
        });
        String s = Youths.bsn();
        expected.add(new Pair(register("noord", s), register("oost", s), "CHILD"));
        awaitMatches(expected);

        // After the resubmissions reached the coordinator, it retires epoch 1 and both nodes drop it.
        for (String node : NODES.keySet()) {
            awaitEmptyOutbox(node);
        }
        CoordinatorProcess.CommandResult retired = coordinator.command("federation-epoch-retire", "1");
        assertEquals(0, retired.status(), retired.output());
        for (String node : List.of("noord", "oost")) {
            withNodeStopped(node, rotation -> {
                assertTrue(rotation.drop(1).changed());
                return null;
            });
            KeyRing dropped = KeyRingFile.read(dataDir(node).resolve(NodeKeys.FEDERATION_RING));
            assertEquals(KeyEpoch.State.DISABLED, dropped.epochs().get(0).state(), node + " dropped epoch 1");
            assertEquals(List.of(2), HmacPseudonymizer.create(dropped, java.time.Clock.systemUTC())
                    .pseudonymizeForMatching(nl.betrokken.crypto.bsn.Bsn.parse(Youths.bsn())).stream()
                    .map(p -> p.epoch()).toList(), node + " makes epoch 2 pseudonyms only");
        }

        // After: epoch 2 alone finds the signals of every phase.
        String sibling = Youths.bsn();
        expected.add(new Pair(register("noord", w), wAtOost, "CHILD"));
        expected.add(new Pair(tAtNoord, register("oost", t), "CHILD"));
        expected.add(new Pair(register("noord", sibling, father), vAtOost, "FAMILY"));
        awaitMatches(expected);

        assertEquals(3, auditEntries("noord", "key.rotated"), "noord: the rotation, its repeat, the drop");
        assertEquals(2, auditEntries("oost", "key.rotated"), "oost: the rotation, the drop");
    }

    static KeyRing read(Path ring) {
        try {
            return KeyRingFile.read(ring);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path dataDir(String node) {
        return Path.of((String) PROPERTIES.get(node).get("betrokken.data-dir"));
    }

    /** Stops the node, runs {@code command} against its database and data directory as the operator would, starts it. */
    static void withNodeStopped(String node, Function<FederationKeyRotation, Void> command) {
        NODES.remove(node).close();
        try (ApplicationContext context = ApplicationContext.builder().properties(PROPERTIES.get(node))
                .environments("test", "dev").start()) {
            command.apply(context.getBean(FederationKeyRotation.class));
        }
        NODES.put(node, NodeHarness.start(PROPERTIES.get(node)));
    }

    /** Registers a signal at {@code node} and returns its reference (what the coordinator and the other node see). */
    static String register(String node, String youth, String... parents) {
        NodeHarness.Response r = NODES.get(node).call("POST", "/api/v1/signals",
                Youths.registration(youth, "2014-05-01", parents), "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        UUID id = UUID.fromString(r.body().get("id").asText());
        return tx(node).executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement("SELECT ref FROM signal WHERE id = ?")) {
                select.setObject(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    /**
     * Waits until both nodes hold every expected match, then requires that they hold exactly these, each once: one
     * row per pair at each side.
     */
    static void awaitMatches(Set<Pair> expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<Pair> atNoord = held("noord");
            List<Pair> atOost = held("oost");
            boolean complete = atNoord.containsAll(expected) && atOost.containsAll(expected);
            if (complete || System.nanoTime() > deadline) {
                assertEquals(new ArrayList<>(expected), atNoord.stream().sorted().toList(), "noord's matches");
                assertEquals(new ArrayList<>(expected), atOost.stream().sorted().toList(), "oost's matches");
                return;
            }
            sleep(100);
        }
    }

    /** The matches {@code node} holds, as pairs of references, one per row. */
    static List<Pair> held(String node) {
        return tx(node).executeRead(status -> {
            List<Pair> pairs = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT s.ref, m.counterpart_node, m.counterpart_ref, m.match_type FROM node_match m"
                            + " JOIN signal s ON s.id = m.signal_id WHERE m.status <> 'WITHDRAWN'");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    assertFalse(node.equals(rs.getString(2)), "no match within one node in this test");
                    pairs.add(node.equals("noord") ? new Pair(rs.getString(1), rs.getString(3), rs.getString(4))
                            : new Pair(rs.getString(3), rs.getString(1), rs.getString(4)));
                }
            }
            return pairs;
        });
    }

    static void awaitEmptyOutbox(String node) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count(node, "SELECT count(*) FROM outbox") > 0) {
            assertTrue(System.nanoTime() < deadline, node + "'s outbox did not empty");
            sleep(50);
        }
    }

    static long auditEntries(String node, String kind) {
        return tx(node).executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT count(*) FROM audit_entry WHERE kind = ?")) {
                select.setString(1, kind);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    static long count(String node, String sql) {
        return tx(node).executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(sql);
                 ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @SuppressWarnings("unchecked")
    static TransactionOperations<Connection> tx(String node) {
        return NODES.get(node).bean(TransactionOperations.class);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
