package nl.betrokken.node.archive;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.signal.SignalService;
import nl.betrokken.node.signal.SignalView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reasoned access to archived signals: the read and its record (who, role, when, which signal, why) are one
 * transaction, so there is no read without its record. The reader and the reason are kept in the database only, never
 * logged.
 */
@Singleton
public class ArchiveAccess {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveAccess.class);

    private final TransactionOperations<Connection> transactions;
    private final SignalService signals;
    private final Clock clock;
    private final NodeAudit audit;

    ArchiveAccess(TransactionOperations<Connection> transactions, SignalService signals, Clock clock, NodeAudit audit) {
        this.transactions = transactions;
        this.signals = signals;
        this.clock = clock;
        this.audit = audit;
    }

    /** One recorded read of an archived signal. */
    @Serdeable
    public record Access(long id, Instant accessedAt, String username, String role, UUID signalId, String reason) {

        @Serdeable
        public record Page(List<Access> items) {
        }
    }

    /** The counts that remain: per day and metric. */
    @Serdeable
    public record Count(LocalDate day, String metric, long amount) {

        @Serdeable
        public record Page(List<Count> items) {
        }
    }

    /** The archived signal {@code id}, recorded as read by {@code username} for {@code reason}; empty if none. */
    public Optional<SignalView> read(String username, String role, UUID id, String reason) {
        Optional<SignalView> view = transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Optional<SignalView> signal = signals.archived(c, id);
            if (signal.isPresent()) {
                long accessId;
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO archive_access (accessed_at, username, role, signal_id, reason) VALUES (?, ?, ?, ?, ?)",
                        new String[] {"id"})) {
                    insert.setTimestamp(1, Timestamp.from(clock.instant()));
                    insert.setString(2, username);
                    insert.setString(3, role);
                    insert.setObject(4, id);
                    insert.setString(5, reason.strip());
                    insert.executeUpdate();
                    try (ResultSet keys = insert.getGeneratedKeys()) {
                        keys.next();
                        accessId = keys.getLong(1);
                    }
                }
                // The reason stays in archive_access; the entry names that row.
                audit.record(c, AuditEvent.of("archive.read", NodeAudit.actor(role.toLowerCase(), username),
                        audit.signal(id)).with("archiveAccess", accessId));
            }
            return signal;
        });
        view.ifPresent(v -> LOG.info("archive: read of archived signal {} by the {} role, recorded", id, role));
        return view;
    }

    /** Every recorded read, newest first. */
    public List<Access> accesses() {
        return transactions.executeRead(status -> {
            List<Access> out = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT id, accessed_at, username, role, signal_id, reason FROM archive_access"
                            + " ORDER BY id DESC LIMIT 1000");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    out.add(new Access(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getObject(5, UUID.class), rs.getString(6)));
                }
            }
            return out;
        });
    }

    /** The archive's counts per day and metric, oldest first. */
    public List<Count> counts() {
        return transactions.executeRead(status -> {
            List<Count> out = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT stat_day, metric, sum(amount) FROM archive_count GROUP BY stat_day, metric"
                            + " ORDER BY stat_day, metric");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    out.add(new Count(rs.getObject(1, LocalDate.class), rs.getString(2), rs.getLong(3)));
                }
            }
            return out;
        });
    }
}
