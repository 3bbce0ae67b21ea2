package nl.betrokken.node.account;

import java.time.Instant;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** The werkplek sessions' rows, by the keyed hash of their id. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface WerkplekSessionRepository extends CrudRepository<WerkplekSessionRow, String> {

    void updateLastSeenAt(@Id String idHash, Instant lastSeenAt);

    /** Deletes the sessions idle since before {@code idleBefore} or past their end ({@code now}). */
    void deleteByLastSeenAtLessThanOrEndsAtLessThan(Instant idleBefore, Instant now);
}
