package nl.betrokken.node.match;

import java.time.Clock;
import java.util.List;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import nl.betrokken.audit.RefusalCounts;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.metrics.NodeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refused calls of other nodes, counted per caller and minute ({@link RefusalCounts}) and written to the audit log as
 * one {@code federation.refused} entry per caller and minute with the count and the reasons: by this job every 15
 * seconds for the minutes that have ended, and at shutdown for all. A flood of junk then costs a map update per call,
 * never the audit log's head lock, and cannot slow this node's own work. The caller is the node a call claims to come
 * from when that is an enrolled node, else {@code unknown}.
 */
@Singleton
public class FederationRefusals {

    private static final Logger LOG = LoggerFactory.getLogger(FederationRefusals.class);

    private final RefusalCounts counts;
    private final NodeAudit audit;

    private final NodeMetrics metrics;

    FederationRefusals(NodeAudit audit, Clock clock, NodeMetrics metrics) {
        this.metrics = metrics;
        this.audit = audit;
        this.counts = new RefusalCounts(clock);
    }

    /** Counts one refused call of {@code caller} (a known node id, or {@code unknown}) for {@code reason}. */
    public void count(String caller, String reason) {
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
            LOG.warn("could not write the refused calls' counts at shutdown: {}", e.toString());
        }
    }

    private int write(List<RefusalCounts.Tally> tallies) {
        for (RefusalCounts.Tally t : tallies) {
            audit.record(t.event("federation.refused", NodeAudit.actor("node", t.caller())));
        }
        return tallies.size();
    }
}
