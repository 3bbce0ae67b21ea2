package nl.betrokken.node.metrics;

import java.sql.Connection;
import java.time.Clock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import nl.betrokken.observability.Sampled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own figures at {@code GET /prometheus} (docs/operators.md, "Metrics"), beside Micronaut's JVM, HTTP
 * and connection-pool figures. Counters count from the start of the process; the database figures (outbox, audit
 * checkpoint) are read by {@link #refresh} every {@code betrokken.metrics.refresh-interval} (15 s). No label holds
 * anything about a person: labels are reasons, channels and kinds.
 */
@Context
public class NodeMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(NodeMetrics.class);

    private final MeterRegistry registry;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;
    private final Counter signalsRegistered;
    private final Counter retentionRuns;
    private final Sampled outboxDepth;
    private final Sampled outboxOldestAge;
    private final Sampled checkpointAge;
    private final Sampled notificationsFailed;

    NodeMetrics(MeterRegistry registry, TransactionOperations<Connection> transactions, Clock clock) {
        this.registry = registry;
        this.transactions = transactions;
        this.clock = clock;
        signalsRegistered = Counter.builder("betrokken.signals.registered")
                .description("Signals registered at this node (a retry with the same Idempotency-Key not counted)")
                .register(registry);
        retentionRuns = Counter.builder("betrokken.retention.runs")
                .description("Runs of the archive job (archiving and erasing what is due)").register(registry);
        outboxDepth = Sampled.gauge(registry, "betrokken.outbox.depth",
                "Messages waiting in the outbox for the coordinator", "messages");
        outboxOldestAge = Sampled.gauge(registry, "betrokken.outbox.oldest.age",
                "Age of the oldest message in the outbox (0 when empty)", "seconds");
        checkpointAge = Sampled.gauge(registry, "betrokken.audit.checkpoint.age",
                "Age of the newest signed checkpoint of the audit log (NaN before the first)", "seconds");
        notificationsFailed = Sampled.gauge(registry, "betrokken.notifications.failed",
                "Notifications that failed for good on a channel (e-mail or webhook)", "notifications");
    }

    public void signalRegistered() {
        signalsRegistered.increment();
    }

    public void retentionRun() {
        retentionRuns.increment();
    }

    /** A refused node token at the federation API, by reason (e.g. {@code token-BAD_SIGNATURE}, {@code replayed}). */
    public void tokenRefused(String reason) {
        Counter.builder("betrokken.token.refusals").description("Node tokens refused at the federation API, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    /** A failed delivery attempt of a notification: {@code channel} email or webhook, {@code outcome} retry or final. */
    public void notificationFailed(String channel, String outcome) {
        Counter.builder("betrokken.notification.failures")
                .description("Failed delivery attempts of notifications, by channel and outcome (retry or final)")
                .tags("channel", channel, "outcome", outcome).register(registry).increment();
    }

    /** Reads the database figures. */
    @Scheduled(fixedDelay = "${betrokken.metrics.refresh-interval:15s}", initialDelay = "1s")
    public void refresh() {
        try {
            transactions.executeRead(status -> {
                Connection c = status.getConnection();
                outboxDepth.set(Sampled.number(c, "SELECT count(*) FROM outbox"));
                outboxOldestAge.set(Sampled.secondsSince(c, "SELECT min(created_at) FROM outbox", clock, 0));
                checkpointAge.set(Sampled.secondsSince(c, "SELECT max(created_at) FROM audit_checkpoint", clock,
                        Double.NaN));
                notificationsFailed.set(Sampled.number(c, "SELECT count(*) FROM notification"
                        + " WHERE email_state = 'FAILED' OR webhook_state = 'FAILED'"));
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("metrics: the database figures could not be read ({})", e.getClass().getSimpleName());
            outboxDepth.unknown();
            outboxOldestAge.unknown();
            checkpointAge.unknown();
            notificationsFailed.unknown();
        }
    }
}
