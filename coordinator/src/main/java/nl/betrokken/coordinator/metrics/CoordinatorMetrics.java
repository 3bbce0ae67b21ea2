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
import nl.betrokken.observability.ServiceMetrics;

/**
 * The coordinator's own figures at {@code GET /prometheus} (docs/operators.md, "Metrics"), beside Micronaut's JVM,
 * HTTP and connection-pool figures and those of {@link ServiceMetrics}: the matcher's passes and queue, and each
 * node's feed lag (labelled with the node id). Counters and the matcher's timer count from the start of the process;
 * the database figures are read every {@code betrokken.metrics.refresh-interval} (15 s).
 */
@Context
public class CoordinatorMetrics extends ServiceMetrics {

    private final Timer matcherPass;
    private final Counter matcherSignals;
    private final MultiGauge feedLag;
    private final Sampled queueDepth;

    CoordinatorMetrics(MeterRegistry registry, TransactionOperations<Connection> transactions, Clock clock) {
        super(registry, transactions, clock, "Runs of the retention job (archiving and deleting what is due)",
                "Node tokens refused, by reason");
        matcherPass = Timer.builder("betrokken.matcher.pass")
                .description("Time of a matching pass that took queued signals").register(registry);
        matcherSignals = Counter.builder("betrokken.matcher.signals")
                .description("Queued signals the matcher has taken").register(registry);
        feedLag = MultiGauge.builder("betrokken.feed.lag")
                .description("Entries in a node's feed that the node has not acknowledged").baseUnit("entries")
                .register(registry);
        queueDepth = sampled("betrokken.matcher.queue.depth", "Signals waiting for the matcher", "signals");
    }

    /** A matching pass that took {@code signals} queued signals in {@code nanos}. */
    public void matcherPass(long nanos, int signals) {
        matcherPass.record(nanos, TimeUnit.NANOSECONDS);
        matcherSignals.increment(signals);
    }

    @Override
    @Scheduled(fixedDelay = "${betrokken.metrics.refresh-interval:15s}", initialDelay = "1s")
    public void refresh() {
        super.refresh();
    }

    @Override
    protected void read(Connection c) throws SQLException {
        queueDepth.set(Sampled.number(c, "SELECT count(*) FROM match_queue"));
        // Per node: the entries after the one it acknowledged (its feed's next sequence number is one past the newest).
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT node_id, next_seq - 1 - acked_seq FROM feed_head");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(MultiGauge.Row.of(Tags.of("node", rs.getString(1)), Math.max(0, rs.getLong(2))));
            }
        }
        feedLag.register(rows, true);
    }
}
