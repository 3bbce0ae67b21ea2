package nl.betrokken.node.audit;

import java.util.List;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** The review dates of holds, oldest row first. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface HoldReviewRepository extends CrudRepository<HoldReviewRow, Long> {

    /** Every review date set for these holds, the oldest first (empty when none was set: a hold from before V22). */
    List<HoldReviewRow> findByReferenceInListOrderById(List<String> references);
}
