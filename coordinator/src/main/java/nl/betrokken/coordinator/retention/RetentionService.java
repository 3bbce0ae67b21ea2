package nl.betrokken.coordinator.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;

import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.coordinator.audit.CoordinatorAudit;
import nl.betrokken.coordinator.consent.ConsentRegister;
import nl.betrokken.coordinator.enrolment.NodeAuthentication;
import nl.betrokken.coordinator.metrics.CoordinatorMetrics;
import nl.betrokken.coordinator.sql.Updates;
import nl.betrokken.coordinator.stats.StatsRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces retention on what the coordinator holds, hourly and on demand ({@code java -jar coordinator.jar
 * retention}):
 * <ol>
 *   <li>an active signal past its end date is archived: it no longer matches;</li>
 *   <li>an archived signal is deleted {@link #ARCHIVE_PERIOD} after its end date, with its matches and its links to
 *       persons (which hold the persons' pseudonyms: a pseudonym no other signal names is gone with them); only a
 *       count remains;</li>
 *   <li>an open consent of a match with a signal no longer active is expired ({@code SIGNAL_ENDED}); an ended
 *       consent of which a signal is gone is deleted {@link #ARCHIVE_PERIOD} after it ended;</li>
 *   <li>token ids past their expiry plus the allowed clock skew are forgotten (a replay of such a token fails on
 *       its expiry anyway; one still inside the skew would not, so its id stays until then).</li>
 * </ol>
 */
@Singleton
public class RetentionService {

    public static final Period ARCHIVE_PERIOD = Period.ofYears(5);
    private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);

    /**
     * What deleting the signals archived more than five years before deletes, in this order (no foreign key
     * cascades: V3__fewer_foreign_keys.sql). Matches of an archived signal are no longer told to anyone: both nodes
     * archive and delete on the same dates.
     */
    private static final String EXPIRED = "SELECT id FROM signal WHERE status = 'ARCHIVED' AND active_until < ?";
    private static final List<String> DELETE = List.of(
            "DELETE FROM signal_match WHERE signal_low IN (" + EXPIRED + ") OR signal_high IN (" + EXPIRED + ")",
            "DELETE FROM signal_person WHERE signal_id IN (" + EXPIRED + ")",
            "DELETE FROM match_queue WHERE signal_id IN (" + EXPIRED + ")",
            "DELETE FROM match_later WHERE signal_id IN (" + EXPIRED + ")",
            "DELETE FROM signal WHERE status = 'ARCHIVED' AND active_until < ?");

    private final TransactionOperations<Connection> transactions;
    private final CoordinatorAudit audit;
    private final ConsentRegister consents;
    private final Clock clock;

    private final CoordinatorMetrics metrics;

    RetentionService(TransactionOperations<Connection> transactions, CoordinatorAudit audit, ConsentRegister consents,
                     Clock clock, CoordinatorMetrics metrics) {
        this.metrics = metrics;
        this.transactions = transactions;
        this.consents = consents;
        this.audit = audit;
        this.clock = clock;
    }

    /** What one run did. */
    @Serdeable
    public record Report(LocalDate day, int archived, int deleted) {
    }

    @Scheduled(fixedDelay = "1h", initialDelay = "1m")
    void scheduled() {
        run();
    }

    public Report run() {
        LocalDate today = LocalDate.now(clock);
        Report report = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            int archived;
            try (PreparedStatement archive = c.prepareStatement(
                    "UPDATE signal SET status = 'ARCHIVED' WHERE status = 'ACTIVE' AND active_until < ?")) {
                archive.setObject(1, today);
                archived = archive.executeUpdate();
            }
            int deleted = 0;
            for (String sql : DELETE) {
                deleted = Updates.withEveryParameter(c, sql, today.minus(ARCHIVE_PERIOD)); // the last count: the signals
            }
            // After the match rows (a registration locks a match row before its consents), as an end does.
            int consentsEnded = consents.endWhereSignalInactive(c, today);
            int consentsDeleted = consents.deleteEnded(c, today.minus(ARCHIVE_PERIOD));
            try (PreparedStatement tokens = c.prepareStatement("DELETE FROM seen_token WHERE expires_at < ?")) {
                tokens.setTimestamp(1, Timestamp.from(clock.instant().minus(NodeAuthentication.CLOCK_SKEW)));
                tokens.executeUpdate();
            }
            StatsRecorder.record(c, today, StatsRecorder.SIGNALS_ARCHIVED, archived);
            StatsRecorder.record(c, today, StatsRecorder.SIGNALS_DELETED, deleted);
            audit.record(c, AuditEvent.of("retention.run", "system:retention", "day:" + today)
                    .with("archived", archived).with("deleted", deleted)
                    .with("consentsEnded", consentsEnded).with("consentsDeleted", consentsDeleted));
            return new Report(today, archived, deleted);
        });
        metrics.retentionRun();
        LOG.info("retention on {}: {} archived, {} deleted", report.day(), report.archived(), report.deleted());
        return report;
    }
}
