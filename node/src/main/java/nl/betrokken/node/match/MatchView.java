package nl.betrokken.node.match;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** A match on one of the caller's organisation's signals, with whom to contact. */
@Serdeable
public record MatchView(UUID id, String type, UUID signalId, boolean crossRegion, String status,
                        @Nullable Contact counterpart, Instant createdAt) {

    @Serdeable
    public record Page(List<MatchView> items) {
    }
}
