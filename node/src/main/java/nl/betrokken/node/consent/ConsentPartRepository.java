package nl.betrokken.node.consent;

import java.util.List;
import java.util.UUID;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** The consent parts this node holds, one row each (locking reads are plain JDBC in {@link ConsentParts}). */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ConsentPartRepository extends CrudRepository<ConsentPartRow, UUID> {

    List<ConsentPartRow> findByConsentId(UUID consentId);

    List<ConsentPartRow> findBySignalIdOrderByAskedAtDesc(UUID signalId);

    List<ConsentPartRow> findByMatchIdOrderByAskedAtDesc(UUID matchId);

    List<ConsentPartRow> findByStatus(String status);
}
