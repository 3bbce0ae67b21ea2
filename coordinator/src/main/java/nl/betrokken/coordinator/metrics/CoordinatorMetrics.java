package nl.betrokken.coordinator.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import nl.betrokken.observability.Sampled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's own figures at {@code GET /prometheus} (docs/operators.md, "Metrics"), beside Micronaut's JVM,
 * HTTP and connection-pool figures. Counters and the matcher's timer count from the start of the process; the
 * database figures (feed lag per node, matcher queue, audit checkpoint) are read by {@link #refresh} every
 * {@code betrokken.metrics.refresh-interval} (15 s). Labels are node ids and reasons, never anything about a person.
 */
@Context
public class CoordinatorMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorMetrics.class);

    private final MeterRegistry registry;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;
    private final Timer matcherPass;
    private final Counter matcherSignals;
    private final Counter retentionRuns;
    private final MultiGauge feedLag;
    private final Sampled queueDepth;
    private final Sampled checkpointAge;

    CoordinatorMetrics(MeterRegistry registry, TransactionOperations<Connection> transactions, Clock clock) {
        this.registry = registry;
        this.transactions = transactions;
        this.clock = clock;
        matcherPass = Timer.builder("betrokken.matcher.pass")
                .description("Time of a matching pass that took queued signals").register(registry);
        matcherSignals = Counter.builder("betrokken.matcher.signals")
                .description("Queued signals the matcher has taken").register(registry);
        retentionRuns = Counter.builder("betrokken.retention.runs")
                .description("Runs of the retention job (archiving and deleting what is due)").register(registry);
        feedLag = MultiGauge.builder("betrokken.feed.lag")
                .description("Entries in a node's feed that the node has not acknowledged").baseUnit("entries")
                .register(registry);
        queueDepth = Sampled.gauge(registry, "betrokken.matcher.queue.depth",
                "Signals waiting for the matcher", "signals");
        checkpointAge = Sampled.gauge(registry, "betrokken.audit.checkpoint.age",
                "Age of the newest signed checkpoint of the audit log (NaN before the first)", "seconds");
    }

    /** A matching pass that took {@code signals} queued signals in {@code nanos}. */
    public void matcherPass(long nanos, int signals) {
        matcherPass.record(nanos, TimeUnit.NANOSECONDS);
        matcherSignals.increment(signals);
    }

    public void retentionRun() {
        retentionRuns.increment();
    }

    /** A refused node token, by reason (e.g. {@code no-token}, {@code token-BAD_SIGNATURE}, {@code replayed}). */
    public void tokenRefused(String reason) {
        Counter.builder("betrokken.token.refusals").description("Node tokens refused, by reason").tag("reason", reason)
                .register(registry).increment();
    }

    /** Reads the database figures. */
    @Scheduled(fixedDelay = "${betrokken.metrics.refresh-interval:15s}", initialDelay = "1s")
    public void refresh() {
        try {
            transactions.executeRead(status -> {
                Connection c = status.getConnection();
                queueDepth.set(Sampled.number(c, "SELECT count(*) FROM match_queue"));
                checkpointAge.set(Sampled.secondsSince(c, "SELECT max(created_at) FROM audit_checkpoint", clock,
                        Double.NaN));
                feedLag.register(lags(c), true);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("metrics: the database figures could not be read ({})", e.getClass().getSimpleName());
            queueDepth.unknown();
            checkpointAge.unknown();
        }
    }

    /** Per node: the entries after the one it acknowledged (its feed's next sequence number is one past the newest). */
    private static List<MultiGauge.Row<?>> lags(Connection c) throws SQLException {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT node_id, next_seq - 1 - acked_seq FROM feed_head");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(MultiGauge.Row.of(Tags.of("node", rs.getString(1)), Math.max(0, rs.getLong(2))));
            }
        }
        return rows;
    }
}
