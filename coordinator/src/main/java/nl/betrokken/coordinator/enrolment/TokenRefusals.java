package nl.betrokken.coordinator.enrolment;

import java.time.Clock;
import java.util.List;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import nl.betrokken.audit.RefusalCounts;
import nl.betrokken.coordinator.audit.CoordinatorAudit;
import nl.betrokken.coordinator.metrics.CoordinatorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refused tokens, counted per caller and minute ({@link RefusalCounts}) and written to the audit log as one
 * {@code token.refused} entry per caller and minute with the count and the reasons: by this job every 15 seconds
 * for the minutes that have ended, and at shutdown for all. The caller is the node a token claims to come from when
 * that is an enrolled node, else {@code unknown}, so that junk cannot add entries.
 */
@Singleton
public class TokenRefusals {

    private static final Logger LOG = LoggerFactory.getLogger(TokenRefusals.class);

    private final RefusalCounts counts;
    private final CoordinatorAudit audit;

    private final CoordinatorMetrics metrics;

    TokenRefusals(CoordinatorAudit audit, Clock clock, CoordinatorMetrics metrics) {
        this.metrics = metrics;
        this.audit = audit;
        this.counts = new RefusalCounts(clock);
    }

    void count(String caller, String reason) {
        counts.count(caller, reason);
        metrics.tokenRefused(reason);
    }

    /** Writes the tallies of the minutes that have ended; returns how many entries it appended. */
    @Scheduled(fixedDelay = "15s", initialDelay = "15s")
    public int flush() {
        return write(counts.drainEnded());
    }

    @PreDestroy
    void flushAll() {
        try {
            write(counts.drainAll());
        } catch (RuntimeException e) {
            LOG.warn("could not write the refused tokens' counts at shutdown: {}", e.toString());
        }
    }

    private int write(List<RefusalCounts.Tally> tallies) {
        for (RefusalCounts.Tally t : tallies) {
            audit.record(t.event("token.refused", "node:" + CoordinatorAudit.reference(t.caller())));
        }
        return tallies.size();
    }
}
