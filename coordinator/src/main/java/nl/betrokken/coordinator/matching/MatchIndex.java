package nl.betrokken.coordinator.matching;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import nl.betrokken.coordinator.sql.KeyLookups;

/**
 * The matcher's memory of which signals name each person: re-keyed pseudonym → signal ids with the role (youth or
 * parent) in which each names the person. It replaces a lookup of {@code signal_person} by person in every pass.
 *
 * <p>What it holds is a superset of what a pass needs: every signal a pass has taken (its own passes, and those of
 * other instances, caught up from {@code match_pass}), and when it was read whole ({@link #load}) every signal that was
 * active then. It may still hold signals that have since ended or gone: the matcher reads every signal it finds here
 * by id, keeps only the active ones and forgets the others ({@link #forget}). A signal it does not hold has not been
 * taken by any pass yet, and its own pass will find its pairs.
 *
 * <p>About 150 bytes a person (a map entry, the pseudonym and one small array); not thread-safe: only the matcher
 * uses it.
 */
final class MatchIndex {

    private static final long[] NONE = new long[0];

    /** Person → entries {@code signalId << 1 | (parent ? 1 : 0)}. */
    private final Map<Persons.Key, long[]> entries = new HashMap<>();
    private long generation;

    private MatchIndex(long generation) {
        this.generation = generation;
    }

    /**
     * Every link of every signal that is ACTIVE now, as of the matcher's {@code generation}. Inside a transaction begun
     * with {@link KeyLookups#begin}, which holds again afterwards.
     */
    static MatchIndex load(Connection connection, long generation) throws SQLException {
        MatchIndex index = new MatchIndex(generation);
        KeyLookups.scanning(connection); // one read of both tables whole: here scans are the right plan
        try (PreparedStatement select = connection.prepareStatement("SELECT sp.pseudonym, sp.role, sp.signal_id"
                + " FROM signal_person sp JOIN signal s ON s.id = sp.signal_id WHERE s.status = 'ACTIVE'")) {
            select.setFetchSize(10_000);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    index.add(new Persons.Key(rs.getBytes(1)), rs.getString(2).charAt(0), rs.getLong(3));
                }
            }
        }
        KeyLookups.begin(connection);
        return index;
    }

    long generation() {
        return generation;
    }

    void generation(long generation) {
        this.generation = generation;
    }

    static long signalOf(long entry) {
        return entry >>> 1;
    }

    static char roleOf(long entry) {
        return (entry & 1) == 1 ? 'P' : 'Y';
    }

    /** The entries of {@code person}, for {@link #signalOf} and {@link #roleOf}. */
    long[] of(Persons.Key person) {
        return entries.getOrDefault(person, NONE);
    }

    /** Adds that {@code signal} names {@code person} in {@code role}, once. */
    void add(Persons.Key person, char role, long signal) {
        long entry = signal << 1 | (role == 'P' ? 1 : 0);
        long[] old = entries.get(person);
        if (old == null) {
            entries.put(person, new long[] {entry});
            return;
        }
        for (long e : old) {
            if (e == entry) {
                return;
            }
        }
        long[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = entry;
        entries.put(person, grown);
    }

    /** Forgets {@code signal} under {@code person}: it is no longer active. */
    void forget(Persons.Key person, long signal) {
        long[] old = entries.get(person);
        if (old == null) {
            return;
        }
        long[] kept = Arrays.stream(old).filter(e -> signalOf(e) != signal).toArray();
        if (kept.length == 0) {
            entries.remove(person);
        } else if (kept.length < old.length) {
            entries.put(person, kept);
        }
    }
}
