package nl.betrokken.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The number of rows of every table of a connection's schema (H2 or PostgreSQL), read from the database's own
 * catalogue, so that a table added by a later migration is counted without editing a test. Flyway's history table is
 * left out.
 */
public record RowCounts(Map<String, Long> tables) {

    /** The counts of every table of {@code c}'s current schema. */
    public static RowCounts of(Connection c) {
        try {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME");
                    if (!name.equalsIgnoreCase("flyway_schema_history")) {
                        names.add(name);
                    }
                }
            }
            if (names.isEmpty()) {
                throw new IllegalStateException("no tables in schema " + c.getSchema() + " of "
                        + c.getMetaData().getURL());
            }
            Map<String, Long> counts = new TreeMap<>();
            try (Statement s = c.createStatement()) {
                for (String name : names) {
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + name.replace("\"", "\"\"") + "\"")) {
                        rs.next();
                        counts.put(name.toLowerCase(), rs.getLong(1));
                    }
                }
            }
            return new RowCounts(Map.copyOf(counts));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the rows of the schema", e);
        }
    }

    /**
     * The tables whose count differs from {@code before}'s, as "table: before -> after", leaving out the tables in
     * {@code mayGrow} when they grew (they may by design, e.g. the tokens seen once), never when they shrank.
     */
    public List<String> changedSince(RowCounts before, Set<String> mayGrow) {
        List<String> changed = new ArrayList<>();
        Set<String> all = new java.util.TreeSet<>(tables.keySet());
        all.addAll(before.tables.keySet());
        for (String table : all) {
            long was = before.tables.getOrDefault(table, -1L);
            long now = tables.getOrDefault(table, -1L);
            if (was != now && !(mayGrow.contains(table) && now > was && was >= 0)) {
                changed.add(table + ": " + was + " -> " + now);
            }
        }
        return changed;
    }
}
