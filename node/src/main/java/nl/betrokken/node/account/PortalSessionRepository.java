package nl.betrokken.node.account;

import java.time.Instant;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** The portal sessions' rows, by the keyed hash of their id. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface PortalSessionRepository extends CrudRepository<PortalSessionRow, String> {

    void updateLastSeenAt(@Id String idHash, Instant lastSeenAt);

    void updateDraftSealed(@Id String idHash, @Nullable byte[] draftSealed);

    /** Deletes the sessions idle since before {@code idleBefore} or past their end ({@code now}). */
    void deleteByLastSeenAtLessThanOrEndsAtLessThan(Instant idleBefore, Instant now);
}
