package nl.betrokken.coordinator.matching;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import nl.betrokken.coordinator.sql.Chunks;

/**
 * The person rows: one per re-keyed pseudonym. Inserted in one fixed order (unsigned byte order), so that two
 * transactions inserting the same new persons wait for each other instead of deadlocking.
 */
public final class Persons {

    private Persons() {
    }

    /** A re-keyed pseudonym, comparable and usable as a map key. */
    public record Key(byte[] bytes) implements Comparable<Key> {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public int compareTo(Key o) {
            return Arrays.compareUnsigned(bytes, o.bytes);
        }

        @Override
        public String toString() {
            return "Person.Key[redacted]";
        }
    }

    /**
     * Inserts the persons that are missing. Requires an open transaction on {@code connection}.
     *
     * @return the person id of each key
     */
    public static Map<Key, Long> upsert(Connection connection, Collection<Key> keys) throws SQLException {
        List<Key> sorted = new ArrayList<>(new TreeSet<>(keys));
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO person (pseudonym) VALUES (?) ON CONFLICT DO NOTHING")) {
            for (Key key : sorted) {
                insert.setBytes(1, key.bytes());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        Map<Key, Long> ids = new HashMap<>();
        for (List<Key> chunk : Chunks.of(sorted)) {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, pseudonym FROM person WHERE pseudonym IN (" + Chunks.placeholders(chunk.size()) + ")")) {
                int i = 1;
                for (Key key : chunk) {
                    select.setBytes(i++, key.bytes());
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        ids.put(new Key(rs.getBytes(2)), rs.getLong(1));
                    }
                }
            }
        }
        if (ids.size() != sorted.size()) {
            // Retention deleted a person between the insert and the select: the caller's transaction is retried.
            throw new IllegalStateException("found " + ids.size() + " of " + sorted.size() + " persons");
        }
        return ids;
    }
}
