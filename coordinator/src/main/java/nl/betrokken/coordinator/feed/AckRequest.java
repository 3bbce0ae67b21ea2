package nl.betrokken.coordinator.feed;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.PositiveOrZero;

/** Acknowledges every entry up to and including {@code upTo}. */
@Serdeable
public record AckRequest(@PositiveOrZero long upTo) {
}
