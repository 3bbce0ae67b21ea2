package nl.betrokken.coordinator.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.coordinator.audit.CoordinatorAudit;
import nl.betrokken.coordinator.consent.ConsentRegister;
import nl.betrokken.coordinator.feed.FeedKind;
import nl.betrokken.coordinator.feed.FeedNotifier;
import nl.betrokken.coordinator.feed.FeedWriter;
import nl.betrokken.coordinator.matching.Match;
import nl.betrokken.coordinator.matching.MatchType;
import nl.betrokken.coordinator.matching.MatchingJob;
import nl.betrokken.coordinator.matching.SignalSide;
import nl.betrokken.coordinator.sql.Updates;
import nl.betrokken.coordinator.stats.StatsRecorder;

/**
 * Ending and erasing signals; either ends the signal's open consents ({@link ConsentRegister#endForSignal}).
 * Both hold the matcher lock ({@link MatchingJob#lock}), so that no matching pass runs
 * against a signal that is being ended or erased, and feed entries stay in order.
 */
@Singleton
public class LifecycleService {

    private final TransactionOperations<Connection> transactions;
    private final FeedNotifier notifier;
    private final CoordinatorAudit audit;
    private final ConsentRegister consents;
    private final Clock clock;

    LifecycleService(TransactionOperations<Connection> transactions, FeedNotifier notifier, CoordinatorAudit audit,
                     ConsentRegister consents, Clock clock) {
        this.transactions = transactions;
        this.consents = consents;
        this.notifier = notifier;
        this.audit = audit;
        this.clock = clock;
    }

    /** What erasing one signal deletes, in this order (no foreign key cascades: V3__fewer_foreign_keys.sql). */
    private static final List<String> ERASE = List.of(
            "DELETE FROM signal_match WHERE signal_low = ? OR signal_high = ?",
            "DELETE FROM signal_person WHERE signal_id = ?",
            "DELETE FROM match_queue WHERE signal_id = ?",
            "DELETE FROM match_later WHERE signal_id = ?",
            "DELETE FROM signal WHERE id = ?");

    private record Row(long id, LocalDate until, String status) {
    }

    public LifecycleResult end(String nodeId, EndBatch batch) {
        LocalDate today = LocalDate.now(clock);
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            MatchingJob.lock(c);
            List<LifecycleResult.Item> items = new ArrayList<>();
            int ended = 0;
            for (EndBatch.End end : batch.ends()) {
                Optional<Row> row = find(c, nodeId, end.ref());
                if (row.isEmpty()) {
                    items.add(new LifecycleResult.Item(end.ref(), LifecycleResult.Outcome.UNKNOWN));
                    continue;
                }
                if ("ARCHIVED".equals(row.get().status())) {
                    items.add(new LifecycleResult.Item(end.ref(), LifecycleResult.Outcome.UNCHANGED));
                    continue;
                }
                LocalDate until = end.on().isBefore(row.get().until()) ? end.on() : row.get().until();
                try (PreparedStatement update = c.prepareStatement(
                        "UPDATE signal SET status = 'ARCHIVED', active_until = ? WHERE id = ?")) {
                    update.setObject(1, until);
                    update.setLong(2, row.get().id());
                    update.executeUpdate();
                }
                consents.endForSignal(c, nodeId, end.ref());
                ended++;
                items.add(new LifecycleResult.Item(end.ref(), LifecycleResult.Outcome.ENDED));
            }
            StatsRecorder.record(c, today, StatsRecorder.SIGNALS_ARCHIVED, ended);
            audit.record(c, AuditEvent.of("signals.ended", "node:" + nodeId, "batch:" + nodeId)
                    .with("records", batch.ends().size()).with("ended", ended));
            return new LifecycleResult(items);
        });
    }

    public LifecycleResult erase(String nodeId, EraseBatch batch) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, clock.getZone());
        List<Match> withdrawn = new ArrayList<>();
        LifecycleResult result = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            MatchingJob.lock(c);
            List<LifecycleResult.Item> items = new ArrayList<>();
            int erased = 0;
            for (String ref : batch.refs()) {
                Optional<Row> row = find(c, nodeId, ref);
                if (row.isEmpty()) {
                    items.add(new LifecycleResult.Item(ref, LifecycleResult.Outcome.UNKNOWN));
                    continue;
                }
                long id = row.get().id();
                withdrawn.addAll(matchesOf(c, id));
                for (String sql : ERASE) {
                    Updates.withEveryParameter(c, sql, id);
                }
                // After the match rows' deletion (their locks first, as a registration takes them), before the feeds.
                consents.endForSignal(c, nodeId, ref);
                erased++;
                items.add(new LifecycleResult.Item(ref, LifecycleResult.Outcome.ERASED));
                audit.record(c, AuditEvent.of("signal.erased", "node:" + nodeId, "signal:" + nodeId + "/" + ref)
                        .with("matchesWithdrawn", withdrawn.size()));
            }
            FeedWriter.append(c, withdrawn, FeedKind.MATCH_WITHDRAWN, now);
            StatsRecorder.record(c, today, StatsRecorder.SIGNALS_ERASED, erased);
            StatsRecorder.record(c, today, StatsRecorder.MATCHES_WITHDRAWN, withdrawn.size());
            return new LifecycleResult(items);
        });
        notifier.wake(withdrawn);
        return result;
    }

    private static Optional<Row> find(Connection c, String nodeId, String ref) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, active_until, status FROM signal WHERE node_id = ? AND ref = ?")) {
            select.setString(1, nodeId);
            select.setString(2, ref);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Row(rs.getLong(1), rs.getObject(2, LocalDate.class), rs.getString(3)))
                        : Optional.empty();
            }
        }
    }

    static List<Match> matchesOf(Connection c, long signalId) throws SQLException {
        List<Match> matches = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT m.id, m.match_type, lo.node_id, lo.ref, hi.node_id, hi.ref FROM signal_match m"
                        + " JOIN signal lo ON lo.id = m.signal_low JOIN signal hi ON hi.id = m.signal_high"
                        + " WHERE m.signal_low = ? OR m.signal_high = ?")) {
            select.setLong(1, signalId);
            select.setLong(2, signalId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    matches.add(new Match(rs.getObject(1, UUID.class), MatchType.valueOf(rs.getString(2)),
                            new SignalSide(rs.getString(3), rs.getString(4)),
                            new SignalSide(rs.getString(5), rs.getString(6))));
                }
            }
        }
        return matches;
    }
}
