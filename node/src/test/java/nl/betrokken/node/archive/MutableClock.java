package nl.betrokken.node.archive;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import nl.betrokken.node.ClockFactory;

/** The system clock plus an offset that a test moves forward (archive, erasure). */
public final class MutableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

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
}
