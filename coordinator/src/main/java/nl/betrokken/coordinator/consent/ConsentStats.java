package nl.betrokken.coordinator.consent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Consent counts per home node (region), insert-only rows in the caller's transaction (as
 * {@link nl.betrokken.coordinator.stats.StatsRecorder}), summed for the statistics.
 */
public final class ConsentStats {

    public static final String ASKED = "asked";
    public static final String GRANTED = "granted";
    public static final String REFUSED = "refused";
    public static final String WITHDRAWN = "withdrawn";
    public static final String EXPIRED = "expired";
    public static final String USES = "uses";

    private ConsentStats() {
    }

    /** The counts of one home node over a period. */
    @Serdeable
    public record Counts(long asked, long granted, long refused, long withdrawn, long expired, long uses) {
    }

    static void record(Connection c, LocalDate day, String homeNode, String metric) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO consent_stat_event (stat_day, home_node, metric, amount) VALUES (?, ?, ?, 1)")) {
            insert.setObject(1, day);
            insert.setString(2, homeNode);
            insert.setString(3, metric);
            insert.executeUpdate();
        }
    }

    /** The counts per home node between {@code from} and {@code to} (both included). */
    public static Map<String, Counts> between(Connection c, LocalDate from, LocalDate to) throws SQLException {
        Map<String, Map<String, Long>> sums = new TreeMap<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT home_node, metric, SUM(amount) FROM consent_stat_event WHERE stat_day >= ? AND stat_day <= ?"
                        + " GROUP BY home_node, metric")) {
            select.setObject(1, from);
            select.setObject(2, to);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    sums.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
        }
        Map<String, Counts> out = new TreeMap<>();
        sums.forEach((node, m) -> out.put(node, new Counts(m.getOrDefault(ASKED, 0L), m.getOrDefault(GRANTED, 0L),
                m.getOrDefault(REFUSED, 0L), m.getOrDefault(WITHDRAWN, 0L), m.getOrDefault(EXPIRED, 0L),
                m.getOrDefault(USES, 0L))));
        return out;
    }
}
