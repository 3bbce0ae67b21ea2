package nl.betrokken.reliability;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nl.betrokken.audit.AuditBundle;
import nl.betrokken.audit.BundleVerifier;

/**
 * What must hold after a load, with or without a fault, read from the services' own databases (the test's view, not
 * the API's, so that a duplicate the API might hide is seen) and from their audit APIs:
 * <ul>
 *   <li>every signal a node accepted (2xx) is at the coordinator (its {@code ref}, under its node);</li>
 *   <li>every pair's CHILD match is at both nodes exactly once, and once at the coordinator;</li>
 *   <li>every registration was answered 2xx in the end (a 5xx or an I/O error was retried, and recorded);</li>
 *   <li>every audit log verifies: each node's bundle and the coordinator's, with the offline verifier.</li>
 * </ul>
 */
final class Invariants {

    /**
     * When a pair's match was made at the coordinator, when the counterpart node (the node of the earlier registration)
     * and when both nodes held it: in ms after the later registration's 201 (0 when before it).
     */
    record Latency(int pair, long coordinator, long counterpart, long both) {
    }

    /** The outcome: what is missing or wrong (empty when all holds), and the match latencies. */
    record Outcome(List<String> problems, List<Latency> latencies, Map<String, Integer> auditEntries) {
    }

    private Invariants() {
    }

