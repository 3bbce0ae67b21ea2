package nl.betrokken.node.match;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

/**
 * The ids ({@code jti}) of other nodes' tokens this node has accepted, in its database, so that each token is
 * accepted once, also across a restart: a row is kept until the token's {@code exp} plus the allowed clock skew
 * ({@link Trust#CLOCK_SKEW}), as long as the token itself would pass, and pruned every ten minutes after that.
 */
@Singleton
class SeenTokens {

    private final TransactionOperations<Connection> transactions;
    private final Clock clock;

    SeenTokens(TransactionOperations<Connection> transactions, Clock clock) {
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Records {@code jti} of node {@code nodeId}; false when it was recorded before (a replay). */
    boolean firstUse(String nodeId, String jti, Instant expiresAt) {
        return transactions.executeWrite(status -> {
            try (PreparedStatement insert = status.getConnection().prepareStatement(
                    "INSERT INTO seen_node_token (jti, node_id, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, nodeId + ":" + jti);
                insert.setString(2, nodeId);
                insert.setTimestamp(3, Timestamp.from(expiresAt));
                return insert.executeUpdate() == 1;
            }
        });
    }

    /** Forgets the ids of tokens past their expiry plus the skew; returns how many. */
    @Scheduled(fixedDelay = "10m", initialDelay = "1m")
    int prune() {
        return transactions.executeWrite(status -> {
            try (PreparedStatement delete = status.getConnection().prepareStatement(
                    "DELETE FROM seen_node_token WHERE expires_at < ?")) {
                delete.setTimestamp(1, Timestamp.from(clock.instant().minus(Trust.CLOCK_SKEW)));
                return delete.executeUpdate();
            }
        });
    }
}
