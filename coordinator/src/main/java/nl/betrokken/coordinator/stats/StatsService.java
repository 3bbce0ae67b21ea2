package nl.betrokken.coordinator.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.coordinator.consent.ConsentStats;

/** Sums the recorded counts over a period (both days included), and counts each region's received signals. */
@Singleton
public class StatsService {

    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    StatsService(TransactionOperations<Connection> transactions, Clock clock) {
        this.transactions = transactions;
        this.clock = clock;
    }

    public Stats between(LocalDate from, LocalDate to) {
        Map<String, ConsentStats.Counts> consents = transactions.executeRead(
                status -> ConsentStats.between(status.getConnection(), from, to));
        Map<String, Long> sums = transactions.executeRead(status -> {
            Map<String, Long> m = new HashMap<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT metric, SUM(amount) FROM stat_event WHERE stat_day >= ? AND stat_day <= ? GROUP BY metric")) {
                select.setObject(1, from);
                select.setObject(2, to);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        m.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return m;
        });
        return new Stats(from, to,
                sums.getOrDefault(StatsRecorder.SIGNALS_REGISTERED, 0L),
                sums.getOrDefault(StatsRecorder.SIGNALS_ARCHIVED, 0L),
                sums.getOrDefault(StatsRecorder.SIGNALS_ERASED, 0L),
                sums.getOrDefault(StatsRecorder.SIGNALS_DELETED, 0L),
                new Stats.MatchCounts(
                        sums.getOrDefault("matches.child.within", 0L),
                        sums.getOrDefault("matches.child.across", 0L),
                        sums.getOrDefault("matches.family.within", 0L),
                        sums.getOrDefault("matches.family.across", 0L)),
                sums.getOrDefault(StatsRecorder.MATCHES_WITHDRAWN, 0L),
                consents,
                transactions.executeRead(status -> regions(status.getConnection(), from, to, clock.getZone())));
    }

    /**
     * Per enrolled node, in the order of its id: the signals received from {@code from} to {@code to} (days in
     * {@code zone}) and the day of the newest signal row still held from it. Two grouped reads of the signal table.
     */
    static List<Stats.Region> regions(Connection c, LocalDate from, LocalDate to, ZoneId zone) throws SQLException {
        Map<String, Long> received = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT node_id, count(*) FROM signal"
                + " WHERE received_at >= ? AND received_at < ? GROUP BY node_id")) {
            select.setTimestamp(1, Timestamp.from(from.atStartOfDay(zone).toInstant()));
            select.setTimestamp(2, Timestamp.from(to.plusDays(1).atStartOfDay(zone).toInstant()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    received.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        Map<String, LocalDate> last = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT node_id, max(received_at) FROM signal GROUP BY node_id");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                last.put(rs.getString(1), LocalDate.ofInstant(rs.getTimestamp(2).toInstant(), zone));
            }
        }
        List<Stats.Region> out = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT node_id FROM enrolled_node ORDER BY node_id");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String node = rs.getString(1);
                out.add(new Stats.Region(node, received.getOrDefault(node, 0L), last.get(node)));
            }
        }
        return out;
    }
}
