package nl.betrokken.node.account;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The parents' portal sessions ({@code betrokken.portaal}): signed out after {@code idleTimeout} without a request and
 * after {@code absoluteTimeout} in any case; the cookie is {@code Secure} unless {@code secureCookie} is false.
 */
@ConfigurationProperties(PortaalConfiguration.PREFIX)
public record PortaalConfiguration(
        @Bindable(defaultValue = "15m") Duration idleTimeout,
        @Bindable(defaultValue = "8h") Duration absoluteTimeout,
        @Bindable(defaultValue = "true") boolean secureCookie) {

    public static final String PREFIX = "betrokken.portaal";
}
