package nl.betrokken.node.followup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import nl.betrokken.node.ClockFactory;

/**
 * The system clock plus an offset that a test moves forward (overdue follow-up). Only in nodes started with
 * {@value #PROPERTY}{@code =true}, so that other tests keep the real clock.
 */
public final class MovableClock extends Clock {

    static final String PROPERTY = "betrokken.test.movable-clock";

    private volatile Duration offset = Duration.ZERO;

    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    @Override
    public ZoneId getZone() {
        return ClockFactory.ZONE;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the node's clock is in " + ClockFactory.ZONE);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    /** Puts the movable clock in place of the node's clock. */
    @Factory
    @Requires(property = PROPERTY, value = "true")
    static class Install {
        @Singleton
        @Replaces(bean = Clock.class, factory = ClockFactory.class)
        Clock clock() {
            return new MovableClock();
        }
    }
}
