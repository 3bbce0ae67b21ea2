package nl.betrokken.coordinator.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import nl.betrokken.coordinator.matching.Match;

/**
 * Writes the counts behind the statistics, inside the caller's transaction. Counts are insert-only rows, so they
 * outlive the records that retention deletes and never make concurrent writers wait for each other.
 */
public final class StatsRecorder {

    public static final String SIGNALS_REGISTERED = "signals.registered";
    public static final String SIGNALS_ARCHIVED = "signals.archived";
    public static final String SIGNALS_DELETED = "signals.deleted";
    public static final String SIGNALS_ERASED = "signals.erased";
    public static final String MATCHES_WITHDRAWN = "matches.withdrawn";

    private StatsRecorder() {
    }

    /** The metric for a new match: {@code matches.<child|family>.<within|across>}. */
    public static String matchMetric(Match match) {
        return "matches." + match.type().name().toLowerCase() + "." + (match.crossRegion() ? "across" : "within");
    }

    public static void record(Connection connection, LocalDate day, String metric, int amount) throws SQLException {
        if (amount == 0) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO stat_event (stat_day, metric, amount) VALUES (?, ?, ?)")) {
            insert.setObject(1, day);
            insert.setString(2, metric);
            insert.setInt(3, amount);
            insert.executeUpdate();
        }
    }

    public static void recordMatches(Connection connection, LocalDate day, List<Match> matches) throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        matches.forEach(m -> counts.merge(matchMetric(m), 1, Integer::sum));
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            record(connection, day, e.getKey(), e.getValue());
        }
    }
}
