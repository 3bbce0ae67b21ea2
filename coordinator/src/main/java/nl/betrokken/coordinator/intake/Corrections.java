package nl.betrokken.coordinator.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.coordinator.audit.CoordinatorAudit;
import nl.betrokken.coordinator.consent.ConsentRegister;
import nl.betrokken.coordinator.feed.FeedKind;
import nl.betrokken.coordinator.feed.FeedNotifier;
import nl.betrokken.coordinator.feed.FeedWriter;
import nl.betrokken.coordinator.matching.Match;
import nl.betrokken.coordinator.matching.MatchingJob;
import nl.betrokken.coordinator.matching.Persons;
import nl.betrokken.coordinator.sql.KeyLookups;
import nl.betrokken.coordinator.sql.Updates;
import nl.betrokken.coordinator.stats.StatsRecorder;
import nl.betrokken.problem.Problems;

/**
 * A node corrects signals it submitted before (a professional fixed the birth date or the parents): the record
 * {@code POST /internal/v1/signals/correct} carries is the signal as it is now, and replaces what is stored.
 *
 * <ul>
 *   <li>The same {@code activeFrom} (409 naming the field otherwise), and the same youth under every epoch both know
 *       (409 naming {@code pseudonyms}): a signal on another youth is a new signal. The organisation reference the
 *       coordinator knew stays: a signal handed to another organisation (its own was removed) carries the new one.</li>
 *   <li>{@code activeUntil} may change (a corrected birth date moves the 23rd birthday), within the two years.</li>
 *   <li>The persons' links are replaced by the record's. Each match of the signal whose two signals no longer share a
 *       person in the same role (a removed parent was the only one in common) is deleted, its open consents end, and
 *       both sides get {@code MATCH_WITHDRAWN}.</li>
 *   <li>An active signal is queued for the matcher, which finds the pairs the correction makes (a parent added) and
 *       skips the pairs already matched.</li>
 *   <li>The same correction again is {@code UNCHANGED}; an archived signal is not corrected ({@code UNCHANGED}); a
 *       reference this coordinator does not hold is {@code UNKNOWN}.</li>
 * </ul>
 * All of a batch in one transaction, under the matcher lock (as an end or an erase), so no pass sees half of it.
 */
@Singleton
public class Corrections {

    private final TransactionOperations<Connection> transactions;
    private final IntakeService intake;
    private final MatchingJob matching;
    private final FeedNotifier notifier;
    private final ConsentRegister consents;
    private final CoordinatorAudit audit;
    private final Clock clock;

    Corrections(TransactionOperations<Connection> transactions, IntakeService intake, MatchingJob matching,
                FeedNotifier notifier, ConsentRegister consents, CoordinatorAudit audit, Clock clock) {
        this.transactions = transactions;
        this.intake = intake;
        this.matching = matching;
        this.notifier = notifier;
        this.consents = consents;
        this.audit = audit;
        this.clock = clock;
    }

