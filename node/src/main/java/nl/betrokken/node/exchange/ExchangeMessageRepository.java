package nl.betrokken.node.exchange;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** The messages' rows, by row id. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ExchangeMessageRepository extends CrudRepository<ExchangeMessageRow, UUID> {

    /** The messages of the match on this node's signal, oldest first; empty when there are none. */
    List<ExchangeMessageRow> findByMatchIdAndSignalIdOrderBySentAt(UUID matchId, UUID signalId);

    /** The message on this node's signal; empty when there is none. */
    Optional<ExchangeMessageRow> findByMessageIdAndSignalId(UUID messageId, UUID signalId);
}
