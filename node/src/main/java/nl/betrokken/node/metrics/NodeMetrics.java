package nl.betrokken.node.metrics;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import nl.betrokken.observability.Sampled;
import nl.betrokken.observability.ServiceMetrics;

/**
 * The node's own figures at {@code GET /prometheus} (docs/operators.md, "Metrics"), beside Micronaut's JVM, HTTP
 * and connection-pool figures and those of {@link ServiceMetrics}: signals registered, the outbox to the
 * coordinator, and failed notifications. Counters count from the start of the process; the database figures are
 * read every {@code betrokken.metrics.refresh-interval} (15 s). Labels are reasons, channels and outcomes.
 */
@Context
public class NodeMetrics extends ServiceMetrics {

    private final Counter signalsRegistered;
    private final Sampled outboxDepth;
    private final Sampled outboxOldestAge;
    private final Sampled notificationsFailed;

    NodeMetrics(MeterRegistry registry, TransactionOperations<Connection> transactions, Clock clock) {
        super(registry, transactions, clock, "Runs of the archive job (archiving and erasing what is due)",
                "Node tokens refused at the federation API, by reason");
        signalsRegistered = Counter.builder("betrokken.signals.registered")
                .description("Signals registered at this node (a retry with the same Idempotency-Key not counted)")
                .register(registry);
        outboxDepth = sampled("betrokken.outbox.depth", "Messages waiting in the outbox for the coordinator",
                "messages");
        outboxOldestAge = sampled("betrokken.outbox.oldest.age",
                "Age of the oldest message in the outbox (0 when empty)", "seconds");
        notificationsFailed = sampled("betrokken.notifications.failed",
                "Notifications that failed for good on a channel (e-mail or webhook)", "notifications");
    }

    public void signalRegistered() {
        signalsRegistered.increment();
    }

    /** A failed delivery attempt of a notification: {@code channel} email or webhook, {@code outcome} retry or final. */
    public void notificationFailed(String channel, String outcome) {
        Counter.builder("betrokken.notification.failures")
                .description("Failed delivery attempts of notifications, by channel and outcome (retry or final)")
                .tags("channel", channel, "outcome", outcome).register(registry).increment();
    }

    @Override
    @Scheduled(fixedDelay = "${betrokken.metrics.refresh-interval:15s}", initialDelay = "1s")
    public void refresh() {
        super.refresh();
    }

    @Override
    protected void read(Connection c) throws SQLException {
        outboxDepth.set(Sampled.number(c, "SELECT count(*) FROM outbox"));
        outboxOldestAge.set(Sampled.secondsSince(c, "SELECT min(created_at) FROM outbox", clock, 0));
        notificationsFailed.set(Sampled.number(c, "SELECT count(*) FROM notification"
                + " WHERE email_state = 'FAILED' OR webhook_state = 'FAILED'"));
    }
}
