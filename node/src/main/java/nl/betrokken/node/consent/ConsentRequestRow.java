package nl.betrokken.node.consent;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A consent request this node's professional asked (V15, {@code consent_request}): the match, this node's signal, the
 * purpose (sealed), on whose behalf, and each part's needs when asked. {@link #toString()} prints no content.
 */
@MappedEntity("consent_request")
record ConsentRequestRow(@Id UUID id, UUID matchId, UUID signalId, byte[] purposeSealed, String purposeHash,
                         String askedBy, Instant askedAt, String partNeeds, @Nullable String endedReason,
                         @Nullable Instant endedAt, @Nullable UUID renews) {

    @Override
    public String toString() {
        return "ConsentRequestRow[" + id + "]";
    }
}
