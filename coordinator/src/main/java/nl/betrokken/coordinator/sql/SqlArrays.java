package nl.betrokken.coordinator.sql;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;

/**
 * A list of values bound as one array parameter, for a query that joins from it:
 * {@code SELECT … FROM UNNEST(?) AS q(id) JOIN signal s ON s.id = q.id} instead of {@code WHERE id IN (?, ?, …)}.
 *
 * <p>Why: with {@code IN} lists PostgreSQL saw a different statement for every list length, and once the driver had
 * prepared one on the server it could keep a generic plan for it that started from the wrong table as the tables
 * grew. {@code WHERE id = ANY(?)} has the same trap: a generic plan may scan the whole table and compare each row
 * with every element. Joining from {@code UNNEST(?)}, whose size the planner does not know and takes to be a hundred
 * rows, gives index lookups per key whatever the statistics say. One array is also one bind instead of thousands
 * (docs/performance.md).
 */
public final class SqlArrays {

    private SqlArrays() {
    }

    /** The values as an SQL array of {@code type}; requires no null value. */
    public static Array of(Connection connection, SqlType type, Collection<?> values) throws SQLException {
        if (type == SqlType.BYTEA) {
            // PostgreSQL's driver takes bytea arrays only as byte[][].
            byte[][] bytes = new byte[values.size()][];
            int i = 0;
            for (Object value : values) {
                bytes[i++] = (byte[]) value;
            }
            return connection.createArrayOf(type.elementName, bytes);
        }
        Object[] elements = values.toArray();
        if (type == SqlType.TIMESTAMPTZ) {
            Object last = null;
            Object converted = null;
            for (int i = 0; i < elements.length; i++) {
                if (!elements[i].equals(last)) { // rows of one statement mostly share one time
                    last = elements[i];
                    converted = timestamp(last);
                }
                elements[i] = converted;
            }
        }
        return connection.createArrayOf(type.elementName, elements);
    }

    /** A point in time as the drivers take it: an {@link Instant} becomes an {@link OffsetDateTime} in UTC. */
    static Object timestamp(Object value) {
        return value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value;
    }

    public static Array longs(Connection connection, Collection<Long> values) throws SQLException {
        return of(connection, SqlType.BIGINT, values);
    }

    public static Array texts(Connection connection, Collection<String> values) throws SQLException {
        return of(connection, SqlType.TEXT, values);
    }
}