    /**
     * Waits (up to {@code within}) until every accepted signal is at the coordinator and every pair's match at both
     * nodes, then checks everything once more and the audit logs.
     */
    static Outcome check(Federation f, List<Load.Registration> registrations, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> problems;
        Snapshot s;
        while (true) {
            s = Snapshot.read(f);
            problems = problems(s, registrations);
            if (problems.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(500);
        }
        List<String> all = new ArrayList<>(problems);
        Map<String, Integer> audit = new HashMap<>();
        all.addAll(audit(f, audit));
        return new Outcome(all, latencies(s, registrations), audit);
    }

    /** The databases at one moment. */
    private record Snapshot(Map<String, String> refById, Set<String> atCoordinator,
                            Map<String, List<String[]>> matchesBySignal, Map<String, Integer> coordinatorPairs,
                            Map<String, Long> matchedAt) {

        static Snapshot read(Federation f) throws SQLException {
            Map<String, String> refById = new HashMap<>();
            Map<String, List<String[]>> matches = new HashMap<>();
            for (String node : Federation.NODES) {
                try (Connection c = f.nodeDb(node)) {
                    try (PreparedStatement p = c.prepareStatement("SELECT id, ref FROM signal");
                         ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            refById.put(rs.getString(1), rs.getString(2));
                        }
                    }
                    try (PreparedStatement p = c.prepareStatement("SELECT signal_id, counterpart_node, counterpart_ref,"
                            + " status, created_at, match_type FROM node_match");
                         ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            matches.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new String[]{
                                    rs.getString(2), rs.getString(3), rs.getString(4),
                                    String.valueOf(rs.getTimestamp(5).toInstant().toEpochMilli()), rs.getString(6)});
                        }
                    }
                }
            }
            Set<String> atCoordinator = new HashSet<>();
            Map<String, Integer> pairs = new HashMap<>();
            Map<String, Long> matchedAt = new HashMap<>();
            try (Connection c = f.coordinatorDb()) {
                try (PreparedStatement p = c.prepareStatement("SELECT node_id, ref FROM signal");
                     ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        atCoordinator.add(rs.getString(1) + "/" + rs.getString(2));
                    }
                }
                try (PreparedStatement p = c.prepareStatement("SELECT l.ref, h.ref, count(*), min(m.created_at)"
                        + " FROM signal_match m JOIN signal l ON l.id = m.signal_low JOIN signal h ON h.id = m.signal_high"
                        + " GROUP BY l.ref, h.ref");
                     ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        pairs.merge(rs.getString(1), rs.getInt(3), Integer::sum);
                        pairs.merge(rs.getString(2), rs.getInt(3), Integer::sum);
                        matchedAt.put(rs.getString(1), rs.getTimestamp(4).toInstant().toEpochMilli());
                        matchedAt.put(rs.getString(2), rs.getTimestamp(4).toInstant().toEpochMilli());
                    }
                }
            }
            return new Snapshot(refById, atCoordinator, matches, pairs, matchedAt);
        }
    }

    private static List<String> problems(Snapshot s, List<Load.Registration> registrations) {
        List<String> problems = new ArrayList<>();
        Map<Integer, List<Load.Registration>> pairs = pairs(registrations);
        for (Load.Registration r : registrations) {
            if (!r.accepted()) {
                problems.add("registration " + r.key + " at " + r.node + " was not accepted: status " + r.status
                        + ", tries " + r.retried);
                continue;
            }
            String ref = s.refById().get(r.signalId);
            if (ref == null) {
                problems.add("signal " + r.signalId + " (" + r.key + ") answered 201 but is not in " + r.node
                        + "'s database");
                continue;
            }
            if (!s.atCoordinator().contains(r.node + "/" + ref)) {
                problems.add("signal " + r.key + " accepted by " + r.node + " is not at the coordinator");
            }
            Integer atCoordinator = s.coordinatorPairs().get(ref);
            if (atCoordinator == null || atCoordinator != 1) {
                problems.add("signal " + r.key + ": " + (atCoordinator == null ? 0 : atCoordinator)
                        + " matches at the coordinator, expected 1");
            }
            Load.Registration other = otherOf(pairs, r);
            if (other == null || !other.accepted()) {
                continue;
            }
            String otherRef = s.refById().get(other.signalId);
            List<String[]> held = s.matchesBySignal().getOrDefault(r.signalId, List.of());
            long expected = held.stream().filter(m -> m[0].equals(other.node) && m[1].equals(otherRef)
                    && "ACTIVE".equals(m[2]) && "CHILD".equals(m[4])).count();
            if (held.size() != 1 || expected != 1) {
                problems.add(r.node + " holds " + held.size() + " match(es) on " + r.key + " (" + expected
                        + " the expected active CHILD match with " + other.node + "), expected exactly 1");
            }
        }
        return problems;
    }

    private static Map<Integer, List<Load.Registration>> pairs(List<Load.Registration> registrations) {
        Map<Integer, List<Load.Registration>> pairs = new HashMap<>();
        for (Load.Registration r : registrations) {
            pairs.computeIfAbsent(r.pair, k -> new ArrayList<>()).add(r);
        }
        return pairs;
    }

    private static Load.Registration otherOf(Map<Integer, List<Load.Registration>> pairs, Load.Registration r) {
        for (Load.Registration o : pairs.get(r.pair)) {
            if (o != r) {
                return o;
            }
        }
        return null;
    }

    private static List<Latency> latencies(Snapshot s, List<Load.Registration> registrations) {
        List<Latency> out = new ArrayList<>();
        for (List<Load.Registration> pair : pairs(registrations).values()) {
            if (pair.size() != 2 || !pair.get(0).accepted() || !pair.get(1).accepted()) {
                continue;
            }
            Load.Registration later = pair.get(0).acceptedAt >= pair.get(1).acceptedAt ? pair.get(0) : pair.get(1);
            Load.Registration earlier = later == pair.get(0) ? pair.get(1) : pair.get(0);
            Long atCounterpart = createdAt(s, earlier);
            Long atLater = createdAt(s, later);
            if (atCounterpart == null || atLater == null) {
                continue;
            }
            Long matched = s.matchedAt().get(s.refById().get(later.signalId));
            out.add(new Latency(later.pair, matched == null ? -1 : Math.max(0, matched - later.acceptedAt),
                    Math.max(0, atCounterpart - later.acceptedAt),
                    Math.max(0, Math.max(atCounterpart, atLater) - later.acceptedAt)));
        }
        return out;
    }

    private static Long createdAt(Snapshot s, Load.Registration r) {
        List<String[]> held = s.matchesBySignal().get(r.signalId);
        return held == null || held.isEmpty() ? null : Long.parseLong(held.get(0)[3]);
    }

    /** Each node's audit bundle and the coordinator's (through noord's auditor), verified offline. */
    private static List<String> audit(Federation f, Map<String, Integer> entries) throws Exception {
        List<String> problems = new ArrayList<>();
        for (String node : Federation.NODES) {
            problems.addAll(verify(f, node, "/api/v1/audit/bundle", "node " + node, entries));
        }
        problems.addAll(verify(f, Federation.NODES.get(0), "/api/v1/audit/coordinator/bundle", "coordinator",
                entries));
        return problems;
    }

    private static List<String> verify(Federation f, String node, String path, String log,
                                       Map<String, Integer> entries) throws Exception {
        Federation.Response r = f.send(node, "GET", path, node + "-auditor", null, Map.of());
        if (r.status() != 200) {
            return List.of("the audit bundle of " + log + ": HTTP " + r.status() + " " + r.body());
        }
        try {
            BundleVerifier.Report report = BundleVerifier.verify(AuditBundle.parse(r.body()));
            entries.put(log, report.entries());
            return List.of();
        } catch (Exception e) {
            return List.of("the audit log of " + log + " does not verify: " + e.getMessage());
        }
    }

    static long percentile(List<Long> values, double q) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
