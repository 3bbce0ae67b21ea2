package nl.betrokken.coordinator.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.coordinator.audit.CoordinatorAudit;
import nl.betrokken.coordinator.keys.Rekeyer;
import nl.betrokken.coordinator.matching.MatchingJob;
import nl.betrokken.coordinator.matching.Persons;
import nl.betrokken.problem.Problems;
import nl.betrokken.coordinator.sql.BulkInsert;
import nl.betrokken.coordinator.sql.KeyLookups;
import nl.betrokken.coordinator.sql.SqlArrays;
import nl.betrokken.coordinator.sql.SqlType;
import nl.betrokken.coordinator.stats.StatsRecorder;
import nl.betrokken.crypto.pseudonym.Pseudonym;

import static nl.betrokken.coordinator.sql.BulkInsert.column;

/**
 * Takes a node's batch of signal records: all of it in one transaction, or none of it.
 *
 * <ul>
 *   <li>A record whose reference is new is stored and matched (if it is active today).</li>
 *   <li>A record stored before with the same content is a no-op, so a retried batch changes nothing.</li>
 *   <li>A record stored before with pseudonyms under a new key epoch gains them, without new matches for pairs that
 *       already match: this is how nodes move to a new epoch.</li>
 *   <li>A record stored before with other content (dates, or other pseudonyms under a known epoch) refuses the whole
 *       batch with 409, naming the record.</li>
 *   <li>A record stored before under another organisation reference keeps the stored one, as a correction does
 *       ({@link Corrections}): a node hands a signal to another organisation when one leaves the convenant, and a
 *       resubmission under a new key epoch then names the new organisation; the coordinator keeps the reference it
 *       has matched the signal by.</li>
 * </ul>
 * Pseudonyms under a retired key epoch ({@link EpochRetirement}) are ignored, and a record with no other epoch is
 * refused. Every pseudonym is re-keyed with the coordinator's own key before it is stored or compared. New signals (and
 * signals given a new epoch) that are active today are queued for the {@link MatchingJob}, which finds their matches
 * right after the commit; those whose period starts later are queued for their first active day. An {@code activeFrom}
 * more than a day after today, or a period longer than two years, is refused (400 naming the field).
 */
@Singleton
public class IntakeService {

    private final TransactionOperations<Connection> transactions;
    private final Rekeyer rekeyer;
    private final MatchingJob matching;
    private final CoordinatorAudit audit;
    private final Clock clock;

    IntakeService(TransactionOperations<Connection> transactions, Rekeyer rekeyer, MatchingJob matching,
                  CoordinatorAudit audit, Clock clock) {
        this.transactions = transactions;
        this.rekeyer = rekeyer;
        this.matching = matching;
        this.audit = audit;
        this.clock = clock;
    }

    /** A record with its pseudonyms parsed and re-keyed: epoch → (role, person). */
    record Parsed(int index, SignalRecord record, Map<Integer, Set<Link>> links) {
    }

    record Link(char role, Persons.Key person) {
    }

    record Stored(long id, String organisation, LocalDate from, LocalDate until, Map<Integer, Set<Link>> links) {
    }

