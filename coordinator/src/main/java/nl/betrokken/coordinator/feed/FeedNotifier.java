package nl.betrokken.coordinator.feed;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;
import nl.betrokken.coordinator.matching.Match;

/**
 * Wakes the readers waiting on a node's feed as soon as a transaction that appended to it has committed, so a
 * match reaches a waiting node at once instead of at its next poll.
 *
 * <p>On PostgreSQL, {@link FeedChannel} carries each wake-up to the other instances of the coordinator on the same
 * database, so their readers wake at once too. A reader also re-reads the database while it waits ({@link #recheck}):
 * every {@value #LISTENING_RECHECK_SECONDS} s while the channel listens, as a safety net, and every second when it
 * does not (on H2, or while its connection is lost).
 */
@Singleton
public class FeedNotifier {

    private static final class Signal {
        private long version;
    }

    static final long LISTENING_RECHECK_SECONDS = 15;

    private final Map<String, Signal> signals = new ConcurrentHashMap<>();
    private volatile FeedChannel channel;

    /** Call after the commit that appended entries for the sides of {@code matches}. */
    public void wake(List<Match> matches) {
        Set<String> nodes = new LinkedHashSet<>();
        for (Match m : matches) {
            nodes.add(m.low().nodeId());
            nodes.add(m.high().nodeId());
        }
        wake(nodes);
    }

    /** Call after the commit that appended entries to these nodes' feeds. */
    public void wake(Collection<String> nodeIds) {
        nodeIds.forEach(this::wakeHere);
        FeedChannel c = channel;
        if (c != null) {
            c.publish(nodeIds);
        }
    }

    public void wake(String nodeId) {
        wake(List.of(nodeId));
    }

    /** How long a reader waits before it re-reads the database when nothing wakes it. */
    public Duration recheck() {
        return channel != null ? Duration.ofSeconds(LISTENING_RECHECK_SECONDS) : Duration.ofSeconds(1);
    }

    /** Whether wake-ups reach the other instances at once (PostgreSQL, the channel connected). */
    public boolean listening() {
        return channel != null;
    }

    void listening(FeedChannel connected) {
        channel = connected;
    }

    /** Wakes every reader on this instance (after a lost channel reconnects: wake-ups may have been missed). */
    void wakeAll() {
        signals.keySet().forEach(this::wakeHere);
    }

    /** Wakes this instance's readers of a node's feed, without telling the other instances. */
    void wakeHere(String nodeId) {
        Signal s = signals.computeIfAbsent(nodeId, k -> new Signal());
        synchronized (s) {
            s.version++;
            s.notifyAll();
        }
    }

    /** The current version of a node's signal; pass it to {@link #await} to wait for the next wake-up. */
    public long version(String nodeId) {
        Signal s = signals.computeIfAbsent(nodeId, k -> new Signal());
        synchronized (s) {
            return s.version;
        }
    }

    /** Waits until {@code nodeId} is woken after {@code seen}, or {@code atMost} has passed. */
    public void await(String nodeId, long seen, Duration atMost) throws InterruptedException {
        Signal s = signals.computeIfAbsent(nodeId, k -> new Signal());
        long deadline = System.nanoTime() + atMost.toNanos();
        synchronized (s) {
            while (s.version == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                s.wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
