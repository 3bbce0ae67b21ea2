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
 * The person rows, and the locks on them that make matching safe under concurrency.
 *
 * <p>Two transactions that store signals sharing a person must not both miss each other. Each transaction therefore
 * inserts (if absent) and then locks every person its signals name, always in the same order (unsigned byte order
 * of the re-keyed pseudonym), before it looks for matches: the second one waits for the first to commit and then
 * sees its signals. The single order rules out deadlocks between such transactions.
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
     * Inserts the persons that are missing and locks all of them until the transaction ends.
     * Requires an open transaction on {@code connection}.
     *
     * @return the person id of each key
     */
    public static Map<Key, Long> upsertAndLock(Connection connection, Collection<Key> keys) throws SQLException {
        List<Key> sorted = new ArrayList<>(new TreeSet<>(keys));
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO person (pseudonym) VALUES (?) ON CONFLICT DO NOTHING")) {
            for (Key key : sorted) {
                insert.setBytes(1, key.bytes());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        Map<Key, Long> ids = lock(connection, sorted);
        if (ids.size() != sorted.size()) {
            throw new IllegalStateException("locked " + ids.size() + " of " + sorted.size() + " persons");
        }
        return ids;
    }

    /** Locks the persons that the given signals name, in the same order as {@link #upsertAndLock}. */
    public static void lockPersonsOf(Connection connection, Collection<Long> signalIds) throws SQLException {
        TreeSet<Key> keys = new TreeSet<>();
        for (List<Long> chunk : Chunks.of(new TreeSet<>(signalIds))) {
            String sql = "SELECT p.pseudonym FROM person p JOIN signal_person sp ON sp.person_id = p.id"
                    + " WHERE sp.signal_id IN (" + Chunks.placeholders(chunk.size()) + ")";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                Chunks.bindLongs(select, 1, chunk);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        keys.add(new Key(rs.getBytes(1)));
                    }
                }
            }
        }
        lock(connection, new ArrayList<>(keys));
    }

    /** Locks existing persons chunk by chunk; {@code sorted} must be in {@link Key} order, so every caller locks alike. */
    private static Map<Key, Long> lock(Connection connection, List<Key> sorted) throws SQLException {
        Map<Key, Long> ids = new HashMap<>();
        for (List<Key> chunk : Chunks.of(sorted)) {
            String sql = "SELECT id, pseudonym FROM person WHERE pseudonym IN (" + Chunks.placeholders(chunk.size())
                    + ") ORDER BY pseudonym FOR UPDATE";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
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
        return ids;
    }
}
