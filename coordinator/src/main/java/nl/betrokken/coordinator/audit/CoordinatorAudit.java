package nl.betrokken.coordinator.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditBundle;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.audit.AuditLog;
import nl.betrokken.coordinator.keys.CoordinatorKeys;
import nl.betrokken.crypto.log.CheckpointWitness;
import nl.betrokken.crypto.log.NoteException;
import nl.betrokken.problem.Problems;

/**
 * Appends to the coordinator's audit log and keeps its checkpoints. {@link #record(Connection, AuditEvent)} appends
 * in the caller's transaction, so the change and its entry commit together; {@link #record(AuditEvent)} in one of
 * its own, for reads and refusals.
 */
@Singleton
public class CoordinatorAudit {

    private final AuditLog log = new AuditLog(CoordinatorKeys.AUDIT_LOG_NAME);
    private final TransactionOperations<Connection> transactions;
    private final CoordinatorKeys keys;
    private final Clock clock;

    CoordinatorAudit(TransactionOperations<Connection> transactions, CoordinatorKeys keys, Clock clock) {
        this.transactions = transactions;
        this.keys = keys;
        this.clock = clock;
    }

    public void record(Connection c, AuditEvent event) throws SQLException {
        log.append(c, clock.instant(), event);
    }

    public void record(AuditEvent event) {
        transactions.executeWrite(status -> log.append(status.getConnection(), clock.instant(), event));
    }

    /** A value made fit for an entry: characters an entry may not hold become {@code _}, at most 200 of them. */
    public static String reference(String raw) {
        return AuditEvent.reference(raw, 200);
    }

    /**
     * Signs a checkpoint of the log as it is now and countersigns it with the coordinator's witness key (which adds
     * the time), every ten minutes and on demand. Returns the note.
     */
    @Scheduled(fixedDelay = "10m", initialDelay = "1m")
    public String checkpoint() {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            // One tree size from one locked read of the head: a concurrent call of the same size waits and finds
            // this one's checkpoint kept.
            AuditLog.Kept kept = log.checkpoint(c, keys.auditLogSigner(), clock.instant());
            if (kept.countersigned()) {
                return kept.note().marshal();
            }
            try {
                String cosigned = CheckpointWitness.create(log.origin(), keys.auditLogSigner().verifier(),
                        keys.auditCosigner()).cosignFirst(kept.note().marshal());
                log.keepCountersigned(c, kept.size(), cosigned);
                return cosigned;
            } catch (NoteException e) {
                throw new IllegalStateException("the coordinator cannot countersign its own checkpoint", e);
            }
        });
    }

    /** The whole log, for an auditor to verify offline. */
    public AuditBundle bundle() {
        return transactions.executeRead(status -> log.export(status.getConnection(),
                keys.auditLogSigner().verifier().verifierKey(), keys.auditCosigner().verifier().verifierKey()));
    }

    /** The kept checkpoints, smallest first. */
    public List<String> checkpoints() {
        return transactions.executeRead(status -> log.checkpoints(status.getConnection()));
    }

    /** The inclusion proof of entry {@code index} in the tree of {@code size} entries, as base64 hashes. */
    public List<String> inclusionProof(long index, long size) {
        return transactions.executeRead(status -> {
            long logSize = log.size(status.getConnection());
            if (size < 1 || size > logSize) {
                throw Problems.invalidField("size", "must be between 1 and the log's size, " + logSize);
            }
            if (index < 0 || index >= size) {
                throw Problems.invalidField("index", "must be at least 0 and below size");
            }
            return log.inclusionProof(status.getConnection(), index, size).stream()
                    .map(h -> Base64.getEncoder().encodeToString(h)).toList();
        });
    }

    public AuditLog log() {
        return log;
    }

    /** The verifier keys: of the log's own checkpoints, and of the countersignatures. */
    public AuditKeys keys() {
        java.util.Map<String, String> nodes = transactions.executeRead(status -> {
            java.util.Map<String, String> out = new java.util.TreeMap<>();
            try (java.sql.PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT node_id, log_key FROM node_audit_log ORDER BY node_id");
                 java.sql.ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
        return new AuditKeys(keys.auditLogSigner().verifier().verifierKey(),
                keys.auditCosigner().verifier().verifierKey(), nodes);
    }
}
