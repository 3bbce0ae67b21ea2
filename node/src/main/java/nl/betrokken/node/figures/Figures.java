package nl.betrokken.node.figures;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.audit.RegionCounts;
import nl.betrokken.node.followup.FollowUpStats;
import nl.betrokken.node.notify.Notifications;
import nl.betrokken.node.notify.StatsView;
import nl.betrokken.node.organisation.OrganisationService;
import nl.betrokken.node.organisation.OrganisationView;
import nl.betrokken.problem.Problems;

/**
 * The region's figures for the gemeente and the matchcoördinator (docs/node.md, "Figures"), per month of the Dutch
 * calendar: signals per organisation and sector, matches within and across regions by type, follow-up (from
 * {@link FollowUpStats}), notification delivery (from {@link Notifications#counts}), objections and consents (by the
 * audit report's rules, {@link RegionCounts}), and which organisations (and whether the region) sent no signal in the
 * last {@value #SILENT_DAYS} days; and, from the coordinator ({@link CoordinatorRegions}), every region's signals
 * received in those days and which regions sent none. Only organisations, regions, sectors, months and counts: never a
 * BSN, name, birth date or professional. Small counts are shown as they are (docs/decisions.md). Every read is a {@code figures.read} entry.
 */
@Singleton
public class Figures {

    /** At most this many months in one answer (as {@link FollowUpStats}). */
    public static final int MAX_MONTHS = 24;
    /** An organisation without a signal for this many days (or since its admission, when later) is silent. */
    public static final int SILENT_DAYS = 30;
    /** The first and last years a period may name (API and page). */
    public static final int FIRST_YEAR = 2000;
    public static final int LAST_YEAR = 2100;

    private final TransactionOperations<Connection> transactions;
    private final OrganisationService organisations;
    private final FollowUpStats followUp;
    private final Notifications notifications;
    private final NodeAudit audit;
    private final NodeConfiguration node;
    private final CoordinatorRegions regions;
    private final Clock clock;

    Figures(TransactionOperations<Connection> transactions, OrganisationService organisations, FollowUpStats followUp,
            Notifications notifications, NodeAudit audit, NodeConfiguration node, CoordinatorRegions regions,
            Clock clock) {
        this.regions = regions;
        this.transactions = transactions;
        this.organisations = organisations;
        this.followUp = followUp;
        this.notifications = notifications;
        this.audit = audit;
        this.node = node;
        this.clock = clock;
    }

    /** The months {@code from} to {@code to}, both included. */
    public record Months(YearMonth from, YearMonth to) {

        /** Why two months make no period. */
        public enum Refusal { TO_BEFORE_FROM, TOO_LONG }

        /** What is wrong with {@code to}, or null: the API's and the page's one rule. */
        public static @Nullable Refusal refused(YearMonth from, YearMonth to) {
            if (to.isBefore(from)) {
                return Refusal.TO_BEFORE_FROM;
            }
            return from.plusMonths(MAX_MONTHS - 1L).isBefore(to) ? Refusal.TOO_LONG : null;
        }

        /** The API's months (YYYY-MM), or a 400 naming {@code from} or {@code to}. */
        public static Months parse(@Nullable String from, @Nullable String to) {
            YearMonth f = month("from", from);
            YearMonth t = month("to", to);
            Refusal refusal = refused(f, t);
            if (refusal == Refusal.TO_BEFORE_FROM) {
                throw Problems.invalidField("to", "must not be before from");
            }
            if (refusal == Refusal.TOO_LONG) {
                throw Problems.invalidField("to", "at most " + MAX_MONTHS + " months from from");
            }
            return new Months(f, t);
        }

        /** The last twelve months, this one included. */
        public static Months lastYear(Clock clock) {
            YearMonth now = YearMonth.now(clock);
            return new Months(now.minusMonths(11), now);
        }

        List<YearMonth> each() {
            List<YearMonth> out = new ArrayList<>();
            for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) {
                out.add(m);
            }
            return out;
        }

