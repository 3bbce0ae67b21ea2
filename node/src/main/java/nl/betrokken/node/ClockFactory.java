package nl.betrokken.node;

import java.time.Clock;
import java.time.ZoneId;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The one clock of the node; tests replace it to move time. */
@Factory
public class ClockFactory {

    /** Dates (registration, active periods, birthdays) are Dutch calendar dates. */
    public static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

    @Singleton
    Clock clock() {
        return Clock.system(ZONE);
    }
}
