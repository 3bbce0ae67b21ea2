package nl.betrokken.node.staff;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/staff/{username}/deactivate}: {@code handOverTo}, an active professional of the same
 * organisation, takes over the leaver's signals and their open matches. Required when the leaver has any.
 */
@Serdeable
public record Deactivation(@Nullable @Size(min = 1, max = 100) String handOverTo) {
}
