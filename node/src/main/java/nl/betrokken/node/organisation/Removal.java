package nl.betrokken.node.organisation;

import java.util.Map;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * {@code POST /api/v1/organisations/{id}/remove}: a decision for every signal of the organisation that is not
 * archived, by the signal's id: hand it to {@code handOverTo} (a professional of another active organisation of this
 * node) or end it with {@code endReason} (an already ended signal stays as it is).
 */
@Serdeable
public record Removal(@Nullable Map<String, Decision> decisions) {

    @Serdeable
    public record Decision(@Nullable String handOverTo, @Nullable String endReason) {
    }
}
