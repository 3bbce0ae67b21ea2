package nl.betrokken.coordinator;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import nl.betrokken.testing.TestPostgres;

/** The two databases every coordinator test runs against. */
public enum Db {
    H2, POSTGRES;

    /** Properties for a fresh, empty database of this kind. */
    public Map<String, Object> freshDatabase() {
        Map<String, Object> p = new HashMap<>();
        if (this == H2) {
            p.put("datasources.default.url", "jdbc:h2:mem:c" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
            p.put("datasources.default.driver-class-name", "org.h2.Driver");
            p.put("datasources.default.dialect", "H2");
        } else {
            TestPostgres.Schema schema = TestPostgres.freshSchema();
            p.put("datasources.default.url", schema.jdbcUrl());
            p.put("datasources.default.username", schema.username());
            p.put("datasources.default.password", schema.password());
            p.put("datasources.default.driver-class-name", "org.postgresql.Driver");
            p.put("datasources.default.dialect", "POSTGRES");
        }
        return p;
    }
}
