package nl.betrokken.coordinator.inzage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.coordinator.audit.CoordinatorAudit;
import nl.betrokken.coordinator.intake.EpochRetirement;
import nl.betrokken.coordinator.keys.Rekeyer;
import nl.betrokken.coordinator.matching.Persons;
import nl.betrokken.coordinator.sql.KeyLookups;
import nl.betrokken.coordinator.sql.SqlArrays;
import nl.betrokken.coordinator.sql.SqlType;
import nl.betrokken.crypto.pseudonym.Pseudonym;
import nl.betrokken.problem.Problems;

/**
 * Finds the signals a signed-in person may see, from their pseudonyms under every accepted epoch:
 * <ul>
 *   <li>SELF: every signal whose youth is the person;</li>
 *   <li>PARENT: every signal that names the person as a parent, and every other signal about a youth of one of those
 *       signals. A child counts only through a signal that names this person as its parent: a child signalled
 *       elsewhere with only the other parent named is not found through that other parent.</li>
 * </ul>
 * Each signal appears once; SELF wins over PARENT. Active and archived signals alike (an erased one is gone). Each
 * pseudonym is re-keyed as at intake; pseudonyms under a retired epoch are ignored, and a request with no other epoch
 * is refused, since its empty answer would look complete. The look-ups are by key (the persons' links, the children
 * named in those signals, the children's links, the signals), a handful of indexed queries whatever the tables hold.
 *
 * <p>Nothing of the request is stored: the only trace is one {@code inzage.lookup} audit entry with the asking node
 * and the count of signals, never a pseudonym or a re-keyed value.
 */
@Singleton
public class InzageLookup {

    private final TransactionOperations<Connection> transactions;
    private final Rekeyer rekeyer;
    private final InzageTickets tickets;
    private final CoordinatorAudit audit;

    InzageLookup(TransactionOperations<Connection> transactions, Rekeyer rekeyer, InzageTickets tickets,
                 CoordinatorAudit audit) {
        this.transactions = transactions;
        this.rekeyer = rekeyer;
        this.tickets = tickets;
        this.audit = audit;
    }

    private record Found(long id, String node, String ref) {
    }

    public InzageAnswer lookup(String askerNodeId, InzageRequest request) {
        InzageAnswer answer = find(askerNodeId, request, false);
        audit.record(AuditEvent.of("inzage.lookup", "node:" + askerNodeId, "inzage:" + askerNodeId)
                .with("signals", answer.signals().size()));
        return answer;
    }

    /**
     * The Veilig Thuis look-up: only the signals whose youth is the person (not those naming them as a parent), each
     * with a ticket of relation {@link Relation#VEILIG_THUIS}. The asking node vouched for its user's role; the
     * reason for the look-up stays at the nodes. The trace is one {@code inzage.veilig-thuis-lookup} entry with the
     * asking node and the count.
     */
    public InzageAnswer lookupYouth(String askerNodeId, InzageRequest request) {
        InzageAnswer answer = find(askerNodeId, request, true);
        audit.record(AuditEvent.of("inzage.veilig-thuis-lookup", "node:" + askerNodeId + ":veilig-thuis",
                "inzage:" + askerNodeId).with("signals", answer.signals().size()));
        return answer;
    }

    private InzageAnswer find(String askerNodeId, InzageRequest request, boolean youthOnly) {
        Set<Integer> retired = transactions.executeRead(status -> EpochRetirement.retired(status.getConnection()));
        List<byte[]> keys = rekey(request, retired);
        Map<Long, Relation> relations = new LinkedHashMap<>();
        Relation self = youthOnly ? Relation.VEILIG_THUIS : Relation.SELF;
        List<Found> found = transactions.executeRead(status -> {
            Connection c = status.getConnection();
            KeyLookups.begin(c);
            Set<Long> parentOf = new HashSet<>();
            for (long[] link : links(c, keys)) {
                if (link[1] == 'Y') {
                    relations.put(link[0], self);
                } else {
                    parentOf.add(link[0]);
                }
            }
            if (!youthOnly) {
                Set<Long> parental = new HashSet<>(parentOf);
                for (long[] link : links(c, youthsOf(c, parentOf))) {
                    if (link[1] == 'Y') {
                        parental.add(link[0]);
                    }
                }
                parental.forEach(id -> relations.putIfAbsent(id, Relation.PARENT));
            }
            return signals(c, relations.keySet());
        });
        List<InzageAnswer.Signal> answer = new ArrayList<>();
        for (Found f : found) {
            Relation relation = relations.get(f.id());
            answer.add(new InzageAnswer.Signal(f.node(), f.ref(), relation,
                    tickets.issue(f.node(), f.ref(), askerNodeId, relation)));
        }
        return new InzageAnswer(answer);
    }

