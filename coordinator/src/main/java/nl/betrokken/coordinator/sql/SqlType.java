package nl.betrokken.coordinator.sql;

/**
 * The column types the coordinator binds as arrays, with the element type name PostgreSQL's driver needs for
 * {@link java.sql.Connection#createArrayOf} (H2 takes any name and types the elements itself).
 */
public enum SqlType {
    BIGINT("int8"),
    INT("int4"),
    TEXT("text"),
    DATE("date"),
    TIMESTAMPTZ("timestamptz"),
    UUID("uuid"),
    BOOLEAN("bool"),
    BYTEA("bytea");

    final String elementName;

    SqlType(String elementName) {
        this.elementName = elementName;
    }
}
