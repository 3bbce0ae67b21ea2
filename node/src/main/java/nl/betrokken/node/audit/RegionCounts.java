package nl.betrokken.node.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The objection and consent counts of one period (the days {@code from} to {@code to}, both included, Dutch calendar)
 * for the region's figures (figures/), counted by the auditor's report's own rules ({@link AuditReports}), so that the
 * gemeente's figures and the auditor's report never disagree. Counts only, never an identity.
 */
public final class RegionCounts {

    private RegionCounts() {
    }

    /**
     * Objections on this node's signals: {@code filed} and decided ({@code upheld}, {@code rejected}) in the period;
     * {@code open}: filed and not decided at the period's end (or at {@code now}, when that is earlier).
     */
    public record Objections(long filed, long upheld, long rejected, long open) {
    }

    /**
     * Consent at this node: {@code asked} by its professionals, parts held here {@code granted} (all needed roles),
     * {@code refused} and {@code withdrawn}, in the period. Entries sealed under the Veilig Thuis exception have no
     * kind in the log and are not counted, as in the report.
     */
    public record Consents(long asked, long granted, long refused, long withdrawn) {
    }

    public static Objections objections(Connection c, LocalDate from, LocalDate to, Instant now) throws SQLException {
        AuditReports.Objections o = AuditReports.objections(c, new AuditReads.Period(from, to), now);
        return new Objections(o.filed(), o.upheld(), o.rejected(), o.open());
    }

    public static Consents consents(Connection c, LocalDate from, LocalDate to) throws SQLException {
        AuditReads.Period period = new AuditReads.Period(from, to);
        long[] answers = AuditReports.consentAnswers(c, period);
        long asked = 0;
        long withdrawn = 0;
        try (PreparedStatement select = c.prepareStatement("SELECT kind, count(*) FROM audit_entry"
                + " WHERE kind IN ('consent.asked', 'consent.withdrawn') AND at >= ? AND at < ? GROUP BY kind")) {
            select.setTimestamp(1, Timestamp.from(period.start()));
            select.setTimestamp(2, Timestamp.from(period.end()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if ("consent.asked".equals(rs.getString(1))) {
                        asked = rs.getLong(2);
                    } else {
                        withdrawn = rs.getLong(2);
                    }
                }
            }
        }
        return new Consents(asked, answers[0], answers[1], withdrawn);
    }
}
