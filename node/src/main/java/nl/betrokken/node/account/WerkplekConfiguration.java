package nl.betrokken.node.account;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The werkplek's staff sessions ({@code betrokken.werkplek}): signed out after {@code idleTimeout} without a request
 * and after {@code absoluteTimeout} in any case; the cookie is {@code Secure} unless {@code secureCookie} is false.
 */
@ConfigurationProperties(WerkplekConfiguration.PREFIX)
public record WerkplekConfiguration(
        @Bindable(defaultValue = "30m") Duration idleTimeout,
        @Bindable(defaultValue = "10h") Duration absoluteTimeout,
        @Bindable(defaultValue = "true") boolean secureCookie) {

    public static final String PREFIX = "betrokken.werkplek";
}
