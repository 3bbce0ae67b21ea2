package nl.betrokken.node.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.archive.ArchiveService;
import nl.betrokken.node.followup.FollowUpStats;

/**
 * The auditor's reports for a period, without identities: retention compliance (from the signals as they are now),
 * accesses by role and kind (from the log), the follow-up of matches (the gemeente's figures), objections (bezwaar:
 * counts, outcomes and handling times), and consents and the information exchange (counts, never who or what).
 */
@Singleton
class AuditReports {

    private final NodeAudit audit;
    private final FollowUpStats followUp;

    AuditReports(NodeAudit audit, FollowUpStats followUp) {
        this.audit = audit;
        this.followUp = followUp;
    }

    /**
     * Retention as it stands today. {@code activePastEnd}: ACTIVE signals whose {@code activeUntil} has passed (it is
     * at most the day before the 23rd birthday, so this counts those past the 23rd birthday too);
     * {@code archivedPastFiveYears}: ARCHIVED signals whose end lies more than five years back. Both are 0 once the
     * archive job ran today. The period's own archive runs, archived and erased signals are counted from the log.
     */
    @Serdeable
    record Retention(LocalDate today, long activePastEnd, long archivedPastFiveYears, boolean compliant,
                     @Nullable Instant lastArchiveRun, long archiveRunsInPeriod, long archivedInPeriod,
                     long erasedInPeriod) {
    }

    /** How many entries of a kind the accounts (or nodes, or jobs) of one role made in the period. */
    @Serdeable
    record Access(String role, String kind, long entries) {
    }

    @Serdeable
    record FollowUp(long matches, long followedUp, @Nullable Double followUpRate, long contactMade, long notNeeded,
                    long regieTaken, long overdue, long escalated, List<FollowUpStats.Row> perOrganisationAndMonth) {
    }

    /**
     * Consent and the information exchange at this node (region) in the period, without identities. From the log:
     * {@code asked}, requests this node's professionals asked ({@code consent.asked}); {@code partsGranted}, parts held
     * here (one per youth whose information would be shared) whose needed roles had all granted
     * ({@code consent.answered} that left the part GRANTED); {@code refused}, refusals of a part held here;
     * {@code withdrawn} and {@code expired}, parts held here that ended so ({@code consent.withdrawn},
     * {@code consent.expired}). From the messages as stored (so that exchanges still sealed under the Veilig Thuis
     * exception are counted too, but never opened): sent and received with a consent and without one (the exception);
     * and {@code exchangesRefused}, exchanges this node refused or saw refused ({@code exchange.refused}).
     */
    @Serdeable
    record Consents(long asked, long partsGranted, long refused, long withdrawn, long expired,
                    long sentWithConsent, long sentWithoutConsent, long receivedWithConsent,
                    long receivedWithoutConsent, long exchangesRefused) {
    }

    /**
     * The objections on this node's signals (bezwaar), without identities. {@code filed}: filed in the period;
     * {@code decided}, {@code upheld}, {@code rejected}: decided in the period (an objection CLOSED because its signal
     * was erased otherwise is neither, and not open once closed); {@code open}: filed and not decided at the period's
     * end (or now, when that is earlier), and of those {@code overdue}: past their deadline (six weeks after filing) on
     * that day; {@code adviceAsked}: asked for the professional's advice in the period. Handling times, in days from
     * filing to decision, of those decided in the period: the median and the longest (null when none was decided),
     * and how many were decided after their deadline.
     */
    @Serdeable
    record Objections(LocalDate asOf, long filed, long decided, long upheld, long rejected, long open, long overdue,
                      long adviceAsked, @Nullable Double medianDaysToDecision, @Nullable Long maxDaysToDecision,
                      long decidedAfterDeadline) {
    }

    @Serdeable
    record Report(String from, String to, Retention retention, List<Access> accessesByRole, long sealedEntries,
                  long refusedCalls, FollowUp followUp, Objections objections, Consents consents) {
    }

