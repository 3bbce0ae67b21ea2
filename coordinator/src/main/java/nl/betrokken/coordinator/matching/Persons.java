package nl.betrokken.coordinator.matching;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import nl.betrokken.coordinator.sql.BulkInsert;
import nl.betrokken.coordinator.sql.KeyLookups;
import nl.betrokken.coordinator.sql.SqlArrays;
import nl.betrokken.coordinator.sql.SqlType;

import org.postgresql.PGConnection;

import static nl.betrokken.coordinator.sql.BulkInsert.column;

/**
 * The person rows: one per re-keyed pseudonym. Inserted in one fixed order (unsigned byte order), so that two
 * transactions inserting the same new persons wait for each other instead of deadlocking.
 *
 * <p>A person row is written in a transaction of its own ({@link #upsert}) and linked to signals in a later one. No
 * foreign key ties the links to the person rows (its check locked a person row per link written); instead, the
 * transaction that links holds the {@code person_lock} row shared and finds every person it links still there
 * ({@link #lockAndCheck}), and retention holds that row alone while it deletes persons that no signal names
 * ({@link #lockAlone}).
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
        List<byte[]> bytes = sorted.stream().map(Key::bytes).toList();
        Map<Key, Long> ids = select(connection, bytes);
        if (ids.size() < sorted.size()) {
            // Only the missing ones, in key order: an INSERT ... ON CONFLICT waits for any other transaction that
            // inserts the same key, so fewer keys mean fewer waits, and the order rules out a deadlock.
            BulkInsert insert = new BulkInsert("person", "ON CONFLICT DO NOTHING", column("pseudonym", SqlType.BYTEA));
            sorted.stream().filter(k -> !ids.containsKey(k)).forEach(k -> insert.add((Object) k.bytes()));
            insert.execute(connection);
            ids.putAll(select(connection, bytes.stream().filter(b -> !ids.containsKey(new Key(b))).toList()));
        }
        if (ids.size() != sorted.size()) {
            // Retention deleted a person between the insert and the select: the caller's transaction is retried.
            throw new IllegalStateException("found " + ids.size() + " of " + sorted.size() + " persons");
        }
        return ids;
    }

    /**
     * Holds the person lock shared until the transaction ends, so that retention deletes no person meanwhile, and checks
     * that every one of {@code ids} is still there. Take it before any other lock of the transaction but the matcher's.
     *
     * @throws IllegalStateException when retention deleted one of them after {@link #upsert}: the caller tries again
     */
    public static void lockAndCheck(Connection connection, Collection<Long> ids) throws SQLException {
        // H2 has no FOR SHARE: there, linking transactions wait for each other here.
        String mode = connection.isWrapperFor(PGConnection.class) ? "FOR SHARE" : "FOR UPDATE";
        try (PreparedStatement lock = connection.prepareStatement("SELECT id FROM person_lock WHERE id = 1 " + mode);
             ResultSet rs = lock.executeQuery()) {
            rs.next();
        }
        Set<Long> distinct = new HashSet<>(ids);
        if (distinct.isEmpty()) {
            return;
        }
        int found = 0;
        try (PreparedStatement select = connection.prepareStatement(
                KeyLookups.sql(connection, "id", "p.id", "person p", "p.id = q.id"))) {
            select.setArray(1, SqlArrays.longs(connection, distinct));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found++;
                }
            }
        }
        if (found != distinct.size()) {
            throw new IllegalStateException("found " + found + " of " + distinct.size() + " persons to link");
        }
    }

    /** Holds the person lock alone until the transaction ends: no transaction links persons meanwhile. */
    public static void lockAlone(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT id FROM person_lock WHERE id = 1 FOR UPDATE");
             ResultSet rs = lock.executeQuery()) {
            rs.next();
        }
    }

    private static Map<Key, Long> select(Connection connection, List<byte[]> keys) throws SQLException {
        Map<Key, Long> ids = new HashMap<>();
        if (keys.isEmpty()) {
            return ids;
        }
        try (PreparedStatement select = connection.prepareStatement(
                KeyLookups.sql(connection, "k", "p.id, p.pseudonym", "person p", "p.pseudonym = q.k"))) {
            select.setArray(1, SqlArrays.of(connection, SqlType.BYTEA, keys));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.put(new Key(rs.getBytes(2)), rs.getLong(1));
                }
            }
        }
        return ids;
    }
}
