package nl.betrokken.node.followup;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;

import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.node.match.Contact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flags matches whose follow-up is overdue, each once: a match of this node's side that is still active and has
 * no follow-up recorded by this side {@code overdue-days} after it was made is told to the signal's professional
 * ({@value #OVERDUE}); after {@code escalate-days} to the organisation's active instellingscoördinator(s)
 * ({@value #ESCALATED}). The flags are rows in {@code notification}, which the notification sender delivers. The
 * counterpart's node flags its own side the same way, so both professionals are told.
 *
 * <p>Runs every {@code betrokken.follow-up.check-interval} (an hour); {@link #run()} runs it on demand.
 */
@Singleton
public class OverdueFlags {

    static final String OVERDUE = "FOLLOW_UP_OVERDUE";
    static final String ESCALATED = "FOLLOW_UP_ESCALATED";
    private static final Logger LOG = LoggerFactory.getLogger(OverdueFlags.class);

    private final TransactionOperations<Connection> transactions;
    private final FollowUps followUps;
    private final FollowUpConfiguration config;
    private final Clock clock;
    private final JsonMapper json;

    /** How many sides of matches were flagged in one run. */
    public record Result(int overdue, int escalated) {
    }

    private record Due(UUID matchId, UUID signalId, String professional, String organisationId) {
    }

    OverdueFlags(TransactionOperations<Connection> transactions, FollowUps followUps, FollowUpConfiguration config,
                 Clock clock, JsonMapper json) {
        this.transactions = transactions;
        this.followUps = followUps;
        this.config = config;
        this.clock = clock;
        this.json = json;
    }

    @Scheduled(fixedDelay = "${betrokken.follow-up.check-interval:1h}",
            initialDelay = "${betrokken.follow-up.check-initial-delay:1m}")
    void scheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warn("overdue follow-up check: {}", e.getClass().getSimpleName());
        }
    }

    /** Raises every flag that is due now and was not raised before. */
    public synchronized Result run() {
        int overdue = flag(OVERDUE, config.overdueDays());
        int escalated = flag(ESCALATED, config.escalateDays());
        if (overdue + escalated > 0) {
            LOG.info("follow-up overdue: {} match side(s) flagged to the professional, {} to the coordinator(s)",
                    overdue, escalated);
        }
        return new Result(overdue, escalated);
    }

    private int flag(String kind, int days) {
        Instant before = followUps.overdueBefore(days);
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            int flagged = 0;
            Timestamp now = Timestamp.from(clock.instant());
            for (Due d : due(c, kind, before)) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO follow_up_flag"
                        + " (match_id, signal_id, kind, flagged_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                    insert.setObject(1, d.matchId());
                    insert.setObject(2, d.signalId());
                    insert.setString(3, kind);
                    insert.setTimestamp(4, now);
                    if (insert.executeUpdate() == 0) {
                        continue; // raised meanwhile by another run
                    }
                }
                List<String> recipients = OVERDUE.equals(kind) ? List.of(d.professional())
                        : coordinators(c, d.organisationId());
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO notification (recipient, kind, match_id, created_at) VALUES (?, ?, ?, ?)")) {
                    for (String recipient : recipients) {
                        insert.setString(1, recipient);
                        insert.setString(2, kind);
                        insert.setObject(3, d.matchId());
                        insert.setTimestamp(4, now);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                if (recipients.isEmpty()) {
                    LOG.warn("follow-up of match {} escalated, but its organisation has no active coordinator",
                            d.matchId());
                }
                flagged++;
            }
            return flagged;
        });
    }

    /**
     * The organisation's sides of active matches that have no follow-up of that side and are overdue now (made
     * {@code overdue-days} or more Dutch calendar days ago), oldest first (at most 1000), each with the professional
     * who holds the signal now and the day the side was escalated to the coördinator(s), if it was. Computed from the
     * dates, as {@code GET /api/v1/matches} computes {@code overdue}, so it does not wait for the hourly check.
     */
    public OverdueView.Page overdue(String organisationId) {
        return new OverdueView.Page(config.overdueDays(), config.escalateDays(),
                sides(organisationId, null, (side, rs) -> side));
    }

    /**
     * Every overdue side of this region's matches (as {@link #overdue(String)}, of every organisation), ordered by
     * organisation name, then oldest first (at most 1000), each with its organisation, the counterpart's region and
     * organisation as far as this node knows them, and when it was last called on ({@link CallOns}). Without
     * {@code matchId}: all; with it, only that match's overdue sides at this node (none: it is not overdue here).
     */
    public MatchOverdueView.Page overdueInRegion(@Nullable UUID matchId) {
        LocalDate today = LocalDate.now(clock);
        List<MatchOverdueView> items = sides(null, matchId, (side, rs) -> {
            Timestamp called = rs.getTimestamp(16);
            return new MatchOverdueView(side.matchId(), side.type(), side.signalId(), side.matchedOn(),
                    side.overdueSince(), ChronoUnit.DAYS.between(side.overdueSince(), today) + 1,
                    new MatchOverdueView.Organisation(rs.getString(11), rs.getString(12)), side.professional(),
                    new MatchOverdueView.Counterpart(rs.getString(13), rs.getBoolean(14),
                            counterpartOrganisation(rs.getString(15))),
                    side.escalatedOn(), called == null ? null
                            : new MatchOverdueView.CalledOn(called.toInstant(), rs.getInt(17)));
        });
        Map<String, MatchOverdueView.OrganisationCount> counts = new LinkedHashMap<>();
        for (MatchOverdueView item : items) {
            counts.merge(item.organisation().id(), new MatchOverdueView.OrganisationCount(item.organisation().id(),
                    item.organisation().name(), 1), (a, b) -> new MatchOverdueView.OrganisationCount(a.id(), a.name(),
                    a.count() + 1));
        }
        return new MatchOverdueView.Page(config.overdueDays(), List.copyOf(counts.values()), items);
    }

    /** Builds a result from an overdue side and the rest of its row (columns 11 to 17). */
    private interface SideMapper<T> {
        T map(OverdueView side, ResultSet rs) throws SQLException;
    }

    private <T> List<T> sides(@Nullable String organisationId, @Nullable UUID matchId, SideMapper<T> mapper) {
        Instant before = followUps.overdueBefore(config.overdueDays());
        return transactions.executeRead(status -> {
            List<T> out = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT m.match_id, m.match_type, m.signal_id, m.created_at, g.flagged_at,"
                            + " a.username, a.display_name, a.email, a.phone, a.active,"
                            + " s.organisation_id, o.name, m.counterpart_node, m.cross_region, m.counterpart_contact,"
                            + " (SELECT max(k.called_at) FROM match_call_on k WHERE k.match_id = m.match_id),"
                            + " (SELECT count(*) FROM match_call_on k WHERE k.match_id = m.match_id)"
                            + " FROM node_match m JOIN signal s ON s.id = m.signal_id"
                            + " JOIN account a ON a.username = s.professional"
                            + " LEFT JOIN organisation o ON o.id = s.organisation_id"
                            + " LEFT JOIN follow_up_flag g ON g.match_id = m.match_id AND g.signal_id = m.signal_id"
                            + "   AND g.kind = ?"
                            + " WHERE m.status = 'ACTIVE' AND m.created_at < ?"
                            + (organisationId == null ? "" : " AND s.organisation_id = ?")
                            + (matchId == null ? "" : " AND m.match_id = ?")
                            + " AND NOT EXISTS (SELECT 1 FROM follow_up f WHERE f.match_id = m.match_id"
                            + "   AND f.signal_id = m.signal_id)"
                            + " ORDER BY " + (organisationId == null ? "o.name, s.organisation_id, " : "")
                            + "m.created_at, m.match_id LIMIT 1000")) {
                int i = 1;
                select.setString(i++, ESCALATED);
                select.setTimestamp(i++, Timestamp.from(before));
                if (organisationId != null) {
                    select.setString(i++, organisationId);
                }
                if (matchId != null) {
                    select.setObject(i, matchId);
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        LocalDate matched = LocalDate.ofInstant(rs.getTimestamp(4).toInstant(), clock.getZone());
                        Timestamp escalated = rs.getTimestamp(5);
                        out.add(mapper.map(new OverdueView(rs.getObject(1, UUID.class), rs.getString(2),
                                rs.getObject(3, UUID.class), matched, matched.plusDays(config.overdueDays()),
                                escalated == null ? null : LocalDate.ofInstant(escalated.toInstant(), clock.getZone()),
                                new OverdueView.Professional(rs.getString(6), rs.getString(7), rs.getString(8),
                                        rs.getString(9), rs.getBoolean(10))), rs));
                    }
                }
            }
            return out;
        });
    }

    /** The counterpart's organisation from the contact its node gave, or null while none is known. */
    private @Nullable String counterpartOrganisation(@Nullable String contact) {
        if (contact == null) {
            return null;
        }
        try {
            return json.readValue(contact, Contact.class).organisation();
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    private static List<Due> due(Connection c, String kind, Instant before) throws SQLException {
        List<Due> due = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT m.match_id, m.signal_id, s.professional, s.organisation_id"
                        + " FROM node_match m JOIN signal s ON s.id = m.signal_id"
                        + " WHERE m.status = 'ACTIVE' AND m.created_at < ?"
                        + " AND NOT EXISTS (SELECT 1 FROM follow_up f WHERE f.match_id = m.match_id AND f.signal_id = m.signal_id)"
                        + " AND NOT EXISTS (SELECT 1 FROM follow_up_flag g WHERE g.match_id = m.match_id"
                        + "   AND g.signal_id = m.signal_id AND g.kind = ?)"
                        + " ORDER BY m.created_at LIMIT 5000")) {
            select.setTimestamp(1, Timestamp.from(before));
            select.setString(2, kind);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4)));
                }
            }
        }
        return due;
    }

    private static List<String> coordinators(Connection c, String organisationId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT username FROM account"
                + " WHERE role = 'COORDINATOR' AND organisation_id = ? AND active ORDER BY username")) {
            select.setString(1, organisationId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
