package nl.betrokken.coordinator.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import nl.betrokken.coordinator.sql.KeyLookups;
import nl.betrokken.testing.TestPostgres;

/**
 * The baseline of issue #16: what Betrokken replaces, a central SQL index that holds every BSN in the clear. One
 * table of signals, one of the persons each names (youth or parent, by BSN, with an index on the BSN), one of
 * matches. It is fed the same year in the same batches and order as the coordinator, by as many concurrent senders,
 * over JDBC on the same PostgreSQL (no HTTP, no JSON, no pseudonyms, no audit trail, no feed: the least such a system
 * must do). Each batch is one transaction: the signals and their persons written with one statement each, then,
 * under one advisory lock so that two batches never miss each other's pairs, the signals that name any of the batch's
 * BSNs looked up by index, the pairs made in Java by the oracle's rules, and the new matches written with one statement.
 * Lookups are by key per BSN through the coordinator's {@link KeyLookups}, so that no plan depends on statistics.
 */
final class PlaintextIndex {

    private PlaintextIndex() {
    }

    /** The time from the first batch to the last one committed with its matches, and the matches stored. */
    record Result(double seconds, Oracle.Counts stored) {
    }

    static Result run(NationalYear year, List<int[]> batches, int senders) throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.freshSchema()) {
            try (Connection c = connect(schema); Statement ddl = c.createStatement()) {
                ddl.execute("CREATE TABLE plain_signal (id integer PRIMARY KEY, node integer NOT NULL,"
                        + " organisation integer NOT NULL, youth_bsn text NOT NULL, active_from date NOT NULL,"
                        + " active_until date NOT NULL)");
                ddl.execute("CREATE TABLE plain_person (bsn text NOT NULL, signal_id integer NOT NULL,"
                        + " role char(1) NOT NULL)");
                ddl.execute("CREATE INDEX plain_person_bsn ON plain_person (bsn)");
                ddl.execute("CREATE TABLE plain_match (low integer NOT NULL, high integer NOT NULL,"
                        + " match_type text NOT NULL, across boolean NOT NULL, PRIMARY KEY (low, high))");
            }
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(senders);
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                futures.add(pool.submit(() -> {
                    try (Connection c = connect(schema)) {
                        c.setAutoCommit(false);
                        int i;
                        while ((i = next.getAndIncrement()) < batches.size()) {
                            batch(c, year, batches.get(i));
                            c.commit();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            try (Connection c = connect(schema); Statement count = c.createStatement();
                 ResultSet rs = count.executeQuery("SELECT match_type, across, count(*) FROM plain_match"
                         + " GROUP BY match_type, across")) {
                long[] n = new long[4];
                while (rs.next()) {
                    n[("CHILD".equals(rs.getString(1)) ? 0 : 2) + (rs.getBoolean(2) ? 1 : 0)] = rs.getLong(3);
                }
                return new Result(seconds, new Oracle.Counts(n[0], n[1], n[2], n[3]));
            }
        }
    }

    private static Connection connect(TestPostgres.Schema schema) throws SQLException {
        return DriverManager.getConnection(schema.jdbcUrl(), schema.username(), schema.password());
    }

    private record Link(int signal, int node, int organisation, String youth, char role) {
    }

    private static void batch(Connection c, NationalYear year, int[] signals) throws SQLException {
        int n = signals.length;
        Integer[] ids = new Integer[n];
        Integer[] nodes = new Integer[n];
        Integer[] organisations = new Integer[n];
        String[] youths = new String[n];
        String[] from = new String[n];
        String[] until = new String[n];
        List<String> bsns = new ArrayList<>();
        List<Integer> linkSignals = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int s = signals[i];
            ids[i] = s;
            nodes[i] = year.node[s];
            organisations[i] = year.organisation[s];
            youths[i] = year.youthBsn[year.youth[s]];
            from[i] = year.activeFrom(s).toString();
            until[i] = year.activeUntil(s).toString();
            bsns.add(youths[i]);
            linkSignals.add(s);
            roles.add("Y");
            for (int p : new int[] {year.parentA[s], year.parentB[s]}) {
                if (p >= 0) {
                    bsns.add(year.parentBsn[p]);
                    linkSignals.add(s);
                    roles.add("P");
                }
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO plain_signal SELECT * FROM"
                + " UNNEST(?::integer[], ?::integer[], ?::integer[], ?::text[], ?::text[]::date[], ?::text[]::date[])")) {
            insert.setArray(1, c.createArrayOf("integer", ids));
            insert.setArray(2, c.createArrayOf("integer", nodes));
            insert.setArray(3, c.createArrayOf("integer", organisations));
            insert.setArray(4, c.createArrayOf("text", youths));
            insert.setArray(5, c.createArrayOf("text", from));
            insert.setArray(6, c.createArrayOf("text", until));
            insert.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO plain_person SELECT * FROM"
                + " UNNEST(?::text[], ?::integer[], ?::text[])")) {
            insert.setArray(1, c.createArrayOf("text", bsns.toArray()));
            insert.setArray(2, c.createArrayOf("integer", linkSignals.toArray()));
            insert.setArray(3, c.createArrayOf("text", roles.toArray()));
            insert.executeUpdate();
        }
        KeyLookups.begin(c);
        try (Statement lock = c.createStatement()) {
            lock.execute("SELECT pg_advisory_xact_lock(16)");
        }
        // Every signal naming one of the batch's BSNs, this batch's own included, active today.
        Map<String, List<Link>> byBsn = new HashMap<>();
        LocalDate today = year.today;
        Array keys = c.createArrayOf("text", new HashSet<>(bsns).toArray());
        try (PreparedStatement select = c.prepareStatement(KeyLookups.sql(c, "bsn",
                "p.bsn, p.signal_id, p.role, s.node, s.organisation, s.youth_bsn, s.active_from, s.active_until",
                "plain_person p JOIN plain_signal s ON s.id = p.signal_id", "p.bsn = q.bsn"))) {
            select.setArray(1, keys);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (rs.getObject(7, LocalDate.class).isAfter(today) || rs.getObject(8, LocalDate.class).isBefore(today)) {
                        continue;
                    }
                    byBsn.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Link(rs.getInt(2),
                            rs.getInt(4), rs.getInt(5), rs.getString(6), rs.getString(3).charAt(0)));
                }
            }
        }
        // The pairs of each new signal with every other signal on a common BSN, by the oracle's rules.
        Set<Long> seen = new HashSet<>();
        List<Integer> lows = new ArrayList<>();
        List<Integer> highs = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<Boolean> across = new ArrayList<>();
        for (int i = 0; i < bsns.size(); i++) {
            int s = linkSignals.get(i);
            char role = roles.get(i).charAt(0);
            for (Link other : byBsn.getOrDefault(bsns.get(i), List.of())) {
                if (other.signal() == s || other.role() != role
                        || year.node[s] == other.node() && year.organisation[s] == other.organisation()) {
                    continue;
                }
                boolean sameYouth = year.youthBsn[year.youth[s]].equals(other.youth());
                if (role == 'P' && sameYouth) {
                    continue; // a child pair, found through the youth
                }
                long pair = ((long) Math.min(s, other.signal()) << 32) | Math.max(s, other.signal());
                if (seen.add(pair)) {
                    lows.add(Math.min(s, other.signal()));
                    highs.add(Math.max(s, other.signal()));
                    types.add(role == 'Y' ? "CHILD" : "FAMILY");
                    across.add(year.node[s] != other.node());
                }
            }
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO plain_match SELECT * FROM"
                + " UNNEST(?::integer[], ?::integer[], ?::text[], ?::boolean[]) ON CONFLICT DO NOTHING")) {
            insert.setArray(1, c.createArrayOf("integer", lows.toArray()));
            insert.setArray(2, c.createArrayOf("integer", highs.toArray()));
            insert.setArray(3, c.createArrayOf("text", types.toArray()));
            insert.setArray(4, c.createArrayOf("boolean", across.toArray()));
            insert.executeUpdate();
        }
    }
}