    public IntakeResult submit(String nodeId, SignalBatch batch) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, clock.getZone());
        List<Parsed> parsed = parse(batch, today, retired());
        IntakeResult result;
        for (int attempt = 1; ; attempt++) {
            try {
                result = store(nodeId, parsed, today, now);
                break;
            } catch (Exception e) { // the transaction rethrows a failed statement's SQLException as it is
                if (attempt == 3 || !raced(e)) {
                    throw e;
                }
            }
        }
        matching.wake();
        return result;
    }

    /** The epochs retired so far (EpochRetirement), whose pseudonyms intake ignores. */
    Set<Integer> retired() {
        return transactions.executeRead(status -> EpochRetirement.retired(status.getConnection()));
    }

    private IntakeResult store(String nodeId, List<Parsed> parsed, LocalDate today, Instant now) {
        return transactions.executeWrite(status -> {
            Connection connection = status.getConnection();
            KeyLookups.begin(connection);
            Map<String, Stored> stored = loadStored(connection, nodeId, parsed);

            List<IntakeResult.Item> items = new ArrayList<>();
            List<Parsed> created = new ArrayList<>();
            Map<Long, Map<Integer, Set<Link>>> added = new LinkedHashMap<>();
            Set<Long> fresh = new TreeSet<>();
            Set<Long> again = new TreeSet<>();
            Map<Long, LocalDate> later = new HashMap<>();
            for (Parsed p : parsed) {
                SignalRecord r = p.record();
                Stored s = stored.get(r.ref());
                if (s == null) {
                    created.add(p);
                    items.add(new IntakeResult.Item(r.ref(), IntakeResult.Outcome.CREATED));
                    continue;
                }
                String field = "signals[" + p.index() + "]";
                if (!s.from().equals(r.activeFrom()) || !s.until().equals(r.activeUntil())) {
                    throw Problems.conflict("signal-conflict", "Signal reference already used", field + ".ref",
                            "signal " + r.ref() + " was submitted before with another period");
                }
                Map<Integer, Set<Link>> newEpochs = new HashMap<>();
                for (Map.Entry<Integer, Set<Link>> e : p.links().entrySet()) {
                    Set<Link> known = s.links().get(e.getKey());
                    if (known == null) {
                        newEpochs.put(e.getKey(), e.getValue());
                    } else if (!known.equals(e.getValue())) {
                        throw Problems.conflict("signal-conflict", "Signal reference already used",
                                field + ".pseudonyms", "signal " + r.ref() + " was submitted before with other"
                                        + " pseudonyms under epoch " + e.getKey());
                    }
                }
                if (newEpochs.isEmpty()) {
                    items.add(new IntakeResult.Item(r.ref(), IntakeResult.Outcome.UNCHANGED));
                } else {
                    added.put(s.id(), newEpochs);
                    if (isActive(r, today)) {
                        fresh.add(s.id());
                        again.add(s.id());
                    } else if (r.activeFrom().isAfter(today)) {
                        later.put(s.id(), r.activeFrom());
                    }
                    items.add(new IntakeResult.Item(r.ref(), IntakeResult.Outcome.UPDATED));
                }
            }
            Map<String, Long> createdIds = insertSignals(connection, nodeId, created, today, now);
            for (Parsed p : created) {
                long id = createdIds.get(p.record().ref());
                added.put(id, p.links());
                if (isActive(p.record(), today)) {
                    fresh.add(id);
                } else if (p.record().activeFrom().isAfter(today)) {
                    later.put(id, p.record().activeFrom());
                }
            }
            insertLinks(connection, added);
            unqueue(connection, again);
            queue(connection, fresh);
            queueLater(connection, later);
            StatsRecorder.record(connection, today, StatsRecorder.SIGNALS_REGISTERED, created.size());
            audit.record(connection, AuditEvent.of("signals.received", "node:" + nodeId, "batch:" + nodeId)
                    .with("records", parsed.size()).with("created", created.size())
                    .with("updated", items.stream().filter(i -> i.outcome() == IntakeResult.Outcome.UPDATED).count())
                    .with("queuedForMatching", fresh.size()));
            return new IntakeResult(items);
        });
    }

    /**
     * Whether the store lost a race that a second attempt resolves: the same batch stored at the same moment by a
     * retry (a unique key: the second attempt finds the signals and changes nothing).
     */
    static boolean raced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes stored signals given new links out of the queue, so that {@link #queue} puts them in anew. A matching pass
     * takes its signals out of the queue before it reads their links: if this transaction's links came too late for
     * the pass, the pass's delete and this one wait for each other, and the signal is queued again for the next pass.
     * (An {@code ON CONFLICT DO NOTHING} alone would find the row the pass is about to delete and leave it at that.)
     */
    static void unqueue(Connection connection, Set<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        // With KeyLookups.begin, an index scan of the primary key for the array's elements.
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM match_queue WHERE signal_id = ANY(?)")) {
            delete.setArray(1, SqlArrays.longs(connection, ids));
            delete.executeUpdate();
        }
    }

    /** Queues the signals for the matcher, which finds their matches right after this commit. */
    static void queue(Connection connection, Set<Long> fresh) throws SQLException {
        BulkInsert insert = new BulkInsert("match_queue", "ON CONFLICT DO NOTHING", column("signal_id", SqlType.BIGINT));
        fresh.forEach(insert::add);
        insert.execute(connection);
    }

    /**
     * Queues signals whose active period starts after today for their first active day ({@code match_later}): the
     * matcher moves them to {@code match_queue} when that day comes, so a signal a node dated tomorrow (its clock a
     * little ahead at midnight) is still matched.
     */
    private static void queueLater(Connection connection, Map<Long, LocalDate> later) throws SQLException {
        BulkInsert insert = new BulkInsert("match_later", "ON CONFLICT DO NOTHING",
                column("signal_id", SqlType.BIGINT), column("active_from", SqlType.DATE));
        later.forEach(insert::add);
        insert.execute(connection);
    }

    /**
     * The last day of an active period of two years starting on {@code from} (the law's maximum): the day before the
     * second anniversary, where the anniversary of 29 February in a common year is 1 March.
     */
    static LocalDate lastDayOfTwoYears(LocalDate from) {
        LocalDate anniversary = from.getMonthValue() == 2 && from.getDayOfMonth() == 29
                ? from.plusDays(1).plusYears(2) : from.plusYears(2);
        return anniversary.minusDays(1);
    }

    static boolean isActive(SignalRecord r, LocalDate today) {
        return !r.activeFrom().isAfter(today) && !r.activeUntil().isBefore(today);
    }

    /**
     * Checks the dates against {@code today} and parses and re-keys every record; pseudonyms under a {@code retired}
     * epoch are ignored (EpochRetirement).
     */
    List<Parsed> parse(SignalBatch batch, LocalDate today, Set<Integer> retired) {
        List<Parsed> parsed = new ArrayList<>();
        Set<String> refs = new HashSet<>();
        for (int i = 0; i < batch.signals().size(); i++) {
            SignalRecord r = batch.signals().get(i);
            String field = "signals[" + i + "]";
            if (!refs.add(r.ref())) {
                throw Problems.invalidField(field + ".ref", "appears more than once in the batch");
            }
            if (r.activeUntil().isBefore(r.activeFrom())) {
                throw Problems.invalidField(field + ".activeUntil", "must not be before activeFrom");
            }
            // A day of slack for a node's clock ahead of this one at midnight; more is a wrong date, not skew.
            if (r.activeFrom().isAfter(today.plusDays(1))) {
                throw Problems.invalidField(field + ".activeFrom", "must not be more than a day after today (" + today
                        + ")");
            }
            if (r.activeUntil().isAfter(lastDayOfTwoYears(r.activeFrom()))) {
                throw Problems.invalidField(field + ".activeUntil", "the active period is at most two years: until "
                        + lastDayOfTwoYears(r.activeFrom()) + " at the latest");
            }
            Map<Integer, Set<Link>> links = new HashMap<>();
            Set<Integer> seenRetired = new HashSet<>();
            for (int j = 0; j < r.pseudonyms().size(); j++) {
                SignalRecord.EpochPseudonyms ep = r.pseudonyms().get(j);
                String at = field + ".pseudonyms[" + j + "]";
                if (ep.epoch() < 1) {
                    throw Problems.invalidField(at + ".epoch", "must be a positive key epoch");
                }
                if (links.containsKey(ep.epoch()) || seenRetired.contains(ep.epoch())) {
                    throw Problems.invalidField(at + ".epoch", "epoch " + ep.epoch() + " appears more than once");
                }
                if (retired.contains(ep.epoch())) {
                    seenRetired.add(ep.epoch()); // a node that has not dropped it yet still sends it: not needed
                    continue;
                }
                Set<Link> set = new HashSet<>();
                Persons.Key youth = rekey(ep.youth(), ep.epoch(), at + ".youth");
                set.add(new Link('Y', youth));
                for (int k = 0; k < ep.parents().size(); k++) {
                    Persons.Key parent = rekey(ep.parents().get(k), ep.epoch(), at + ".parents[" + k + "]");
                    if (parent.equals(youth)) {
                        throw Problems.invalidField(at + ".parents[" + k + "]", "is the youth's own pseudonym");
                    }
                    if (!set.add(new Link('P', parent))) {
                        throw Problems.invalidField(at + ".parents[" + k + "]", "appears more than once");
                    }
                }
                links.put(ep.epoch(), set);
            }
            if (links.isEmpty()) {
                throw Problems.invalidField(field + ".pseudonyms", "carries only retired key epochs " + seenRetired
                        + "; send the pseudonyms of the current epoch");
            }
            parsed.add(new Parsed(i, r, links));
        }
        return parsed;
    }

    private Persons.Key rekey(String encoded, int epoch, String field) {
        Pseudonym pseudonym;
        try {
            pseudonym = Pseudonym.parse(encoded);
        } catch (IllegalArgumentException e) {
            throw Problems.invalidField(field, "is not a pseudonym (e<epoch>.<43 base64url characters>)");
        }
        if (pseudonym.epoch() != epoch) {
            throw Problems.invalidField(field, "was made under epoch " + pseudonym.epoch() + ", not " + epoch);
        }
        return new Persons.Key(rekeyer.rekey(pseudonym));
    }

    static Map<String, Stored> loadStored(Connection connection, String nodeId, List<Parsed> parsed)
            throws SQLException {
        Map<String, Stored> stored = new HashMap<>();
        Map<Long, String> refOf = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(KeyLookups.sql(connection, "ref",
                "s.id, s.ref, s.organisation, s.active_from, s.active_until", "signal s",
                "s.node_id = ? AND s.ref = q.ref"))) {
            select.setArray(1, SqlArrays.texts(connection, parsed.stream().map(p -> p.record().ref()).toList()));
            select.setString(2, nodeId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getString(2), new Stored(rs.getLong(1), rs.getString(3),
                            rs.getObject(4, LocalDate.class), rs.getObject(5, LocalDate.class), new HashMap<>()));
                    refOf.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        if (refOf.isEmpty()) {
            return stored;
        }
        try (PreparedStatement select = connection.prepareStatement(KeyLookups.sql(connection, "id",
                "sp.signal_id, sp.epoch, sp.role, sp.pseudonym", "signal_person sp", "sp.signal_id = q.id"))) {
            select.setArray(1, SqlArrays.longs(connection, refOf.keySet()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Stored s = stored.get(refOf.get(rs.getLong(1)));
                    s.links().computeIfAbsent(rs.getInt(2), e -> new HashSet<>())
                            .add(new Link(rs.getString(3).charAt(0), new Persons.Key(rs.getBytes(4))));
                }
            }
        }
        return stored;
    }

    private static Map<String, Long> insertSignals(Connection connection, String nodeId, List<Parsed> created,
                                                   LocalDate today, Instant now) throws SQLException {
        if (created.isEmpty()) {
            return Map.of();
        }
        BulkInsert insert = new BulkInsert("signal", "",
                column("node_id", SqlType.TEXT), column("ref", SqlType.TEXT), column("organisation", SqlType.TEXT),
                column("active_from", SqlType.DATE), column("active_until", SqlType.DATE),
                column("status", SqlType.TEXT), column("received_at", SqlType.TIMESTAMPTZ));
        for (Parsed p : created) {
            SignalRecord r = p.record();
            insert.add(nodeId, r.ref(), r.organisation(), r.activeFrom(), r.activeUntil(),
                    r.activeUntil().isBefore(today) ? "ARCHIVED" : "ACTIVE", now);
        }
        insert.execute(connection);
        Map<String, Long> ids = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(KeyLookups.sql(connection, "ref",
                "s.id, s.ref", "signal s", "s.node_id = ? AND s.ref = q.ref"))) {
            select.setArray(1, SqlArrays.texts(connection, created.stream().map(p -> p.record().ref()).toList()));
            select.setString(2, nodeId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(2), rs.getLong(1));
                }
            }
        }
        return ids;
    }

    static void insertLinks(Connection connection, Map<Long, Map<Integer, Set<Link>>> added) throws SQLException {
        // No ON CONFLICT: a link already there means the same batch raced its retry, and submit() tries again.
        BulkInsert insert = new BulkInsert("signal_person", "",
                column("signal_id", SqlType.BIGINT), column("pseudonym", SqlType.BYTEA), column("role", SqlType.TEXT),
                column("epoch", SqlType.INT));
        for (Map.Entry<Long, Map<Integer, Set<Link>>> signal : added.entrySet()) {
            for (Map.Entry<Integer, Set<Link>> epoch : signal.getValue().entrySet()) {
                for (Link link : epoch.getValue()) {
                    insert.add(signal.getKey(), link.person().bytes(), String.valueOf(link.role()), epoch.getKey());
                }
            }
        }
        insert.execute(connection);
    }
}
