package nl.betrokken.coordinator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** The system clock plus an offset that a test moves forward (retention, token expiry). */
public final class MutableClock extends Clock {

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
        throw new UnsupportedOperationException("the coordinator's clock is in " + ClockFactory.ZONE);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }
}
