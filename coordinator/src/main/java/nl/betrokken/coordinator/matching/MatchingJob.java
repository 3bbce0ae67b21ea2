package nl.betrokken.coordinator.matching;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.coordinator.audit.CoordinatorAudit;
import nl.betrokken.coordinator.feed.FeedKind;
import nl.betrokken.coordinator.feed.FeedNotifier;
import nl.betrokken.coordinator.feed.FeedWriter;
import nl.betrokken.coordinator.metrics.CoordinatorMetrics;
import nl.betrokken.coordinator.sql.KeyLookups;
import nl.betrokken.coordinator.sql.SqlArrays;
import nl.betrokken.coordinator.stats.StatsRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the matches of queued signals, one pass at a time in the whole coordinator: each pass locks the single
 * {@code matcher_lock} row, so two instances never match at once. A pass takes up to {@value #PASS} queued signals,
 * matches them against every active signal (queued ones included), writes the new matches and both nodes' feed
 * entries, and removes them from the queue, all in one transaction.
 *
 * <p>Why no pair is missed: a pass sees every signal committed before it began. A signal committed later is still
 * queued, and its own pass finds its pairs with everything stored before it. Why no pair is doubled: passes run one
 * at a time and skip pairs already stored (and {@code signal_match} has a unique pair constraint besides). Why feeds
 * stay in order: only a pass, or an end or erase holding the same lock, appends to a feed.
 *
 * <p>A pass runs as soon as an intake on this instance commits, and at least every {@link #RECHECK_MILLIS} ms for
 * signals queued by another instance. A signal that arrived before its first active day waits in {@code match_later}
 * and is queued by the first pass of that day.
 */
@Singleton
public class MatchingJob implements ApplicationEventListener<ServerStartupEvent> {

    static final int PASS = 20000;
    static final long RECHECK_MILLIS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(MatchingJob.class);

    private final TransactionOperations<Connection> transactions;
    private final FeedNotifier notifier;
    private final CoordinatorAudit audit;
    private final Clock clock;
    private final Object wake = new Object();
    private boolean woken;
    private volatile Thread thread;

    private final CoordinatorMetrics metrics;

    MatchingJob(TransactionOperations<Connection> transactions, FeedNotifier notifier, CoordinatorAudit audit,
                Clock clock, CoordinatorMetrics metrics) {
        this.metrics = metrics;
        this.transactions = transactions;
        this.notifier = notifier;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (thread == null) {
            thread = new Thread(this::run, "matcher");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops the thread when the application stops; what was not yet done stays in the database for the next start. */
    @PreDestroy
    void stop() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Call after a commit that queued signals. */
    public void wake() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    /** How many signals wait for matching (for tests and health). */
    public long queued() {
        return transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement("SELECT count(*) FROM match_queue");
                 ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Locks the matcher row until the caller's transaction ends: no pass runs meanwhile. */
    public static void lock(Connection c) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT id FROM matcher_lock WHERE id = 1 FOR UPDATE");
             ResultSet rs = lock.executeQuery()) {
            rs.next();
        }
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                long started = System.nanoTime();
                int done = pass();
                if (done > 0) {
                    metrics.matcherPass(System.nanoTime() - started, done);
                }
                if (done < PASS) {
                    synchronized (wake) {
                        if (!woken) {
                            wake.wait(RECHECK_MILLIS);
                        }
                        woken = false;
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("matching pass failed ({}); trying again", e.getClass().getSimpleName());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * Moves the signals whose active period has begun from {@code match_later} to the queue, so that a signal that
     * arrived before its first active day is matched on that day. Requires the matcher lock.
     */
    private static void dueToday(Connection c, LocalDate today) throws SQLException {
        try (PreparedStatement move = c.prepareStatement("INSERT INTO match_queue (signal_id) SELECT l.signal_id"
                + " FROM match_later l WHERE l.active_from <= ?"
                + " AND NOT EXISTS (SELECT 1 FROM match_queue q WHERE q.signal_id = l.signal_id)")) {
            move.setObject(1, today);
            move.executeUpdate();
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM match_later WHERE active_from <= ?")) {
            delete.setObject(1, today);
            delete.executeUpdate();
        }
    }

    /** One pass; returns how many queued signals it took. */
    int pass() {
        List<Match> made = new ArrayList<>();
        int taken = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            KeyLookups.begin(c);
            lock(c);
            Instant now = clock.instant();
            LocalDate today = LocalDate.ofInstant(now, clock.getZone());
            dueToday(c, today);
            List<Long> queued = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT signal_id FROM match_queue ORDER BY signal_id LIMIT " + PASS);
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    queued.add(rs.getLong(1));
                }
            }
            if (queued.isEmpty()) {
                return 0;
            }
            made.addAll(Matcher.matchFresh(c, queued, today, now));
            FeedWriter.append(c, made, FeedKind.MATCH_CREATED, now);
            StatsRecorder.recordMatches(c, today, made);
            audit.record(c, AuditEvent.of("matches.made", "system:matcher", "pass")
                    .with("signals", queued.size()).with("matches", made.size()));
            // With KeyLookups.begin, an index scan of the primary key for the array's elements.
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM match_queue WHERE signal_id = ANY(?)")) {
                delete.setArray(1, SqlArrays.longs(c, queued));
                delete.executeUpdate();
            }
            return queued.size();
        });
        notifier.wake(made);
        return taken;
    }
}