    public IntakeResult correct(String nodeId, SignalBatch batch) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, clock.getZone());
        List<IntakeService.Parsed> parsed = intake.parse(batch, today, intake.retired());
        List<Match> withdrawn = new ArrayList<>();
        IntakeResult result;
        for (int attempt = 1; ; attempt++) {
            try {
                withdrawn.clear();
                result = store(nodeId, parsed, today, now, withdrawn);
                break;
            } catch (Exception e) {
                if (attempt == 3 || !IntakeService.raced(e)) {
                    throw e;
                }
            }
        }
        notifier.wake(withdrawn);
        matching.wake();
        return result;
    }

    private IntakeResult store(String nodeId, List<IntakeService.Parsed> parsed, LocalDate today, Instant now,
                               List<Match> withdrawn) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            MatchingJob.lock(c);
            KeyLookups.begin(c);
            Map<String, IntakeService.Stored> stored = IntakeService.loadStored(c, nodeId, parsed);
            List<IntakeResult.Item> items = new ArrayList<>();
            Set<Long> fresh = new TreeSet<>();
            int corrected = 0;
            for (IntakeService.Parsed p : parsed) {
                SignalRecord r = p.record();
                IntakeService.Stored s = stored.get(r.ref());
                if (s == null) {
                    items.add(new IntakeResult.Item(r.ref(), IntakeResult.Outcome.UNKNOWN));
                    continue;
                }
                check(p, s);
                if (s.until().equals(r.activeUntil()) && s.links().equals(p.links()) || archived(c, s.id())) {
                    items.add(new IntakeResult.Item(r.ref(), IntakeResult.Outcome.UNCHANGED));
                    continue;
                }
                try (PreparedStatement update = c.prepareStatement("UPDATE signal SET active_until = ? WHERE id = ?")) {
                    update.setObject(1, r.activeUntil());
                    update.setLong(2, s.id());
                    update.executeUpdate();
                }
                Updates.withEveryParameter(c, "DELETE FROM signal_person WHERE signal_id = ?", s.id());
                IntakeService.insertLinks(c, Map.of(s.id(), p.links()));
                for (Match m : LifecycleService.matchesOf(c, s.id())) {
                    if (!sharePerson(c, m)) {
                        Updates.withEveryParameter(c, "DELETE FROM signal_match WHERE id = ?", m.id());
                        withdrawn.add(m);
                    }
                }
                if (IntakeService.isActive(r, today)) {
                    fresh.add(s.id());
                }
                corrected++;
                items.add(new IntakeResult.Item(r.ref(), IntakeResult.Outcome.CORRECTED));
            }
            IntakeService.queue(c, fresh);
            if (corrected > 0) {
                MatchingJob.linksChanged(c); // links and periods changed: the matchers read their memory anew
            }
            // After the match rows' deletion, before the feeds (lock order: matches, consents, feed heads).
            consents.endForMatches(c, nodeId, withdrawn.stream().map(Match::id).toList());
            FeedWriter.append(c, withdrawn, FeedKind.MATCH_WITHDRAWN, now);
            StatsRecorder.record(c, today, StatsRecorder.MATCHES_WITHDRAWN, withdrawn.size());
            audit.record(c, AuditEvent.of("signals.corrected", "node:" + nodeId, "batch:" + nodeId)
                    .with("records", parsed.size()).with("corrected", corrected)
                    .with("matchesWithdrawn", withdrawn.size()).with("queuedForMatching", fresh.size()));
            return new IntakeResult(items);
        });
    }

    /**
     * Refuses a correction that would make the signal another one: another start or youth. Another organisation
     * reference is no refusal: a node hands a signal to another organisation when the gemeente removes its own
     * (node organisation/), and the coordinator keeps the reference it knew the signal by.
     */
    private static void check(IntakeService.Parsed p, IntakeService.Stored s) {
        String field = "signals[" + p.index() + "]";
        SignalRecord r = p.record();
        if (!s.from().equals(r.activeFrom())) {
            throw Problems.conflict("signal-conflict", "Signal reference already used", field + ".activeFrom",
                    "a correction keeps the day signal " + r.ref() + " became active");
        }
        boolean common = false;
        for (Map.Entry<Integer, Set<IntakeService.Link>> e : p.links().entrySet()) {
            Set<IntakeService.Link> known = s.links().get(e.getKey());
            if (known != null) {
                common = true;
                if (!youth(known).equals(youth(e.getValue()))) {
                    throw Problems.conflict("signal-conflict", "Signal reference already used", field + ".pseudonyms",
                            "a correction cannot change the youth of signal " + r.ref() + "; erase it and submit a"
                                    + " new signal");
                }
            }
        }
        if (!common) {
            throw Problems.conflict("signal-conflict", "Signal reference already used", field + ".pseudonyms",
                    "a correction must carry an epoch signal " + r.ref() + " was submitted under");
        }
    }

    private static Set<Persons.Key> youth(Set<IntakeService.Link> links) {
        return links.stream().filter(l -> l.role() == 'Y').map(IntakeService.Link::person)
                .collect(java.util.stream.Collectors.toSet());
    }

    private static boolean archived(Connection c, long id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT status FROM signal WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return !rs.next() || "ARCHIVED".equals(rs.getString(1));
            }
        }
    }

    /** Whether the match's two signals still name a person in the same role, under any epoch: the match holds. */
    private static boolean sharePerson(Connection c, Match m) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT 1 FROM signal_person a JOIN signal_person b ON b.pseudonym = a.pseudonym AND b.role = a.role"
                        + " JOIN signal lo ON lo.id = a.signal_id JOIN signal hi ON hi.id = b.signal_id"
                        + " WHERE lo.node_id = ? AND lo.ref = ? AND hi.node_id = ? AND hi.ref = ?")) {
            select.setString(1, m.low().nodeId());
            select.setString(2, m.low().ref());
            select.setString(3, m.high().nodeId());
            select.setString(4, m.high().ref());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }
}
