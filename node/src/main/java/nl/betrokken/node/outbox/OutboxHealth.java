package nl.betrokken.node.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

/**
 * {@code /health} details {@code outbox}: how many messages wait for the coordinator, how old the oldest is, how
 * many the coordinator refused, and how many are held behind a refused one of the same signal. Waiting messages do not make the node unhealthy: it keeps taking signals while
 * the coordinator is away, which is the point of the outbox.
 */
@Singleton
class OutboxHealth extends AbstractHealthIndicator<Map<String, Object>> {

    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    OutboxHealth(TransactionOperations<Connection> transactions, Clock clock) {
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        healthStatus = HealthStatus.UP;
        return transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT count(*), min(created_at), sum(CASE WHEN last_error LIKE 'HTTP 4%' THEN 1 ELSE 0 END)"
                            + " FROM outbox");
                 ResultSet rs = select.executeQuery()) {
                rs.next();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("depth", rs.getLong(1));
                details.put("oldestAgeSeconds", rs.getTimestamp(2) == null ? 0
                        : Duration.between(rs.getTimestamp(2).toInstant(), clock.instant()).toSeconds());
                details.put("refused", rs.getLong(3));
                try (PreparedStatement held = status.getConnection().prepareStatement(
                        "SELECT count(*) FROM outbox m WHERE EXISTS (SELECT 1 FROM outbox o"
                                + " WHERE o.signal_ref = m.signal_ref AND o.id < m.id AND o.last_error LIKE 'HTTP 4%')");
                     ResultSet h = held.executeQuery()) {
                    h.next();
                    details.put("held", h.getLong(1));
                }
                return details;
            }
        });
    }

    @Override
    protected String getName() {
        return "outbox";
    }
}
