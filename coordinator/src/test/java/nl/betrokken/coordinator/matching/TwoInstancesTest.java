package nl.betrokken.coordinator.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;

/**
 * Two coordinator instances on one PostgreSQL database take overlapping batches at the same time: every match the
 * rules ask for is found exactly once.
 */
class TwoInstancesTest {

    private record Signal(String node, String ref, String org, String youth, List<String> parents) {
    }

    @Test
    void twoInstances_concurrentBatches_neitherMissNorDuplicateAMatch() throws Exception {
        try (Harness one = Harness.fresh(Db.POSTGRES); Harness two = Harness.start(one.properties())) {
            List<TestNode> nodes = new ArrayList<>();
            for (String name : List.of("noord", "oost", "zuid", "west")) {
                nodes.add(one.enrol(name));
            }
            Random random = new Random(42);
            List<String> youths = new ArrayList<>();
            List<String> parents = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                youths.add(People.bsn());
            }
            for (int i = 0; i < 200; i++) {
                parents.add(People.bsn());
            }
            // Each node sends 8 batches of 25 signals drawn from a small population, so that pairs keep forming
            // across batches that two instances process at the same moment.
            Map<TestNode, List<List<Signal>>> batches = new HashMap<>();
            List<Signal> all = new ArrayList<>();
            for (TestNode node : nodes) {
                List<List<Signal>> mine = new ArrayList<>();
                for (int b = 0; b < 8; b++) {
                    List<Signal> batch = new ArrayList<>();
                    for (int s = 0; s < 25; s++) {
                        Signal signal = new Signal(node.id(), "r" + b + "-" + s, "org-" + random.nextInt(3),
                                youths.get(random.nextInt(youths.size())),
                                List.of(parents.get(random.nextInt(parents.size()))));
                        batch.add(signal);
                        all.add(signal);
                    }
                    mine.add(batch);
                }
                batches.put(node, mine);
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Harness.Response>> sent = new ArrayList<>();
            for (int b = 0; b < 8; b++) {
                for (int n = 0; n < nodes.size(); n++) {
                    TestNode node = nodes.get(n);
                    Harness via = (b + n) % 2 == 0 ? one : two;
                    TestNode caller = via.sameNode(node);
                    List<Signal> batch = batches.get(node).get(b);
                    sent.add(pool.submit(() -> caller.submit(batch.stream().map(TwoInstancesTest::record).toList())));
                    // Every other batch is also sent twice at once, as a retry racing its original.
                    if (b % 2 == 0) {
                        TestNode retry = (via == one ? two : one).sameNode(node);
                        sent.add(pool.submit(() -> retry.submit(batch.stream().map(TwoInstancesTest::record).toList())));
                    }
                }
            }
            for (Future<Harness.Response> f : sent) {
                assertEquals(200, f.get().status(), String.valueOf(f.get().body()));
            }
            pool.shutdown();

            Set<String> expected = oracle(all);
            Set<String> found = new TreeSet<>();
            Map<String, Integer> entriesPerMatch = new HashMap<>();
            for (TestNode node : nodes) {
                for (JsonNode e : node.created()) {
                    String pair = pair(node.id() + "/" + e.get("ref").asText(),
                            e.get("counterpart").get("node").asText() + "/" + e.get("counterpart").get("ref").asText());
                    found.add(pair + ":" + e.get("type").asText());
                    entriesPerMatch.merge(e.get("matchId").asText(), 1, Integer::sum);
                }
            }
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(found);
            Set<String> extra = new TreeSet<>(found);
            extra.removeAll(expected);
            assertEquals(Set.of(), missing, "matches not found");
            assertEquals(Set.of(), extra, "matches that should not be");
            assertTrue(expected.size() > 100, "the population forms many pairs: " + expected.size());
            assertEquals(expected.size(), entriesPerMatch.size(), "one match id per pair");
            entriesPerMatch.forEach((id, n) -> assertEquals(2, n, "match " + id + " reached both sides once"));

            // Each matcher read the signals of each person once and then caught up with the other one's passes from
            // match_pass, rather than read them all again.
            int[] first = one.bean(MatchingJob.class).indexReadsAndCatchUps();
            int[] second = two.bean(MatchingJob.class).indexReadsAndCatchUps();
            assertEquals(1, first[0], "instance one read its index once");
            assertEquals(1, second[0], "instance two read its index once");
            assertTrue(first[1] + second[1] > 0, "a matcher caught up with the other's passes");
        }
    }

    private static Map<String, Object> record(Signal s) {
        return People.record(s.ref(), s.org(), s.youth(), s.parents().toArray(String[]::new));
    }

    private static String pair(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    /** The matches the rules ask for, computed from the plain data without the coordinator. */
    private static Set<String> oracle(List<Signal> all) {
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                Signal a = all.get(i);
                Signal b = all.get(j);
                if (a.node().equals(b.node()) && a.org().equals(b.org())) {
                    continue;
                }
                Set<String> shared = new HashSet<>(a.parents());
                shared.retainAll(b.parents());
                String type = a.youth().equals(b.youth()) ? "CHILD" : !shared.isEmpty() ? "FAMILY" : null;
                if (type != null) {
                    out.add(pair(a.node() + "/" + a.ref(), b.node() + "/" + b.ref()) + ":" + type);
                }
            }
        }
        return out;
    }
}
