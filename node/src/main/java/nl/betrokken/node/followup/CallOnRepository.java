package nl.betrokken.node.followup;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** The calls on both sides of matches, by row id. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface CallOnRepository extends CrudRepository<CallOnRow, UUID> {

    /** The calls about match {@code matchId} at this node, oldest first; empty when there are none. */
    List<CallOnRow> findByMatchIdOrderByCalledAt(UUID matchId);

    /** Whether the call {@code callId} of node {@code originNode} is stored already. */
    boolean existsByCallIdAndOriginNode(UUID callId, String originNode);

    /** Calls to send whose turn it is ({@code nextAttemptAt} not after {@code now}), oldest first. */
    List<CallOnRow> findBySendStateAndNextAttemptAtLessThanEqualsOrderByCalledAt(String sendState, Instant now);
}
