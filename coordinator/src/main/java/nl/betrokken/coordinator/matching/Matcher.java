package nl.betrokken.coordinator.matching;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import nl.betrokken.coordinator.sql.Chunks;

/**
 * Finds and stores the matches of freshly stored signals.
 *
 * <p>A <b>child match</b> is two active signals on the same youth; a <b>family match</b> two active signals on
 * different youths who share a parent. Both need different organisations (an organisation is a node plus that
 * node's opaque organisation reference). When a pair shares both the youth and a parent, it is a child match.
 * Each unordered pair is stored once ({@code signal_low < signal_high}), whatever the order of arrival.
 *
 * <p>Requires an open transaction that holds the matcher lock ({@link MatchingJob#lock}), so that no other pass
 * stores matches at the same time.
 */
public final class Matcher {

    private Matcher() {
    }

    private record SignalInfo(long id, String nodeId, String ref, String organisation) {
        boolean sameOrganisation(SignalInfo other) {
            return nodeId.equals(other.nodeId) && organisation.equals(other.organisation);
        }
    }

    private record Pair(long low, long high) {
        static Pair of(long a, long b) {
            return a < b ? new Pair(a, b) : new Pair(b, a);
        }
    }

    /**
     * Stores every match between {@code fresh} signals (new, or newly given pseudonyms of another epoch) and the
     * active signals that share a person with them. Requires every fresh signal to be active on {@code today}.
     *
     * @return the matches that did not exist before
     */
    public static List<Match> matchFresh(Connection connection, Collection<Long> fresh, LocalDate today, Instant now)
            throws SQLException {
        if (fresh.isEmpty()) {
            return List.of();
        }
        Map<Pair, MatchType> candidates = new HashMap<>();
        for (List<Long> chunk : Chunks.of(new TreeSet<>(fresh))) {
            String sql = "SELECT a.signal_id, b.signal_id, a.role FROM signal_person a"
                    + " JOIN signal_person b ON b.person_id = a.person_id AND b.role = a.role AND b.signal_id <> a.signal_id"
                    + " JOIN signal s ON s.id = b.signal_id"
                    + " WHERE a.signal_id IN (" + Chunks.placeholders(chunk.size()) + ")"
                    + " AND s.status = 'ACTIVE' AND s.active_from <= ? AND s.active_until >= ?";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                int next = Chunks.bindLongs(select, 1, chunk);
                select.setObject(next++, today);
                select.setObject(next, today);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        MatchType type = "Y".equals(rs.getString(3)) ? MatchType.CHILD : MatchType.FAMILY;
                        candidates.merge(Pair.of(rs.getLong(1), rs.getLong(2)), type,
                                (x, y) -> x == MatchType.CHILD || y == MatchType.CHILD ? MatchType.CHILD : MatchType.FAMILY);
                    }
                }
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        Set<Long> involved = new TreeSet<>();
        candidates.keySet().forEach(p -> {
            involved.add(p.low());
            involved.add(p.high());
        });
        Map<Long, SignalInfo> info = load(connection, involved);
        candidates.keySet().removeIf(p -> info.get(p.low()).sameOrganisation(info.get(p.high())));
        candidates.keySet().removeAll(existing(connection, fresh));

        List<Match> made = new ArrayList<>();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO signal_match (id, signal_low, signal_high, match_type, cross_region, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<Pair, MatchType> e : candidates.entrySet()) {
                SignalInfo low = info.get(e.getKey().low());
                SignalInfo high = info.get(e.getKey().high());
                Match match = new Match(UUID.randomUUID(), e.getValue(),
                        new SignalSide(low.nodeId(), low.ref()), new SignalSide(high.nodeId(), high.ref()));
                insert.setObject(1, match.id());
                insert.setLong(2, low.id());
                insert.setLong(3, high.id());
                insert.setString(4, match.type().name());
                insert.setBoolean(5, match.crossRegion());
                insert.setTimestamp(6, Timestamp.from(now));
                insert.addBatch();
                made.add(match);
            }
            insert.executeBatch();
        }
        return made;
    }

    private static Map<Long, SignalInfo> load(Connection connection, Collection<Long> ids) throws SQLException {
        Map<Long, SignalInfo> info = new HashMap<>();
        for (List<Long> chunk : Chunks.of(ids)) {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, node_id, ref, organisation FROM signal WHERE id IN ("
                            + Chunks.placeholders(chunk.size()) + ")")) {
                Chunks.bindLongs(select, 1, chunk);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        info.put(rs.getLong(1), new SignalInfo(rs.getLong(1), rs.getString(2), rs.getString(3),
                                rs.getString(4)));
                    }
                }
            }
        }
        return info;
    }

    private static Set<Pair> existing(Connection connection, Collection<Long> fresh) throws SQLException {
        Set<Pair> pairs = new HashSet<>();
        for (List<Long> chunk : Chunks.of(new TreeSet<>(fresh))) {
            String in = Chunks.placeholders(chunk.size());
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT signal_low, signal_high FROM signal_match WHERE signal_low IN (" + in + ")"
                            + " UNION SELECT signal_low, signal_high FROM signal_match WHERE signal_high IN (" + in + ")")) {
                int next = Chunks.bindLongs(select, 1, chunk);
                Chunks.bindLongs(select, next, chunk);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        pairs.add(new Pair(rs.getLong(1), rs.getLong(2)));
                    }
                }
            }
        }
        return pairs;
    }
}
