package nl.betrokken.coordinator;

import java.time.Clock;
import java.time.ZoneId;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The one clock of the coordinator; tests replace it to move time (retention, token expiry). */
@Factory
class ClockFactory {

    /** Dates (active periods, retention, statistics) are Dutch calendar dates. */
    static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

    @Singleton
    Clock clock() {
        return Clock.system(ZONE);
    }
}
