package nl.betrokken.node.archive;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.metrics.NodeMetrics;
import nl.betrokken.node.outbox.Outbox;
import nl.betrokken.node.outbox.OutboxSender;
import nl.betrokken.node.signal.ActivePeriod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signal's life after its active period, by the node's clock, every {@code betrokken.archive.interval} and on
 * demand ({@link #run()}, {@code java -jar node.jar archive}):
 * <ol>
 *   <li>an ACTIVE signal whose {@code active_until} has passed is ARCHIVED. {@code active_until} is already the day
 *       before the 23rd birthday when that comes before the two years (SignalService), so this also archives on the
 *       23rd birthday without decrypting the birth date. The coordinator is told through the outbox (an end on
 *       {@code active_until}), so it stops matching at once; it would archive by itself on the same date.</li>
 *   <li>an ENDED signal is ARCHIVED from the day after its end (its end reached the coordinator when it ended).</li>
 *   <li>an ARCHIVED signal is erased {@link #ARCHIVE_PERIOD} after its end (the end date, or {@code active_until} if
 *       sooner: the coordinator's rule, so both delete on the same day): the signal, its parents, its matches, its
 *       Idempotency-Keys, who asked for its contact, who read it in the archive, pending contact changes and
 *       outbox messages, and the notifications about its matches (where the notifications part's table exists). No erase
 *       message goes to the coordinator: its retention deletes its copy on the same day, and an erase would tell the
 *       counterparts that their match was withdrawn.</li>
 * </ol>
 * Only counts remain ({@code archive_count}), and the audit log's entries ({@code signal.archived},
 * {@code signal.erased}, {@code archive.run}), which name the signal by its audit reference, not its id. A run is one
 * transaction: all or nothing.
 */
@Singleton
public class ArchiveService {

    public static final Period ARCHIVE_PERIOD = Period.ofYears(5);
    static final String ARCHIVED_PERIOD_OVER = "signals.archived.period-over";
    static final String ARCHIVED_TURNED_23 = "signals.archived.turned-23";
    static final String ARCHIVED_ENDED = "signals.archived.ended";
    static final String ERASED = "signals.erased";
    static final String MATCHES_ERASED = "matches.erased";
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveService.class);
    /** What erasing a signal deletes besides the cascades of V1 (signal_parent, idempotency, node_match). */
    private static final List<String> ERASE = List.of(
            "DELETE FROM contact_access WHERE signal_id = ?",
            "DELETE FROM archive_access WHERE signal_id = ?");

    private final TransactionOperations<Connection> transactions;
    private final Outbox outbox;
    private final OutboxSender sender;
    private final Clock clock;
    private final NodeAudit audit;
    private final List<ErasureFollower> followers;

    private final NodeMetrics metrics;

    ArchiveService(TransactionOperations<Connection> transactions, Outbox outbox, OutboxSender sender, Clock clock,
                   NodeAudit audit, List<ErasureFollower> followers, NodeMetrics metrics) {
        this.metrics = metrics;
        this.transactions = transactions;
        this.outbox = outbox;
        this.sender = sender;
        this.clock = clock;
        this.audit = audit;
        this.followers = List.copyOf(followers);
    }

    /** What one run did. */
    @Serdeable
    public record Report(LocalDate day, int archived, int erased, int matchesErased) {
    }

    @Scheduled(fixedDelay = "${betrokken.archive.interval:1h}", initialDelay = "${betrokken.archive.initial-delay:1m}")
    void scheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warn("archive: {}", e.getClass().getSimpleName());
        }
    }

    /** Archives and erases what is due today by the node's clock. */
    public synchronized Report run() {
        LocalDate today = LocalDate.now(clock);
        Report report = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Map<String, Integer> counts = new TreeMap<>();
            Map<UUID, String> why = new LinkedHashMap<>(); // archived signal -> its metric
            int archived = archiveActive(c, today, counts, why);
            archived += archiveEnded(c, today, counts, why);
            List<UUID> erasedIds = new ArrayList<>();
            int[] erased = erase(c, today.minus(ARCHIVE_PERIOD), erasedIds);
            counts.put(ERASED, erased[0]);
            counts.put(MATCHES_ERASED, erased[1]);
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                count(c, today, e.getKey(), e.getValue());
            }
            for (Map.Entry<UUID, String> e : why.entrySet()) {
                audit.record(c, AuditEvent.of("signal.archived", "system:archive", audit.signal(e.getKey()))
                        .with("why", e.getValue().substring("signals.archived.".length())));
            }
            for (UUID id : erasedIds) {
                audit.record(c, AuditEvent.of("signal.erased", "system:archive", audit.signal(id)));
                for (ErasureFollower follower : followers) {
                    follower.erased(c, id, "system:archive", ErasureFollower.RETENTION);
                }
            }
            audit.record(c, AuditEvent.of("archive.run", "system:archive", "day:" + today)
                    .with("archived", archived).with("erased", erased[0]).with("matchesErased", erased[1]));
            return new Report(today, archived, erased[0], erased[1]);
        });
        if (report.archived() > 0) {
            sender.wake();
        }
        metrics.retentionRun();
        LOG.info("archive on {}: {} archived, {} erased with {} match(es)", report.day(), report.archived(),
                report.erased(), report.matchesErased());
        return report;
    }

    private int archiveActive(Connection c, LocalDate today, Map<String, Integer> counts, Map<UUID, String> why)
            throws SQLException {
        record Due(UUID id, String ref, LocalDate registeredOn, LocalDate until) {
        }
        List<Due> due = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, ref, registered_on, active_until FROM signal WHERE status = 'ACTIVE' AND active_until < ?"
                        + " ORDER BY id FOR UPDATE")) {
            select.setObject(1, today);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, LocalDate.class),
                            rs.getObject(4, LocalDate.class)));
                }
            }
        }
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE signal SET status = 'ARCHIVED', active_key = NULL WHERE id = ?")) {
            for (Due d : due) {
                update.setObject(1, d.id());
                update.executeUpdate();
                archiveMatches(c, d.id());
                outbox.end(c, d.ref(), d.until());
                // Capped at the day before the 23rd birthday when that is sooner than two years after registration.
                boolean turned23 = d.until().isBefore(ActivePeriod.lastDayOfTwoYears(d.registeredOn()));
                counts.merge(turned23 ? ARCHIVED_TURNED_23 : ARCHIVED_PERIOD_OVER, 1, Integer::sum);
                why.put(d.id(), turned23 ? ARCHIVED_TURNED_23 : ARCHIVED_PERIOD_OVER);
            }
        }
        return due.size();
    }

    private int archiveEnded(Connection c, LocalDate today, Map<String, Integer> counts, Map<UUID, String> why)
            throws SQLException {
        List<UUID> ended = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id FROM signal WHERE status = 'ENDED' AND ended_on < ? ORDER BY id FOR UPDATE")) {
            select.setObject(1, today);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ended.add(rs.getObject(1, UUID.class));
                }
            }
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE signal SET status = 'ARCHIVED' WHERE id = ?")) {
            for (UUID id : ended) {
                update.setObject(1, id);
                update.executeUpdate();
                archiveMatches(c, id);
                why.put(id, ARCHIVED_ENDED);
            }
        }
        counts.merge(ARCHIVED_ENDED, ended.size(), Integer::sum);
        return ended.size();
    }

    /** The signal's open matches close with it (no follow-up is asked for an archived signal). */
    private static void archiveMatches(Connection c, UUID signalId) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE node_match SET status = 'ARCHIVED' WHERE signal_id = ? AND status = 'ACTIVE'")) {
            update.setObject(1, signalId);
            update.executeUpdate();
        }
    }

    /** Erases the archived signals whose end was before {@code endedBefore}; returns {signals, matches}. */
    private static int[] erase(Connection c, LocalDate endedBefore, List<UUID> erased) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, ref FROM signal WHERE status = 'ARCHIVED'"
                        + " AND LEAST(COALESCE(ended_on, active_until), active_until) < ? ORDER BY id FOR UPDATE")) {
            select.setObject(1, endedBefore);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                    refs.add(rs.getString(2));
                }
            }
        }
        erased.addAll(ids);
        if (ids.isEmpty()) {
            return new int[] {0, 0};
        }
        int matches = 0;
        for (int i = 0; i < ids.size(); i++) {
            matches += eraseOne(c, ids.get(i), refs.get(i));
        }
        return new int[] {ids.size(), matches};
    }

    /**
     * Erases one signal now, with everything the archive erases for a signal after five years (see the class comment):
     * for an objection upheld (objection/), which also tells the coordinator. Returns how many of its matches went.
     * Requires an open transaction on {@code c}; the caller records the erasure in the audit log.
     */
    public static int eraseOne(Connection c, UUID id, String ref) throws SQLException {
        for (String sql : ERASE) {
            try (PreparedStatement delete = c.prepareStatement(sql)) {
                delete.setObject(1, id);
                delete.executeUpdate();
            }
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM contact_push WHERE signal_ref = ?")) {
            delete.setString(1, ref);
            delete.executeUpdate();
        }
        // A message for the coordinator still undelivered (its pseudonyms, its end) goes too; a ref is "s-" and hex,
        // so it holds no LIKE wildcard.
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE payload LIKE ?")) {
            delete.setString(1, "%\"ref\":\"" + ref + "\"%");
            delete.executeUpdate();
        }
        if (tableExists(c, "notification")) {
            // The notifications part's outbox of messages to people (V2), where it exists: nothing about an
            // erased match stays behind.
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM notification WHERE match_id IN (SELECT match_id FROM node_match WHERE signal_id = ?)")) {
                delete.setObject(1, id);
                delete.executeUpdate();
            }
        }
        int matches;
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM node_match WHERE signal_id = ?")) {
            delete.setObject(1, id);
            matches = delete.executeUpdate();
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM signal WHERE id = ?")) {
            delete.setObject(1, id); // signal_parent and idempotency go with it (ON DELETE CASCADE)
            delete.executeUpdate();
        }
        return matches;
    }

    /**
     * Erases one signal here ({@link #eraseOne}) and, in the same transaction, queues its erasure at the coordinator,
     * which withdraws its matches at both sides, with one {@code signal.erased} entry saying {@code why}: an objection
     * upheld (objection/, {@link ErasureFollower#OBJECTION_UPHELD}) or a signal withdrawn as made in error
     * (signal/SignalChanges, {@link ErasureFollower#IN_ERROR}); then every {@link ErasureFollower} is told (the
     * signal's other open objections close). Requires an open transaction on {@code c} with the signal's row locked;
     * the caller wakes the outbox after the commit. Returns how many of its matches went.
     */
    public int eraseEverywhere(Connection c, UUID id, String ref, String actor, String why) throws SQLException {
        int matches = eraseOne(c, id, ref);
        outbox.erase(c, ref);
        audit.record(c, AuditEvent.of("signal.erased", actor, audit.signal(id)).with("why", why).with("matches", matches));
        for (ErasureFollower follower : followers) {
            follower.erased(c, id, actor, why);
        }
        return matches;
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet rs = meta.getTables(null, c.getSchema(), table, new String[] {"TABLE"})) {
            return rs.next();
        }
    }

    private static void count(Connection c, LocalDate day, String metric, int amount) throws SQLException {
        if (amount == 0) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO archive_count (stat_day, metric, amount) VALUES (?, ?, ?)")) {
            insert.setObject(1, day);
            insert.setString(2, metric);
            insert.setInt(3, amount);
            insert.executeUpdate();
        }
    }
}
