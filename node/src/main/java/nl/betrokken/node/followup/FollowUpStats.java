package nl.betrokken.node.followup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.problem.Problems;

/**
 * The gemeente's follow-up figures for the region: per organisation of this node and per month in which the match
 * was made (Dutch calendar), counts of this node's sides of matches that were not withdrawn. No youth or
 * professional appears, only organisations and counts.
 */
@Singleton
public class FollowUpStats {

    /** At most this many months in one answer. */
    static final int MAX_MONTHS = 24;

    private final TransactionOperations<Connection> transactions;
    private final NodeConfiguration node;
    private final Clock clock;

    FollowUpStats(TransactionOperations<Connection> transactions, NodeConfiguration node, Clock clock) {
        this.transactions = transactions;
        this.node = node;
        this.clock = clock;
    }

    /** The figures of one organisation in one month. */
    @Serdeable
    public record Row(String organisationId, String organisation, String month, int matches, int followedUp,
               int contactMade, int notNeeded, int regieTaken, int overdue, int escalated, double followUpRate) {
    }

    /** The answer: the months asked for, and one row per organisation and month that had matches. */
    @Serdeable
    public record Report(String from, String to, List<Row> rows) {
    }

    /** Counts being summed. */
    private static final class Counts {
        String name;
        int matches;
        int followedUp;
        int contactMade;
        int notNeeded;
        int regieTaken;
        int overdue;
        int escalated;
    }

    public Report report(@Nullable String fromText, @Nullable String toText) {
        YearMonth from = month("from", fromText);
        YearMonth to = month("to", toText);
        if (to.isBefore(from)) {
            throw Problems.invalidField("to", "must not be before from");
        }
        if (from.plusMonths(MAX_MONTHS - 1L).isBefore(to)) {
            throw Problems.invalidField("to", "at most " + MAX_MONTHS + " months from from");
        }
        Map<String, Counts> byKey = new TreeMap<>();
        transactions.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT o.id, o.name, m.created_at, f.outcome, r.holder_node, r.holder_ref, s.ref,"
                            + " (SELECT count(*) FROM follow_up_flag g WHERE g.match_id = m.match_id"
                            + "   AND g.signal_id = m.signal_id AND g.kind = 'FOLLOW_UP_OVERDUE'),"
                            + " (SELECT count(*) FROM follow_up_flag g WHERE g.match_id = m.match_id"
                            + "   AND g.signal_id = m.signal_id AND g.kind = 'FOLLOW_UP_ESCALATED')"
                            + " FROM node_match m JOIN signal s ON s.id = m.signal_id"
                            + " JOIN organisation o ON o.id = s.organisation_id"
                            + " LEFT JOIN follow_up f ON f.id = (SELECT max(l.id) FROM follow_up l"
                            + "   WHERE l.match_id = m.match_id AND l.signal_id = m.signal_id)"
                            + " LEFT JOIN match_regie r ON r.match_id = m.match_id AND r.signal_id = m.signal_id"
                            + " WHERE m.status <> 'WITHDRAWN' AND m.created_at >= ? AND m.created_at < ?")) {
                select.setTimestamp(1, Timestamp.from(from.atDay(1).atStartOfDay(clock.getZone()).toInstant()));
                select.setTimestamp(2, Timestamp.from(to.plusMonths(1).atDay(1).atStartOfDay(clock.getZone()).toInstant()));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        String month = YearMonth.from(rs.getTimestamp(3).toInstant().atZone(clock.getZone())).toString();
                        Counts k = byKey.computeIfAbsent(rs.getString(1) + "\u0000" + month, x -> new Counts());
                        k.name = rs.getString(2);
                        String outcome = rs.getString(4);
                        k.matches++;
                        k.followedUp += outcome == null ? 0 : 1;
                        k.contactMade += "CONTACT_MADE".equals(outcome) ? 1 : 0;
                        k.notNeeded += "NOT_NEEDED".equals(outcome) ? 1 : 0;
                        k.regieTaken += node.nodeId().equals(rs.getString(5)) && rs.getString(7).equals(rs.getString(6))
                                ? 1 : 0;
                        k.overdue += rs.getInt(8) > 0 ? 1 : 0;
                        k.escalated += rs.getInt(9) > 0 ? 1 : 0;
                    }
                }
            }
            return null;
        });
        List<Row> rows = new ArrayList<>();
        byKey.forEach((key, k) -> {
            String[] parts = key.split("\u0000");
            rows.add(new Row(parts[0], k.name, parts[1], k.matches, k.followedUp, k.contactMade, k.notNeeded,
                    k.regieTaken, k.overdue, k.escalated, Math.round(1000.0 * k.followedUp / k.matches) / 1000.0));
        });
        return new Report(from.toString(), to.toString(), rows);
    }

    private static YearMonth month(String field, @Nullable String text) {
        if (text == null || text.isBlank()) {
            throw Problems.invalidField(field, "is required, as YYYY-MM");
        }
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw Problems.invalidField(field, "must be a month as YYYY-MM");
        }
    }
}
