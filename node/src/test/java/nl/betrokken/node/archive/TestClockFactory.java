package nl.betrokken.node.archive;

import java.time.Clock;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import nl.betrokken.node.ClockFactory;

/**
 * A node started with {@value #PROPERTY}=true runs on a {@link MutableClock}; every other test node keeps the system
 * clock (the shared nodes must not be moved by one test).
 */
@Factory
@Requires(property = TestClockFactory.PROPERTY, value = "true")
class TestClockFactory {

    static final String PROPERTY = "betrokken.test.mutable-clock";

    @Singleton
    @Replaces(bean = Clock.class, factory = ClockFactory.class)
    Clock clock() {
        return new MutableClock();
    }
}
