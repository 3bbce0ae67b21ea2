package nl.betrokken.node.account;

import java.time.Instant;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A portal session as stored (V11, {@code portal_session}): the keyed hash of its id (the id itself is only in the
 * person's cookie), the person's BSN sealed with the node's Aead, the objection being written (sealed, or null), and
 * its times. Holds sealed personal data: {@link #toString()} prints none.
 */
@MappedEntity("portal_session")
record PortalSessionRow(@Id String idHash, byte[] personSealed, @Nullable byte[] draftSealed, Instant createdAt,
                        Instant lastSeenAt, Instant endsAt) {

    @Override
    public String toString() {
        return "PortalSessionRow[redacted]";
    }
}
