package nl.betrokken.node.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import nl.betrokken.node.keys.NodeTokens;
import io.micronaut.core.propagation.PropagatedContext;
import nl.betrokken.observability.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to the coordinator, oldest first, on one background thread: a run of messages of one kind
 * (up to {@value #BATCH} of them) goes in one call; on success they are deleted. While the coordinator is
 * unavailable the whole outbox waits with exponential back-off (1 s, 2 s, 4 s … at most {@link #MAX_BACKOFF}) and
 * is then tried again in the same order, so no message overtakes an older one. A message the coordinator refuses as
 * wrong (4xx) is found by retrying the batch one by one, and then waits an hour between tries; the later messages of
 * the same signal are held behind it (an end never overtakes its signal's refused registration), and the rest of the
 * outbox goes on. Both stay visible in {@code /health} ({@code refused}, {@code held}). Because delivery is at least once and the
 * coordinator treats a repeat as a no-op, a node restarted mid-send simply sends again. A back-off after no answer at
 * all ends early when the coordinator answers the feed's follower meanwhile, so that the outbox goes on as soon as it
 * is back; after a busy answer (5xx, 401, 408, 429, a read time-out) it runs its course.
 */
@Singleton
public class OutboxSender implements ApplicationEventListener<ServerStartupEvent> {

    static final int BATCH = 2000;
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    static final Duration REFUSED_RETRY = Duration.ofHours(1);
    /** How often a back-off looks whether the coordinator answered the feed's follower meanwhile. */
    private static final long ANSWER_CHECK_MILLIS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
    private static final Map<String, String> PATHS = Map.of(
            "SIGNAL", "/internal/v1/signals", "CORRECT", "/internal/v1/signals/correct", "END", "/internal/v1/signals/end",
            "ERASE", "/internal/v1/signals/erase");
    /** A message {@code m} that no older message of its signal precedes (messages without a signal never wait). */
    static final String FIRST_OF_SIGNAL = "NOT EXISTS (SELECT 1 FROM outbox o WHERE o.signal_ref = m.signal_ref"
            + " AND o.id < m.id)";
    private static final Map<String, String> FIELDS = Map.of("SIGNAL", "signals", "CORRECT", "signals", "END", "ends",
            "ERASE", "refs");

    private final TransactionOperations<Connection> transactions;
    private final HttpClient coordinator;
    private final NodeTokens tokens;
    private final CoordinatorContact contact;
    private final Clock clock;
    private final Object wake = new Object();
    private volatile boolean woken;
    private final boolean enabled;
    private volatile Thread thread;

    private record Message(long id, String kind, String payload, int attempts) {
    }

    OutboxSender(TransactionOperations<Connection> transactions, @Client(id = "coordinator") HttpClient coordinator,
                 NodeTokens tokens, Clock clock, CoordinatorContact contact,
                 @Value("${betrokken.outbox.sender.enabled:true}") boolean enabled) {
        this.enabled = enabled;
        this.contact = contact;
        this.transactions = transactions;
        this.coordinator = coordinator;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (thread == null && enabled) {
            thread = new Thread(this::run, "outbox-sender");
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

    /** Tells the sender that a transaction with outbox messages has committed. */
    public void wake() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    /** UNAVAILABLE: no answer at all (down, unreachable); BUSY: it answered, but 5xx, 401, 408, 429 or too late. */
    private enum Outcome { DELIVERED, UNAVAILABLE, BUSY, REFUSED_BATCH, REFUSED }

    private void run() {
        boolean singly = false;
        int failures = 0;
        while (!Thread.currentThread().isInterrupted()) {
            // Each pass has a request id of its own, sent on its call to the coordinator.
            PropagatedContext.Scope pass = RequestIds.background("outbox");
            try {
                List<Message> due = due(singly ? 1 : BATCH);
                if (due.isEmpty()) {
                    singly = false;
                    sleep(nextDue());
                    continue;
                }
                Outcome outcome = send(due);
                switch (outcome) {
                    case DELIVERED -> {
                        failures = 0;
                    }
                    case REFUSED_BATCH -> singly = true;
                    case REFUSED -> { }
                    case UNAVAILABLE, BUSY -> {
                        // The whole outbox waits, so that no message overtakes an older one (an end its signal).
                        // Only a coordinator that did not answer at all is tried again as soon as it answers the
                        // feed's follower; one that answered busy gets its whole back-off.
                        failures++;
                        Duration pause = backoff(failures);
                        LOG.info("outbox: coordinator unavailable, {} failed attempt(s), next in {} s", failures,
                                pause.toSeconds());
                        if (outcome == Outcome.UNAVAILABLE) {
                            pauseUnlessAnswered(pause);
                        } else {
                            Thread.sleep(pause.toMillis());
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("outbox sender: {}", e.getClass().getSimpleName());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            } finally {
                pass.close();
            }
        }
    }

    /** Sends one run of messages of one kind. */
    private Outcome send(List<Message> due) {
        String kind = due.get(0).kind();
        List<Message> run = new ArrayList<>();
        for (Message m : due) {
            if (!m.kind().equals(kind)) {
                break;
            }
            run.add(m);
        }
        StringBuilder body = new StringBuilder("{\"").append(FIELDS.get(kind)).append("\":[");
        for (int i = 0; i < run.size(); i++) {
            body.append(i == 0 ? "" : ",").append(run.get(i).payload());
        }
        body.append("]}");
        try {
            coordinator.toBlocking().exchange(HttpRequest.POST(PATHS.get(kind), body.toString())
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(tokens.forCall(NodeTokens.COORDINATOR)));
            contact.answered();
            delete(run);
            LOG.debug("outbox: delivered {} {} message(s)", run.size(), kind);
            return Outcome.DELIVERED;
        } catch (HttpClientResponseException e) {
            int status = e.getStatus().getCode();
            if (status < 500) {
                contact.answered(); // it is there, whatever it said
            }
            if (status >= 400 && status < 500 && status != 401 && status != 408 && status != 429) {
                LOG.warn("outbox: the coordinator refused {} {} message(s) with {}", run.size(), kind, status);
                if (run.size() > 1) {
                    return Outcome.REFUSED_BATCH; // one by one, so that a refused message holds up no other
                }
                postpone(run.get(0), "HTTP " + status);
                return Outcome.REFUSED;
            }
            LOG.info("outbox: the coordinator answered {}", status);
            return Outcome.BUSY;
        } catch (ReadTimeoutException e) {
            return Outcome.BUSY;
        } catch (HttpClientException e) {
            return Outcome.UNAVAILABLE;
        }
    }

    /**
     * Waits {@code pause}, or less when the coordinator answers another call of this node meanwhile (the feed's
     * follower, which keeps asking): after an outage the outbox then goes on at once, not minutes later at the end of
     * its back-off.
     */
    private void pauseUnlessAnswered(Duration pause) throws InterruptedException {
        Instant failedAt = clock.instant();
        long end = System.nanoTime() + pause.toNanos();
        for (long left = pause.toMillis(); left > 0; left = (end - System.nanoTime()) / 1_000_000) {
            Instant answered = contact.lastAnswer();
            if (answered != null && answered.isAfter(failedAt)) {
                return;
            }
            Thread.sleep(Math.min(ANSWER_CHECK_MILLIS, left));
        }
    }

    /** 1 s, 2 s, 4 s … after the n-th failure in a row, at most {@link #MAX_BACKOFF}. */
    static Duration backoff(int failures) {
        long seconds = 1L << Math.min(failures - 1, 20);
        return seconds > MAX_BACKOFF.toSeconds() ? MAX_BACKOFF : Duration.ofSeconds(seconds);
    }

    private List<Message> due(int limit) {
        return transactions.executeRead(status -> {
            List<Message> due = new ArrayList<>();
            // In id order; a message the coordinator refused waits apart (next_attempt_at in the future), and so does
            // every later message of its signal.
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT m.id, m.kind, m.payload, m.attempts FROM outbox m WHERE m.next_attempt_at <= ? AND " + FIRST_OF_SIGNAL
                            + " ORDER BY m.id LIMIT ?")) {
                select.setTimestamp(1, Timestamp.from(clock.instant()));
                select.setInt(2, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        due.add(new Message(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
                    }
                }
            }
            return due;
        });
    }

    private @Nullable Duration nextDue() {
        Instant next = transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT min(m.next_attempt_at) FROM outbox m WHERE " + FIRST_OF_SIGNAL);
                 ResultSet rs = select.executeQuery()) {
                return rs.next() && rs.getTimestamp(1) != null ? rs.getTimestamp(1).toInstant() : null;
            }
        });
        return next == null ? null : Duration.between(clock.instant(), next);
    }

    private void sleep(@Nullable Duration atMost) throws InterruptedException {
        long millis = atMost == null ? 5000 : Math.max(10, Math.min(5000, atMost.toMillis()));
        synchronized (wake) {
            if (!woken) {
                wake.wait(millis);
            }
            woken = false;
        }
    }

    private void delete(List<Message> run) {
        transactions.executeWrite(status -> {
            try (PreparedStatement delete = status.getConnection().prepareStatement("DELETE FROM outbox WHERE id = ?")) {
                for (Message m : run) {
                    delete.setLong(1, m.id());
                    delete.addBatch();
                }
                return delete.executeBatch();
            }
        });
    }

    private void postpone(Message m, String error) {
        transactions.executeWrite(status -> {
            try (PreparedStatement update = status.getConnection().prepareStatement(
                    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?")) {
                update.setTimestamp(1, Timestamp.from(clock.instant().plus(REFUSED_RETRY)));
                update.setString(2, error);
                update.setLong(3, m.id());
                return update.executeUpdate();
            }
        });
    }
}
