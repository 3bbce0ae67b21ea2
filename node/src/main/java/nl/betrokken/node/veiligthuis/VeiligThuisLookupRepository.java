package nl.betrokken.node.veiligthuis;

import java.util.List;
import java.util.UUID;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** The look-ups' rows, by row id. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface VeiligThuisLookupRepository extends CrudRepository<VeiligThuisLookupRow, UUID> {

    /** The rows of one look-up at this node; empty when there are none. */
    List<VeiligThuisLookupRow> findByLookupId(UUID lookupId);
}
