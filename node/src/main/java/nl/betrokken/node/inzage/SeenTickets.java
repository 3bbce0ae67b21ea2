package nl.betrokken.node.inzage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.crypto.token.Es256TokenVerifier;

/** The {@code jti} of every inzage ticket served here, so that each is served once; pruned after its expiry. */
@Singleton
class SeenTickets {

    static final Duration CLOCK_SKEW = Es256TokenVerifier.DEFAULT_MAX_CLOCK_SKEW;

    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    SeenTickets(TransactionOperations<Connection> transactions, Clock clock) {
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Records {@code jti}; false when it was recorded before (a replay). In its own transaction, so it sticks. */
    boolean firstUse(String jti, Instant expiresAt) {
        return transactions.executeWrite(status -> {
            try (PreparedStatement insert = status.getConnection().prepareStatement(
                    "INSERT INTO seen_inzage_ticket (jti, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, jti);
                insert.setTimestamp(2, Timestamp.from(expiresAt));
                return insert.executeUpdate() == 1;
            }
        });
    }

    @Scheduled(fixedDelay = "10m", initialDelay = "1m")
    int prune() {
        return transactions.executeWrite(status -> {
            try (PreparedStatement delete = status.getConnection().prepareStatement(
                    "DELETE FROM seen_inzage_ticket WHERE expires_at < ?")) {
                delete.setTimestamp(1, Timestamp.from(clock.instant().minus(CLOCK_SKEW)));
                return delete.executeUpdate();
            }
        });
    }
}