    Report report(String auditor, AuditReads.Period period) {
        audit.record(AuditReads.read(auditor, "reports").with("from", period.from()).with("to", period.to()));
        FollowUpStats.Report figures = followUp.report(YearMonth.from(period.from()).toString(),
                YearMonth.from(period.to()).toString());
        return audit.transactions().executeRead(status -> {
            Connection c = status.getConnection();
            LocalDate today = LocalDate.now(audit.clock());
            long activePastEnd = count(c, "SELECT count(*) FROM signal WHERE status = 'ACTIVE' AND active_until < ?",
                    today);
            long archivedPastFive = count(c, "SELECT count(*) FROM signal WHERE status = 'ARCHIVED'"
                    + " AND LEAST(COALESCE(ended_on, active_until), active_until) < ?",
                    today.minus(ArchiveService.ARCHIVE_PERIOD));
            Map<String, Long> byKind = new TreeMap<>();
            Map<String, Long> byRoleAndKind = new TreeMap<>();
            long sealed = 0;
            try (PreparedStatement select = c.prepareStatement("SELECT kind, actor, count(*) FROM audit_entry"
                    + " WHERE at >= ? AND at < ? GROUP BY kind, actor")) {
                select.setTimestamp(1, Timestamp.from(period.start()));
                select.setTimestamp(2, Timestamp.from(period.end()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        String kind = rs.getString(1);
                        long n = rs.getLong(3);
                        if (kind == null) {
                            sealed += n;
                            continue;
                        }
                        String actor = rs.getString(2);
                        String role = actor.substring(0, Math.max(actor.indexOf(':'), 0));
                        byKind.merge(kind, n, Long::sum);
                        byRoleAndKind.merge(role + "\u0000" + kind, n, Long::sum);
                    }
                }
            }
            Instant lastRun = null;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT max(at) FROM audit_entry WHERE kind = 'archive.run'");
                 ResultSet rs = select.executeQuery()) {
                if (rs.next() && rs.getTimestamp(1) != null) {
                    lastRun = rs.getTimestamp(1).toInstant();
                }
            }
            List<Access> accesses = new ArrayList<>();
            byRoleAndKind.forEach((key, n) -> {
                String[] parts = key.split("\u0000");
                accesses.add(new Access(parts[0], parts[1], n));
            });
            Retention retention = new Retention(today, activePastEnd, archivedPastFive,
                    activePastEnd == 0 && archivedPastFive == 0, lastRun, byKind.getOrDefault("archive.run", 0L),
                    byKind.getOrDefault("signal.archived", 0L), byKind.getOrDefault("signal.erased", 0L));
            long refused = refusedFederationCalls(c, period) + byKind.getOrDefault("checkpoint.refused", 0L);
            return new Report(period.from().toString(), period.to().toString(), retention, accesses, sealed, refused,
                    followUp(figures), objections(c, period, audit.clock().instant()), consents(c, period, byKind));
        });
    }

    /** The period's consents and exchanges ({@link Consents}); {@code byKind} holds the period's open entries by kind. */
    private static Consents consents(Connection c, AuditReads.Period period, Map<String, Long> byKind)
            throws SQLException {
        long[] answers = consentAnswers(c, period);
        long granted = answers[0];
        long refused = answers[1];
        long[] exchanges = new long[4]; // sent with, sent without, received with, received without
        try (PreparedStatement select = c.prepareStatement("SELECT direction, by_exception, count(*)"
                + " FROM exchange_message WHERE sent_at >= ? AND sent_at < ? GROUP BY direction, by_exception")) {
            select.setTimestamp(1, Timestamp.from(period.start()));
            select.setTimestamp(2, Timestamp.from(period.end()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    int at = ("SENT".equals(rs.getString(1)) ? 0 : 2) + (rs.getBoolean(2) ? 1 : 0);
                    exchanges[at] += rs.getLong(3);
                }
            }
        }
        return new Consents(byKind.getOrDefault("consent.asked", 0L), granted, refused,
                byKind.getOrDefault("consent.withdrawn", 0L), byKind.getOrDefault("consent.expired", 0L),
                exchanges[0], exchanges[1], exchanges[2], exchanges[3], byKind.getOrDefault("exchange.refused", 0L));
    }

    /**
     * The period's {@code consent.answered} entries: {@code [partsGranted, refused]} as {@link Consents} counts them (a
     * refusal, or an answer that left the part held here GRANTED).
     */
    static long[] consentAnswers(Connection c, AuditReads.Period period) throws SQLException {
        long granted = 0;
        long refused = 0;
        try (PreparedStatement select = c.prepareStatement("SELECT details FROM audit_entry"
                + " WHERE kind = 'consent.answered' AND at >= ? AND at < ?")) {
            select.setTimestamp(1, Timestamp.from(period.start()));
            select.setTimestamp(2, Timestamp.from(period.end()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String details = rs.getString(1);
                    if (details != null && details.contains("\"answer\":\"REFUSED\"")) {
                        refused++;
                    } else if (details != null && details.contains("\"part\":\"GRANTED\"")) {
                        granted++;
                    }
                }
            }
        }
        return new long[] {granted, refused};
    }

    /**
     * The refused calls of other nodes in the period: each {@code federation.refused} entry stands for one caller and
     * minute and carries how many calls it counts ({@code count}); sealed entries have no kind and are not read.
     */
    private static long refusedFederationCalls(Connection c, AuditReads.Period period) throws SQLException {
        long calls = 0;
        try (PreparedStatement select = c.prepareStatement("SELECT details FROM audit_entry"
                + " WHERE kind = 'federation.refused' AND at >= ? AND at < ?")) {
            select.setTimestamp(1, Timestamp.from(period.start()));
            select.setTimestamp(2, Timestamp.from(period.end()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    calls += countOf(rs.getString(1));
                }
            }
        }
        return calls;
    }

    /**
     * The {@code count} detail of an entry's details, or 1 for an entry without one. Details are a JSON object of
     * strings written by the audit log ({@code {"count":"12","reasons":"..."}}), and a count holds digits only.
     */
    private static long countOf(@Nullable String details) {
        Matcher m = details == null ? null : COUNT.matcher(details);
        return m != null && m.find() ? Long.parseLong(m.group(1)) : 1;
    }

    private static final Pattern COUNT = Pattern.compile("\"count\":\"(\\d{1,18})\"");

    /** The period's objections, from the {@code objection} table (its rows outlive an erased signal). */
    static Objections objections(Connection c, AuditReads.Period period, Instant now) throws SQLException {
        Instant asOf = now.isBefore(period.end()) ? now : period.end();
        LocalDate asOfDay = LocalDate.ofInstant(asOf.minusNanos(1), ClockFactory.ZONE);
        long filed = 0;
        long upheld = 0;
        long rejected = 0;
        long open = 0;
        long overdue = 0;
        long adviceAsked = 0;
        long late = 0;
        List<Long> days = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT filed_at, deadline, status, decided_at,"
                + " advice_asked_at FROM objection WHERE filed_at < ? AND (decided_at IS NULL OR decided_at >= ?)")) {
            select.setTimestamp(1, Timestamp.from(period.end()));
            select.setTimestamp(2, Timestamp.from(period.start()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Instant filedAt = rs.getTimestamp(1).toInstant();
                    LocalDate deadline = rs.getObject(2, LocalDate.class);
                    Timestamp decided = rs.getTimestamp(4);
                    Timestamp asked = rs.getTimestamp(5);
                    if (!filedAt.isBefore(period.start())) {
                        filed++;
                    }
                    if (asked != null && within(asked.toInstant(), period)) {
                        adviceAsked++;
                    }
                    if (filedAt.isBefore(asOf) && (decided == null || !decided.toInstant().isBefore(asOf))) {
                        open++;
                        if (deadline.isBefore(asOfDay)) {
                            overdue++;
                        }
                    }
                    // a CLOSED objection (its signal erased otherwise) has a decided_at but no decision: not counted
                    if (decided != null && within(decided.toInstant(), period) && !"CLOSED".equals(rs.getString(3))) {
                        if ("UPHELD".equals(rs.getString(3))) {
                            upheld++;
                        } else {
                            rejected++;
                        }
                        LocalDate decidedOn = LocalDate.ofInstant(decided.toInstant(), ClockFactory.ZONE);
                        days.add(ChronoUnit.DAYS.between(LocalDate.ofInstant(filedAt, ClockFactory.ZONE), decidedOn));
                        if (decidedOn.isAfter(deadline)) {
                            late++;
                        }
                    }
                }
            }
        }
        Collections.sort(days);
        int n = days.size();
        Double median = n == 0 ? null
                : n % 2 == 1 ? (double) days.get(n / 2) : (days.get(n / 2 - 1) + days.get(n / 2)) / 2.0;
        return new Objections(asOfDay, filed, upheld + rejected, upheld, rejected, open, overdue, adviceAsked, median,
                n == 0 ? null : days.get(n - 1), late);
    }

    private static boolean within(Instant at, AuditReads.Period period) {
        return !at.isBefore(period.start()) && at.isBefore(period.end());
    }

    private static FollowUp followUp(FollowUpStats.Report figures) {
        long matches = 0;
        long followedUp = 0;
        long contactMade = 0;
        long notNeeded = 0;
        long regie = 0;
        long overdue = 0;
        long escalated = 0;
        for (FollowUpStats.Row r : figures.rows()) {
            matches += r.matches();
            followedUp += r.followedUp();
            contactMade += r.contactMade();
            notNeeded += r.notNeeded();
            regie += r.regieTaken();
            overdue += r.overdue();
            escalated += r.escalated();
        }
        return new FollowUp(matches, followedUp, matches == 0 ? null : Math.round(1000.0 * followedUp / matches) / 1000.0,
                contactMade, notNeeded, regie, overdue, escalated, figures.rows());
    }

    private static long count(Connection c, String sql, LocalDate day) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setObject(1, day);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
