package nl.betrokken.coordinator.matching;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
import nl.betrokken.coordinator.sql.BulkInsert;
import nl.betrokken.coordinator.sql.KeyLookups;
import nl.betrokken.coordinator.sql.SqlArrays;
import nl.betrokken.coordinator.sql.SqlType;
import nl.betrokken.coordinator.stats.StatsRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the matches of queued signals, one pass at a time in the whole coordinator: each pass locks the single
 * {@code matcher_lock} row, so two instances never match at once. A pass takes up to {@value #PASS} queued signals,
 * matches them with each other and with every active signal an earlier pass took (the matcher's memory,
 * {@link MatchIndex}), writes the new matches and both nodes' feed entries, and removes them from the queue, all in
 * one transaction.
 *
 * <p>Why no pair is missed: of any two signals that match, one is taken by a pass no earlier than the other, and that
 * pass finds the other in its memory or among the signals it takes. The memory holds every signal a pass took: this
 * instance's own passes add theirs, and {@code match_pass} tells it which signals the passes of other instances took
 * ({@link #current}). Why no pair is doubled: passes run one
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
    /** How many of the last passes {@code match_pass} keeps, for a matcher on another instance to catch up with. */
    static final int LOGGED_PASSES = 100;
    private static final Logger LOG = LoggerFactory.getLogger(MatchingJob.class);

    private final TransactionOperations<Connection> transactions;
    private final FeedNotifier notifier;
    private final CoordinatorAudit audit;
    private final Clock clock;
    private final Object wake = new Object();
    private boolean woken;
    private volatile Thread thread;
    /** What the last pass of this instance left, or null: read it anew. */
    private MatchIndex index;
    private int indexReads;
    private int catchUps;

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

    /**
     * Locks the matcher row until the caller's transaction ends: no pass runs meanwhile.
     *
     * @return the generation: how many passes and changes of links ({@link #linksChanged}) there have been
     */
    public static long lock(Connection c) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT generation FROM matcher_lock WHERE id = 1 FOR UPDATE");
             ResultSet rs = lock.executeQuery()) {
            rs.next();
            return rs.getLong(1);
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

    /**
     * Records, under the matcher lock, that signals' links changed otherwise than by intake (a correction, an epoch
     * retired): every matcher reads its {@link MatchIndex} again before its next pass.
     */
    public static void linksChanged(Connection c) throws SQLException {
        long generation;
        try (PreparedStatement read = c.prepareStatement("SELECT generation FROM matcher_lock WHERE id = 1");
             ResultSet rs = read.executeQuery()) {
            rs.next();
            generation = rs.getLong(1) + 1;
        }
        log(c, generation, null);
    }

    /**
     * Moves the generation on to {@code generation} (one more than the lock read) and logs what the step took
     * ({@code null}: read everything again).
     */
    private static long log(Connection c, long generation, List<Long> taken) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE matcher_lock SET generation = ? WHERE id = 1")) {
            update.setLong(1, generation);
            update.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO match_pass (generation, signal_ids) VALUES (?, ?)")) {
            insert.setLong(1, generation);
            if (taken == null) {
                insert.setNull(2, java.sql.Types.ARRAY);
            } else {
                insert.setArray(2, SqlArrays.longs(c, taken));
            }
            insert.executeUpdate();
        }
        if (generation % 10 == 0) { // every tenth step, so that it keeps between 100 and 110
            try (PreparedStatement prune = c.prepareStatement("DELETE FROM match_pass WHERE generation <= ?")) {
                prune.setLong(1, generation - LOGGED_PASSES);
                prune.executeUpdate();
            }
        }
        return generation;
    }

    /**
     * The index as of {@code generation}: this matcher's own if no one else took the lock since its last pass, else
     * that one caught up with the signals the other passes took ({@code match_pass}), else read anew. Requires the
     * matcher lock.
     */
    private MatchIndex current(Connection c, long generation) throws SQLException {
        MatchIndex known = index;
        if (known != null && known.generation() == generation) {
            return known;
        }
        if (known != null && known.generation() < generation) {
            List<Long> taken = new ArrayList<>();
            long expected = known.generation() + 1;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT generation, signal_ids FROM match_pass WHERE generation > ? ORDER BY generation")) {
                select.setLong(1, known.generation());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next() && expected > 0) {
                        java.sql.Array ids = rs.getArray(2);
                        if (rs.getLong(1) != expected || ids == null) {
                            expected = -1; // a pass no longer logged, or links changed: read everything
                        } else {
                            for (Object id : (Object[]) ids.getArray()) {
                                taken.add(((Number) id).longValue());
                            }
                            expected++;
                        }
                    }
                }
            }
            if (expected == generation + 1) {
                Matcher.links(c, taken).forEach((signal, list) ->
                        list.forEach(pr -> known.add(pr.person(), pr.role(), signal)));
                known.generation(generation);
                catchUps++;
                return known;
            }
        }
        indexReads++;
        return MatchIndex.load(c, generation);
    }

    /** How often this instance's matcher read its index whole, and caught it up with other passes (for tests). */
    synchronized int[] indexReadsAndCatchUps() {
        return new int[] {indexReads, catchUps};
    }

    /** One pass; returns how many queued signals it took. */
    synchronized int pass() {
        List<Match> made = new ArrayList<>();
        MatchIndex[] used = new MatchIndex[1];
        int taken;
        try {
            taken = transactions.executeWrite(status -> {
                Connection c = status.getConnection();
                KeyLookups.begin(c);
                long generation = lock(c);
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
                // Out of the queue before their links are read: an intake that gives one of them new links meanwhile
                // waits for this delete and queues it again (IntakeService.unqueue), so no link is left unmatched.
                // With KeyLookups.begin, an index scan of the primary key for the array's elements.
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM match_queue WHERE signal_id = ANY(?)")) {
                    delete.setArray(1, SqlArrays.longs(c, queued));
                    delete.executeUpdate();
                }
                MatchIndex matchIndex = current(c, generation);
                Map<Long, LocalDate> notYet = new HashMap<>();
                made.addAll(Matcher.matchFresh(c, matchIndex, queued, today, now, notYet));
                // Queued by an instance whose clock is already on their first day: they wait for it here too.
                BulkInsert later = new BulkInsert("match_later", "ON CONFLICT DO NOTHING",
                        BulkInsert.column("signal_id", SqlType.BIGINT), BulkInsert.column("active_from", SqlType.DATE));
                notYet.forEach(later::add);
                later.execute(c);
                FeedWriter.append(c, made, FeedKind.MATCH_CREATED, now);
                StatsRecorder.recordMatches(c, today, made);
                audit.record(c, AuditEvent.of("matches.made", "system:matcher", "pass")
                        .with("signals", queued.size()).with("matches", made.size()));
                matchIndex.generation(log(c, generation + 1, queued));
                used[0] = matchIndex;
                return queued.size();
            });
        } catch (RuntimeException | Error e) {
            index = null; // it may hold what the failed pass added
            throw e;
        }
        if (used[0] != null) {
            index = used[0];
        }
        notifier.wake(made);
        return taken;
    }
}
