package nl.betrokken.coordinator.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.coordinator.consent.ConsentStats;

/** Sums the recorded counts over a period (both days included). */
@Singleton
public class StatsService {

    private final TransactionOperations<Connection> transactions;

    StatsService(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
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
                consents);
    }
}
