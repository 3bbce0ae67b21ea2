package nl.betrokken.node.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;

/**
 * When this node last heard from the coordinator: the outbox's sender and the feed's follower tell it after every
 * answer they got ({@link #answered()}). {@code /health} and {@code /health/readiness} show it as {@code coordinator}:
 * {@code reachable} (an answer within the last {@value #LATELY_SECONDS} seconds; the feed is long-polled, so a
 * reachable coordinator answers at least that often), {@code lastAnswer} and {@code secondsAgo}.
 *
 * <p>It never makes the node unready: a node keeps taking signals while the coordinator is away (they wait in the
 * outbox, and nothing is lost), so a load balancer must keep sending it requests. An operator's monitoring reads
 * {@code reachable}.
 */
@Singleton
@Readiness
public class CoordinatorContact extends AbstractHealthIndicator<Map<String, Object>> {

    /** How recent an answer must be for the coordinator to count as reachable. */
    static final long LATELY_SECONDS = 120;

    private final Clock clock;
    private final AtomicReference<Instant> last = new AtomicReference<>();

    CoordinatorContact(Clock clock) {
        this.clock = clock;
    }

    /** The coordinator answered a call just now (any answer: it is there). */
    public void answered() {
        last.set(clock.instant());
    }

    /** When the coordinator last answered, or null when it has not since the start. */
    Instant lastAnswer() {
        return last.get();
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        healthStatus = HealthStatus.UP;
        Instant at = last.get();
        Map<String, Object> details = new LinkedHashMap<>();
        long ago = at == null ? -1 : Duration.between(at, clock.instant()).toSeconds();
        details.put("reachable", at != null && ago <= LATELY_SECONDS);
        details.put("lastAnswer", at == null ? null : at.toString());
        details.put("secondsAgo", at == null ? null : ago);
        return details;
    }

    @Override
    protected String getName() {
        return "coordinator";
    }
}
