package nl.betrokken.observability;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.transaction.TransactionOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the node's and the coordinator's own figures have in common (docs/operators.md, "Metrics"): the retention
 * runs, the refused node tokens by reason, the age of the newest audit checkpoint, and the database figures, read
 * together by {@link #refresh} (each service schedules it every {@code betrokken.metrics.refresh-interval}) rather
 * than at each scrape. Labels are node ids and reasons, never anything about a person.
 */
public abstract class ServiceMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceMetrics.class);

    protected final MeterRegistry registry;
    protected final Clock clock;
    private final TransactionOperations<Connection> transactions;
    private final Counter retentionRuns;
    private final String refusalsHelp;
    private final List<Sampled> sampled = new ArrayList<>();
    private final Sampled checkpointAge;

    protected ServiceMetrics(MeterRegistry registry, TransactionOperations<Connection> transactions, Clock clock,
                             String retentionHelp, String refusalsHelp) {
        this.registry = registry;
        this.transactions = transactions;
        this.clock = clock;
        this.refusalsHelp = refusalsHelp;
        retentionRuns = Counter.builder("betrokken.retention.runs").description(retentionHelp).register(registry);
        checkpointAge = sampled("betrokken.audit.checkpoint.age",
                "Age of the newest signed checkpoint of the audit log (NaN before the first)", "seconds");
    }

    /** A gauge that {@link #refresh} sets (and makes NaN when the database cannot be read). */
    protected final Sampled sampled(String name, String description, String unit) {
        Sampled s = Sampled.gauge(registry, name, description, unit);
        sampled.add(s);
        return s;
    }

    public void retentionRun() {
        retentionRuns.increment();
    }

    /** A refused node token, by reason (e.g. {@code no-token}, {@code token-BAD_SIGNATURE}, {@code replayed}). */
    public void tokenRefused(String reason) {
        Counter.builder("betrokken.token.refusals").description(refusalsHelp).tag("reason", reason)
                .register(registry).increment();
    }

    /** Reads the database figures. */
    public void refresh() {
        try {
            transactions.executeRead(status -> {
                Connection c = status.getConnection();
                checkpointAge.set(Sampled.secondsSince(c, "SELECT max(created_at) FROM audit_checkpoint", clock,
                        Double.NaN));
                read(c);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("metrics: the database figures could not be read ({})", e.getClass().getSimpleName());
            sampled.forEach(Sampled::unknown);
        }
    }

    /** Reads the service's own database figures, in {@link #refresh}'s transaction. */
    protected abstract void read(Connection c) throws SQLException;
}
