package nl.betrokken.node.account;

import java.time.Instant;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A werkplek session as stored (V17, {@code werkplek_session}): the keyed hash of its id (the id itself is only in the
 * staff member's cookie), the account's username, and its times. Role and organisation are not kept: they are read
 * from the account on every request.
 */
@MappedEntity("werkplek_session")
record WerkplekSessionRow(@Id String idHash, String username, Instant createdAt, Instant lastSeenAt,
                          Instant endsAt) {
}
