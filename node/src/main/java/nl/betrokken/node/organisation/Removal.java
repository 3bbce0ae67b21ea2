package nl.betrokken.node.organisation;

import java.util.Map;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * {@code POST /api/v1/organisations/{id}/remove}: a decision for every active signal of the organisation, by the
 * signal's id: hand it to {@code handOverTo} (a professional of another active organisation of this node) or end it
 * with {@code endReason}. A signal that is ended and not yet archived may be handed over too; without a decision (or
 * with {@code endReason}) it stays as it is.
 */
@Serdeable
public record Removal(@Nullable Map<String, Decision> decisions) {

    @Serdeable
    public record Decision(@Nullable String handOverTo, @Nullable String endReason) {
    }
}
