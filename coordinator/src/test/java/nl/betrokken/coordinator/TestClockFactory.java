package nl.betrokken.coordinator;

import java.time.Clock;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import jakarta.inject.Singleton;

/** In tests the coordinator's clock is a {@link MutableClock}. */
@Factory
class TestClockFactory {

    @Singleton
    @Replaces(bean = Clock.class, factory = ClockFactory.class)
    Clock clock() {
        return new MutableClock();
    }
}
