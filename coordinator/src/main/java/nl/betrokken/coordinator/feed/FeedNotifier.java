package nl.betrokken.coordinator.feed;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;
import nl.betrokken.coordinator.matching.Match;

/**
 * Wakes the readers waiting on a node's feed as soon as a transaction that appended to it has committed, so a
 * match reaches a waiting node at once instead of at its next poll.
 *
 * <p>This is within one coordinator instance. A reader also re-reads the database at least every second while it
 * waits, which is how an entry written by another instance reaches it.
 */
@Singleton
public class FeedNotifier {

    private static final class Signal {
        private long version;
    }

    private final Map<String, Signal> signals = new ConcurrentHashMap<>();

    /** Call after the commit that appended entries for the sides of {@code matches}. */
    public void wake(List<Match> matches) {
        for (Match m : matches) {
            wake(m.low().nodeId());
            wake(m.high().nodeId());
        }
    }

    public void wake(String nodeId) {
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