        private static YearMonth month(String field, @Nullable String text) {
            if (text == null || text.isBlank()) {
                throw Problems.invalidField(field, "is required, as YYYY-MM");
            }
            YearMonth m;
            try {
                m = YearMonth.parse(text.strip());
            } catch (DateTimeParseException e) {
                throw Problems.invalidField(field, "must be a month as YYYY-MM");
            }
            // YearMonth takes signed years of nine digits, which no database timestamp holds.
            if (m.getYear() < FIRST_YEAR || m.getYear() > LAST_YEAR) {
                throw Problems.invalidField(field, "must be a month from " + FIRST_YEAR + " to " + LAST_YEAR);
            }
            return m;
        }
    }

    /**
     * Silence as of {@code today}: an organisation taking part (status ACTIVE) that registered no signal since
     * {@code since} ({@value #SILENT_DAYS} days back), or since its admission when that is later, is silent; the region
     * is silent when none of its signals was registered since {@code since}. {@code regionLastSignal}: the day of the
     * region's newest signal (absent when there is none). {@code silentRegions}: the regions (node ids) from which
     * the coordinator received no signal since {@code since}; absent when the coordinator did not answer.
     */
    @Serdeable
    public record Silence(LocalDate today, LocalDate since, @Nullable LocalDate regionLastSignal, boolean regionSilent,
                          List<String> silentOrganisations, @Nullable List<String> silentRegions) {
    }

    /**
     * One region of the federation (an enrolled node, by its id), as the coordinator counts it: the signals it received
     * from the region since {@link Silence#since()}, the day of the region's newest signal it holds, and whether the
     * region is silent (none received since then).
     */
    @Serdeable
    public record RegionRow(String node, long signalsReceived, @Nullable LocalDate lastSignalOn, boolean silent) {
    }

    /** A count in one month. */
    @Serdeable
    public record MonthCount(String month, int count) {
    }

    /**
     * One organisation of the region: its signals registered per month (in the order of {@code months}) and in the
     * period, the day of its newest signal, and whether it is silent.
     */
    @Serdeable
    public record OrganisationRow(String organisationId, String organisation, @Nullable String sector, String status,
                                  List<Integer> perMonth, int total, @Nullable LocalDate lastSignalOn,
                                  boolean silent) {
    }

    /** The signals of one sector's organisations per month (absent {@code sector}: organisations without one). */
    @Serdeable
    public record SectorRow(@Nullable String sector, List<Integer> perMonth, int total) {
    }

    /**
     * Matches made in a month (not withdrawn), counted once each however many of its sides are here: within the
     * region (both signals at this node) or across (the counterpart is another node), child or family.
     */
    @Serdeable
    public record MatchRow(String month, int childWithin, int childAcross, int familyWithin, int familyAcross) {
    }

    /** This node's sides of matches made in a month and their follow-up ({@link FollowUpStats}, summed). */
    @Serdeable
    public record FollowUpRow(String month, int matches, int followedUp, @Nullable Double followUpRate, int overdue,
                              int escalated) {
    }

    /** The same per organisation, over the period. */
    @Serdeable
    public record FollowUpOrganisationRow(String organisationId, String organisation, int matches, int followedUp,
                                          @Nullable Double followUpRate, int overdue, int escalated) {
    }

    /** The notifications made in a month and their delivery per channel ({@link StatsView}). */
    @Serdeable
    public record NotificationRow(String month, long notifications, StatsView.Channel email,
                                  StatsView.Channel webhook) {
    }

    /** Objections in a month: filed, upheld and rejected in it, open at its end (or today). */
    @Serdeable
    public record ObjectionRow(String month, long filed, long upheld, long rejected, long open) {
    }

    /** Consents in a month: asked, granted, refused, withdrawn. */
    @Serdeable
    public record ConsentRow(String month, long asked, long granted, long refused, long withdrawn) {
    }

    /** The figures of a period. */
    @Serdeable
    public record Report(String from, String to, List<String> months, Silence silence, List<MonthCount> signals,
                         List<OrganisationRow> organisations, List<SectorRow> sectors, List<MatchRow> matches,
                         List<FollowUpRow> followUp, List<FollowUpOrganisationRow> followUpPerOrganisation,
                         List<NotificationRow> notifications, List<ObjectionRow> objections,
                         List<ConsentRow> consents, @Nullable List<RegionRow> regions) {
    }

    /**
     * The figures of {@code months}, read by {@code actor} ({@code gemeente:…} or {@code matchcoord:…}); the read is a
     * {@code figures.read} entry naming the months and {@code what} (the whole report, or a table's name). The regions
     * are asked of the coordinator for the whole report and the regions' table only; absent when it does not answer.
     */
    public Report report(String actor, Months months, String what) {
        audit.record(AuditEvent.of("figures.read", actor, "figures:" + NodeAudit.reference(what))
                .with("from", months.from()).with("to", months.to()));
        List<YearMonth> each = months.each();
        Map<YearMonth, Integer> index = new HashMap<>();
        each.forEach(m -> index.put(m, index.size()));
        LocalDate today = LocalDate.now(clock);
        LocalDate since = today.minusDays(SILENT_DAYS);
        Instant now = clock.instant();

        List<OrganisationView> orgs = organisations.list();
        Map<String, int[]> perOrganisation = new LinkedHashMap<>();
        Map<String, LocalDate> lastSignal = new HashMap<>();
        Map<YearMonth, int[]> matchCounts = new TreeMap<>();
        List<NotificationRow> notificationRows = new ArrayList<>();
        List<ObjectionRow> objectionRows = new ArrayList<>();
        List<ConsentRow> consentRows = new ArrayList<>();
        transactions.executeRead(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement select = c.prepareStatement("SELECT organisation_id, registered_on, count(*)"
                    + " FROM signal WHERE registered_on >= ? AND registered_on <= ?"
                    + " GROUP BY organisation_id, registered_on")) {
                select.setObject(1, months.from().atDay(1));
                select.setObject(2, months.to().atEndOfMonth());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        Integer at = index.get(YearMonth.from(rs.getObject(2, LocalDate.class)));
                        perOrganisation.computeIfAbsent(rs.getString(1), k -> new int[each.size()])[at] += rs.getInt(3);
                    }
                }
            }
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT organisation_id, max(registered_on) FROM signal GROUP BY organisation_id");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    lastSignal.put(rs.getString(1), rs.getObject(2, LocalDate.class));
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT match_id, match_type,"
                    + " max(CASE WHEN counterpart_node <> ? THEN 1 ELSE 0 END), min(created_at) FROM node_match"
                    + " WHERE status <> 'WITHDRAWN' AND created_at >= ? AND created_at < ?"
                    + " GROUP BY match_id, match_type")) {
                select.setString(1, node.nodeId());
                select.setTimestamp(2, Timestamp.from(months.from().atDay(1).atStartOfDay(clock.getZone())
                        .toInstant()));
                select.setTimestamp(3, Timestamp.from(months.to().plusMonths(1).atDay(1)
                        .atStartOfDay(clock.getZone()).toInstant()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        YearMonth m = YearMonth.from(rs.getTimestamp(4).toInstant().atZone(clock.getZone()));
                        int column = ("FAMILY".equals(rs.getString(2)) ? 2 : 0) + (rs.getInt(3) == 1 ? 1 : 0);
                        matchCounts.computeIfAbsent(m, k -> new int[4])[column]++;
                    }
                }
            }
            for (YearMonth m : each) {
                LocalDate first = m.atDay(1);
                LocalDate last = m.atEndOfMonth();
                RegionCounts.Objections o = RegionCounts.objections(c, first, last, now);
                objectionRows.add(new ObjectionRow(m.toString(), o.filed(), o.upheld(), o.rejected(), o.open()));
                RegionCounts.Consents k = RegionCounts.consents(c, first, last);
                consentRows.add(new ConsentRow(m.toString(), k.asked(), k.granted(), k.refused(), k.withdrawn()));
            }
            return null;
        });
        for (YearMonth m : each) {
            StatsView.Counts n = notifications.counts(m.atDay(1).atStartOfDay(clock.getZone()).toInstant(),
                    m.plusMonths(1).atDay(1).atStartOfDay(clock.getZone()).toInstant());
            notificationRows.add(new NotificationRow(m.toString(), n.notifications(), n.email(), n.webhook()));
        }

        List<OrganisationRow> organisationRows = new ArrayList<>();
        Map<String, int[]> perSector = new TreeMap<>();
        int[] perMonth = new int[each.size()];
        List<String> silent = new ArrayList<>();
        for (OrganisationView o : orgs) {
            int[] counts = perOrganisation.getOrDefault(o.id(), new int[each.size()]);
            int total = sum(counts);
            boolean active = OrganisationService.ACTIVE.equals(o.status());
            if (!active && total == 0) {
                continue; // suspended or removed and without signals in the period: nothing to show
            }
            LocalDate last = lastSignal.get(o.id());
            LocalDate admitted = o.admittedAt() == null ? null : LocalDate.ofInstant(o.admittedAt(), clock.getZone());
            LocalDate from = admitted != null && admitted.isAfter(since) ? admitted : since;
            boolean isSilent = active && (last == null || last.isBefore(from));
            if (isSilent) {
                silent.add(o.id());
            }
            organisationRows.add(new OrganisationRow(o.id(), o.name(), o.sector(), o.status(), list(counts), total,
                    last, isSilent));
            int[] sector = perSector.computeIfAbsent(o.sector() == null ? "" : o.sector(), k -> new int[each.size()]);
            for (int i = 0; i < counts.length; i++) {
                sector[i] += counts[i];
                perMonth[i] += counts[i];
            }
        }
        List<SectorRow> sectorRows = new ArrayList<>();
        perSector.forEach((s, counts) -> sectorRows.add(new SectorRow(s.isEmpty() ? null : s, list(counts),
                sum(counts))));
        List<MonthCount> signalRows = new ArrayList<>();
        List<MatchRow> matchRows = new ArrayList<>();
        for (YearMonth m : each) {
            signalRows.add(new MonthCount(m.toString(), perMonth[index.get(m)]));
            int[] k = matchCounts.getOrDefault(m, new int[4]);
            matchRows.add(new MatchRow(m.toString(), k[0], k[1], k[2], k[3]));
        }
        LocalDate regionLast = lastSignal.values().stream().max(LocalDate::compareTo).orElse(null);
        List<RegionRow> regionRows = "report".equals(what) || FigureTables.REGIONS.equals(what)
                ? regions(actor, since, today) : null;
        Silence silence = new Silence(today, since, regionLast, regionLast == null || regionLast.isBefore(since),
                silent, regionRows == null ? null
                : regionRows.stream().filter(RegionRow::silent).map(RegionRow::node).toList());

        FollowUpStats.Report f = followUp.report(months.from().toString(), months.to().toString());
        Map<String, int[]> followUpByMonth = new TreeMap<>();
        Map<String, int[]> followUpByOrganisation = new TreeMap<>();
        Map<String, String> names = new HashMap<>();
        for (FollowUpStats.Row r : f.rows()) {
            add(followUpByMonth.computeIfAbsent(r.month(), k -> new int[4]), r);
            add(followUpByOrganisation.computeIfAbsent(r.organisationId(), k -> new int[4]), r);
            names.put(r.organisationId(), r.organisation());
        }
        List<FollowUpRow> followUpRows = new ArrayList<>();
        for (YearMonth m : each) {
            int[] k = followUpByMonth.getOrDefault(m.toString(), new int[4]);
            followUpRows.add(new FollowUpRow(m.toString(), k[0], k[1], rate(k[1], k[0]), k[2], k[3]));
        }
        List<FollowUpOrganisationRow> followUpOrganisations = new ArrayList<>();
        followUpByOrganisation.forEach((id, k) -> followUpOrganisations.add(new FollowUpOrganisationRow(id,
                names.get(id), k[0], k[1], rate(k[1], k[0]), k[2], k[3])));
        followUpOrganisations.sort((a, b) -> a.organisation().compareToIgnoreCase(b.organisation()));

        return new Report(months.from().toString(), months.to().toString(),
                each.stream().map(YearMonth::toString).toList(), silence, signalRows, organisationRows, sectorRows,
                matchRows, followUpRows, followUpOrganisations, notificationRows, objectionRows, consentRows,
                regionRows);
    }

    /** The coordinator's regions since {@code since}, asked for the actor's role; null when it does not answer. */
    private @Nullable List<RegionRow> regions(String actor, LocalDate since, LocalDate today) {
        List<CoordinatorRegions.Region> answer = regions.between(
                actor.startsWith("matchcoord:") ? "matchcoordinator" : "gemeente", since, today);
        return answer == null ? null : answer.stream().map(r -> new RegionRow(r.node(), r.signalsReceived(),
                r.lastSignalOn(), r.signalsReceived() == 0)).toList();
    }

    private static void add(int[] into, FollowUpStats.Row r) {
        into[0] += r.matches();
        into[1] += r.followedUp();
        into[2] += r.overdue();
        into[3] += r.escalated();
    }

    /** {@code part / whole} to three decimals, as {@link FollowUpStats}; absent when {@code whole} is 0. */
    private static @Nullable Double rate(int part, int whole) {
        return whole == 0 ? null : Math.round(1000.0 * part / whole) / 1000.0;
    }

    private static int sum(int[] counts) {
        int total = 0;
        for (int n : counts) {
            total += n;
        }
        return total;
    }

    private static List<Integer> list(int[] counts) {
        List<Integer> out = new ArrayList<>(counts.length);
        for (int n : counts) {
            out.add(n);
        }
        return out;
    }
}
