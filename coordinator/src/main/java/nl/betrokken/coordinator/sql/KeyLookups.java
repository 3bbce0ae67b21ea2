package nl.betrokken.coordinator.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.postgresql.PGConnection;

/**
 * Queries that look rows up by a list of keys, bound as one array parameter, with the same plan whatever the
 * tables hold: for each key, an index lookup.
 *
 * <p>Why: the planner cannot see how many keys an array holds, and a table without fresh statistics looks small to
 * it. In the national-year benchmark PostgreSQL chose, in some runs and not in others, plans that started from
 * every stored signal of a region, or every active signal, and compared each with every key: one run's matching
 * took eleven minutes instead of ten seconds (docs/performance.md). The coordinator's transactions only ever touch
 * the rows of keys they name, so a lookup per key is always the right plan. On PostgreSQL, {@link #sql} therefore
 * writes the lookup as a {@code LATERAL} subquery behind {@code OFFSET 0}, which the planner runs once per key and
 * cannot turn around, and {@link #begin} rules out sequential scans, hash joins and merge joins for the rest of the
 * transaction, so that each lookup uses its index. H2 plans these joins as lookups by itself, and has no
 * {@code LATERAL}.
 */
public final class KeyLookups {

    private KeyLookups() {
    }

    /** Requires an open transaction on {@code connection}; the settings end with it ({@code SET LOCAL}). */
    public static void begin(Connection connection) throws SQLException {
        if (postgres(connection)) {
            try (Statement set = connection.createStatement()) {
                set.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off;"
                        + " SET LOCAL enable_mergejoin = off");
            }
        }
    }

    /**
     * Allows sequential scans, hash joins and merge joins again until the next {@link #begin}: for a statement that
     * reads whole tables (the matcher's index read anew), where a scan is the right plan.
     */
    public static void scanning(Connection connection) throws SQLException {
        if (postgres(connection)) {
            try (Statement set = connection.createStatement()) {
                set.execute("SET LOCAL enable_seqscan = on; SET LOCAL enable_hashjoin = on;"
                        + " SET LOCAL enable_mergejoin = on");
            }
        }
    }

    /**
     * {@code SELECT columns FROM from WHERE where} for every key of the array bound as the first parameter, named
     * {@code q.<key>} in {@code where}; parameters in {@code where} follow the array.
     *
     * @param key     the name of a key, as {@code where} uses it ({@code id} for {@code q.id})
     * @param columns the columns, each qualified by its table's alias; read by position
     * @param from    tables with aliases, joined with {@code JOIN … ON}
     * @param where   the condition tying a row to {@code q.<key>}, by a unique key; nothing else, or the planner may take
     *                another index for the other condition and filter it by key, once per key, on tables without
     *                statistics (check other conditions on the rows read)
     */
    public static String sql(Connection connection, String key, String columns, String from, String where)
            throws SQLException {
        if (postgres(connection)) {
            return "SELECT x.* FROM UNNEST(?) AS q(" + key + ") CROSS JOIN LATERAL (SELECT " + columns + " FROM " + from
                    + " WHERE " + where + " OFFSET 0) AS x";
        }
        return "SELECT " + columns + " FROM UNNEST(?) AS q(" + key + "), " + from + " WHERE " + where;
    }

    private static boolean postgres(Connection connection) throws SQLException {
        return connection.isWrapperFor(PGConnection.class);
    }
}
