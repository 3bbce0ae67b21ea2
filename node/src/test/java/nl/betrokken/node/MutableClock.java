package nl.betrokken.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * The system clock plus an offset that a test moves forward (overdue follow-up, archive, erasure, audit reports).
 * Only in nodes started with {@value #PROPERTY}{@code =true}, so that other tests, and the nodes they share, keep the
 * real clock.
 */
public final class MutableClock extends Clock {

    public static final String PROPERTY = "betrokken.test.mutable-clock";

    private volatile Duration offset = Duration.ZERO;

    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    /** Moves the clock forward by calendar {@code period} from the day it shows now. */
    public void advance(Period period) {
        Instant now = instant();
        offset = offset.plus(Duration.between(now, now.atZone(ClockFactory.ZONE).plus(period).toInstant()));
    }

    /** Moves the clock forward to {@code day}, at the same time of day. */
    public void advanceTo(LocalDate day) {
        Instant now = instant();
        ZonedDateTime then = now.atZone(ClockFactory.ZONE).with(day);
        if (then.toInstant().isBefore(now)) {
            throw new IllegalArgumentException(day + " is in the clock's past");
        }
        offset = offset.plus(Duration.between(now, then.toInstant()));
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

    /** Puts the mutable clock in place of the node's clock. */
    @Factory
    @Requires(property = PROPERTY, value = "true")
    static class Install {
        @Singleton
        @Replaces(bean = Clock.class, factory = ClockFactory.class)
        Clock clock() {
            return new MutableClock();
        }
    }
}
