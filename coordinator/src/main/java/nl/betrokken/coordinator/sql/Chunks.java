package nl.betrokken.coordinator.sql;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Splits long {@code IN (...)} lists into chunks that every JDBC driver accepts. */
public final class Chunks {

    /** Well under PostgreSQL's 32767 bind parameters, and small enough for H2 to plan quickly. */
    public static final int SIZE = 1000;

    private Chunks() {
    }

    public static <T> List<List<T>> of(Collection<T> all) {
        List<List<T>> chunks = new ArrayList<>();
        List<T> current = new ArrayList<>(SIZE);
        for (T t : all) {
            current.add(t);
            if (current.size() == SIZE) {
                chunks.add(current);
                current = new ArrayList<>(SIZE);
            }
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    /** "?, ?, ?" for {@code n} parameters; requires n &gt; 0. */
    public static String placeholders(int n) {
        return "?" + ", ?".repeat(n - 1);
    }

    /** Binds {@code values} from parameter index {@code first} on; returns the next free index. */
    public static int bindLongs(PreparedStatement statement, int first, Collection<Long> values) throws SQLException {
        int i = first;
        for (long value : values) {
            statement.setLong(i++, value);
        }
        return i;
    }
}
