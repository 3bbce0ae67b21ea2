package nl.betrokken.coordinator.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.coordinator.audit.CoordinatorAudit;
import nl.betrokken.coordinator.matching.MatchingJob;

/**
 * The end of a federation key rotation at the coordinator ({@code java -jar coordinator.jar federation-epoch-retire
 * N}): once every active signal carries pseudonyms under a newer epoch than {@code N}, the links under {@code N} are
 * deleted (retention then deletes the persons no signal names) and intake ignores pseudonyms under {@code N} from then
 * on, refusing a record that carries no other epoch. The coordinator never holds the federation ring, so it cannot
 * tell a "new" epoch from an old one by itself: the operator names the epoch to retire, and this refuses while
 * retiring it would lose a match, naming the nodes whose active signals still carry no other epoch (they have not
 * rotated, or their resubmission has not arrived).
 */
@Singleton
public class EpochRetirement {

    private final TransactionOperations<Connection> transactions;
    private final CoordinatorAudit audit;
    private final Clock clock;

    EpochRetirement(TransactionOperations<Connection> transactions, CoordinatorAudit audit, Clock clock) {
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    /** What {@link #retire} did: how many links it removed, and whether the epoch was retired before. */
    public record Report(int epoch, int linksRemoved, boolean alreadyRetired) {
    }

    /**
     * Retires {@code epoch}, holding the matcher lock so that no pass matches meanwhile.
     *
     * @throws IllegalArgumentException if the epoch is not positive, or is the newest epoch any signal carries
     * @throws IllegalStateException naming per node how many active signals carry no other epoch
     */
    public Report retire(int epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch " + epoch + " must be positive");
        }
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            MatchingJob.lock(c);
            if (retired(c).contains(epoch)) {
                return new Report(epoch, 0, true);
            }
            try (PreparedStatement select = c.prepareStatement("SELECT max(epoch) FROM signal_person");
                 ResultSet rs = select.executeQuery()) {
                rs.next();
                int newest = rs.getInt(1);
                if (!rs.wasNull() && newest <= epoch) {
                    throw new IllegalArgumentException("epoch " + epoch + " is the newest epoch the coordinator holds"
                            + " signals under; retire only an epoch the nodes have rotated away from");
                }
            }
            Map<String, Long> waiting = new LinkedHashMap<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT s.node_id, count(*) FROM signal s WHERE s.status = 'ACTIVE'"
                            + " AND EXISTS (SELECT 1 FROM signal_person sp WHERE sp.signal_id = s.id AND sp.epoch = ?)"
                            + " AND NOT EXISTS (SELECT 1 FROM signal_person sp WHERE sp.signal_id = s.id AND sp.epoch <> ?)"
                            + " GROUP BY s.node_id ORDER BY s.node_id")) {
                select.setInt(1, epoch);
                select.setInt(2, epoch);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        waiting.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            if (!waiting.isEmpty()) {
                StringBuilder nodes = new StringBuilder();
                waiting.forEach((node, n) -> nodes.append(nodes.isEmpty() ? "" : ", ").append(node).append(' ').append(n));
                throw new IllegalStateException("epoch " + epoch + " is still needed: active signals under no other"
                        + " epoch at " + nodes + "; rotate those nodes and let their outboxes deliver first");
            }
            int removed;
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM signal_person WHERE epoch = ?")) {
                delete.setInt(1, epoch);
                removed = delete.executeUpdate();
            }
            MatchingJob.linksChanged(c);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO retired_epoch (epoch, retired_at) VALUES (?, ?)")) {
                insert.setInt(1, epoch);
                insert.setTimestamp(2, Timestamp.from(clock.instant()));
                insert.executeUpdate();
            }
            audit.record(c, AuditEvent.of("key.rotated", "system:operator", "epoch:" + epoch)
                    .with("step", "retired").with("linksRemoved", removed));
            return new Report(epoch, removed, false);
        });
    }

    /** The retired epochs (intake and the inzage look-up ignore pseudonyms under them). */
    public static Set<Integer> retired(Connection c) throws SQLException {
        Set<Integer> retired = new TreeSet<>();
        try (PreparedStatement select = c.prepareStatement("SELECT epoch FROM retired_epoch");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                retired.add(rs.getInt(1));
            }
        }
        return retired;
    }
}