    /** The re-keyed pseudonyms, those under a retired epoch left out; refuses what intake would refuse. */
    private List<byte[]> rekey(InzageRequest request, Set<Integer> retired) {
        List<byte[]> keys = new ArrayList<>();
        Set<Integer> epochs = new HashSet<>();
        for (int i = 0; i < request.pseudonyms().size(); i++) {
            InzageRequest.EpochPerson p = request.pseudonyms().get(i);
            String at = "pseudonyms[" + i + "]";
            if (p.epoch() < 1) {
                throw Problems.invalidField(at + ".epoch", "must be a positive key epoch");
            }
            if (!epochs.add(p.epoch())) {
                throw Problems.invalidField(at + ".epoch", "epoch " + p.epoch() + " appears more than once");
            }
            if (retired.contains(p.epoch())) {
                continue; // a node that has not dropped the epoch yet still sends it: nothing is linked under it
            }
            Pseudonym pseudonym;
            try {
                pseudonym = Pseudonym.parse(p.person());
            } catch (IllegalArgumentException e) {
                throw Problems.invalidField(at + ".person", "is not a pseudonym (e<epoch>.<43 base64url characters>)");
            }
            if (pseudonym.epoch() != p.epoch()) {
                throw Problems.invalidField(at + ".person", "was made under epoch " + pseudonym.epoch() + ", not "
                        + p.epoch());
            }
            keys.add(rekeyer.rekey(pseudonym));
        }
        if (keys.isEmpty()) {
            throw Problems.invalidField("pseudonyms", "carries only retired key epochs " + epochs
                    + "; send the pseudonyms of the current epoch");
        }
        return keys;
    }

    /** The links naming one of the persons {@code keys} (re-keyed pseudonyms): {signal id, role}. */
    private static List<long[]> links(Connection c, List<byte[]> keys) throws SQLException {
        List<long[]> links = new ArrayList<>();
        if (keys.isEmpty()) {
            return links;
        }
        try (PreparedStatement select = c.prepareStatement(KeyLookups.sql(c, "k", "sp.signal_id, sp.role",
                "signal_person sp", "sp.pseudonym = q.k"))) {
            select.setArray(1, SqlArrays.of(c, SqlType.BYTEA, keys));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    links.add(new long[] {rs.getLong(1), rs.getString(2).charAt(0)});
                }
            }
        }
        return links;
    }

    /** The youths of the signals {@code ids}, as re-keyed pseudonyms, each once. */
    private static List<byte[]> youthsOf(Connection c, Collection<Long> ids) throws SQLException {
        Set<Persons.Key> youths = new HashSet<>();
        if (!ids.isEmpty()) {
            try (PreparedStatement select = c.prepareStatement(KeyLookups.sql(c, "id", "sp.pseudonym, sp.role",
                    "signal_person sp", "sp.signal_id = q.id"))) {
                select.setArray(1, SqlArrays.longs(c, ids));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        if ("Y".equals(rs.getString(2))) {
                            youths.add(new Persons.Key(rs.getBytes(1)));
                        }
                    }
                }
            }
        }
        return youths.stream().map(Persons.Key::bytes).toList();
    }

    /** The signals still held, by node and reference. */
    private static List<Found> signals(Connection c, Collection<Long> ids) throws SQLException {
        List<Found> out = new ArrayList<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement select = c.prepareStatement(
                KeyLookups.sql(c, "id", "s.id, s.node_id, s.ref", "signal s", "s.id = q.id"))) {
            select.setArray(1, SqlArrays.longs(c, ids));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    out.add(new Found(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        out.sort(Comparator.comparing(Found::node).thenComparing(Found::ref));
        return out;
    }
}
