package nl.betrokken.node.consent;

import java.util.List;
import java.util.UUID;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** The consent requests asked at this node. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ConsentRequestRepository extends CrudRepository<ConsentRequestRow, UUID> {

    List<ConsentRequestRow> findByMatchIdOrderByAskedAtDesc(UUID matchId);
}
