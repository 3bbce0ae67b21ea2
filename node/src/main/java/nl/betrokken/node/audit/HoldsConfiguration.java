package nl.betrokken.node.audit;

import java.time.Period;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Held back signals ({@code betrokken.holds}): a hold's first review date is {@code reviewAfter} (ISO 8601, default
 * {@code P3M}: three months) after the day it was held.
 */
@ConfigurationProperties("betrokken.holds")
public record HoldsConfiguration(@Bindable(defaultValue = "P3M") Period reviewAfter) {
}
