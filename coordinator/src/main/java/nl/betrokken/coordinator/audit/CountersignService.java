package nl.betrokken.coordinator.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.coordinator.keys.CoordinatorKeys;
import nl.betrokken.crypto.log.CheckpointWitness;
import nl.betrokken.crypto.log.InconsistencyException;
import nl.betrokken.crypto.log.NoteException;
import nl.betrokken.crypto.log.NoteVerifier;
import nl.betrokken.problem.Problems;

/**
 * Countersigns a node's audit-log checkpoints, so that a node cannot later present a different past: the first
 * checkpoint of a node is countersigned as it comes (and fixes the node's log key), every later one only with a
 * consistency proof from the last one countersigned. A checkpoint that does not extend it is refused (409), and kept
 * as evidence together with the one it contradicts.
 *
 * <p>A node's log is named {@code betrokken/node/<node id>}: a node can only submit its own.
 */
@Singleton
class CountersignService {

    private final TransactionOperations<Connection> transactions;
    private final CoordinatorKeys keys;
    private final CoordinatorAudit audit;
    private final Clock clock;

    CountersignService(TransactionOperations<Connection> transactions, CoordinatorKeys keys, CoordinatorAudit audit,
                       Clock clock) {
        this.transactions = transactions;
        this.keys = keys;
        this.audit = audit;
        this.clock = clock;
    }

    static String origin(String nodeId) {
        return "betrokken/node/" + nodeId;
    }

    /** Returns the note with the coordinator's countersignature added. */
    String countersign(String nodeId, CountersignRequest request) {
        NoteVerifier logKey;
        try {
            logKey = NoteVerifier.parse(request.logKey());
        } catch (RuntimeException e) {
            throw Problems.invalidField("logKey", "is not a signed-note verifier key");
        }
        List<byte[]> proof;
        try {
            proof = request.consistencyProof().stream().map(h -> Base64.getDecoder().decode(h)).toList();
        } catch (IllegalArgumentException e) {
            throw Problems.invalidField("consistencyProof", "holds a hash that is not base64");
        }
        CheckpointWitness witness = CheckpointWitness.create(origin(nodeId), logKey, keys.auditCosigner());
        Outcome outcome = countersign(nodeId, request, witness, proof);
        if (outcome.cosigned() == null) {
            refuse(nodeId, outcome.contradicted(), request.note());
            throw Problems.conflict("audit-fork", "Checkpoint does not extend the last one countersigned",
                    "consistencyProof", "the node's log is not an extension of the checkpoint countersigned before: "
                            + outcome.message());
        }
        return outcome.cosigned();
    }

    /** A countersignature given ({@code cosigned}), or refused: the note it contradicts and why. */
    private record Outcome(String cosigned, String contradicted, String message) {
    }

    private Outcome countersign(String nodeId, CountersignRequest request, CheckpointWitness witness,
                                List<byte[]> proof) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Optional<String[]> known = known(c, nodeId); // [log key, last countersigned note], locked
            if (known.isEmpty()) {
                // The first checkpoint of a node, sent twice at once (a retry crossing the first try), finds no row
                // to lock: the node's enrolment is locked instead, so the second waits, finds the first one's row and
                // is countersigned against it like any later checkpoint, instead of failing on its key.
                lockEnrolment(c, nodeId);
                known = known(c, nodeId);
            }
            if (known.isPresent() && !known.get()[0].equals(request.logKey())) {
                throw Problems.conflict("audit-key-changed", "Audit log key changed", "logKey",
                        "this node's checkpoints are signed with another key; the operator must enrol a new key");
            }
            String cosigned;
            try {
                cosigned = known.isEmpty() ? witness.cosignFirst(request.note())
                        : witness.cosign(known.get()[1], request.note(), proof);
            } catch (NoteException e) {
                throw Problems.invalidField("note", "is not a checkpoint of " + origin(nodeId) + " signed with logKey ("
                        + e.reason() + ")");
            } catch (InconsistencyException e) {
                return new Outcome(null, known.get()[1], e.getMessage());
            }
            try (PreparedStatement upsert = c.prepareStatement(known.isEmpty()
                    ? "INSERT INTO node_audit_log (note, node_id, log_key, updated_at) VALUES (?, ?, ?, ?)"
                    : "UPDATE node_audit_log SET note = ?, updated_at = ? WHERE node_id = ?")) {
                upsert.setString(1, cosigned);
                if (known.isEmpty()) {
                    upsert.setString(2, nodeId);
                    upsert.setString(3, request.logKey());
                    upsert.setTimestamp(4, Timestamp.from(clock.instant()));
                } else {
                    upsert.setTimestamp(2, Timestamp.from(clock.instant()));
                    upsert.setString(3, nodeId);
                }
                upsert.executeUpdate();
            }
            audit.record(c, AuditEvent.of("checkpoint.countersigned", "node:" + nodeId, "log:" + origin(nodeId))
                    .with("size", size(request.note())));
            return new Outcome(cosigned, null, null);
        });
    }

    /** Records a refused checkpoint in a transaction of its own, so that the evidence outlives the refusal. */
    private void refuse(String nodeId, String previous, String next) {
        transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO node_audit_refusal (node_id, at, countersigned, refused) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, nodeId);
                insert.setTimestamp(2, Timestamp.from(clock.instant()));
                insert.setString(3, previous);
                insert.setString(4, next);
                insert.executeUpdate();
            }
            audit.record(c, AuditEvent.of("checkpoint.refused", "node:" + nodeId, "log:" + origin(nodeId))
                    .with("countersignedSize", size(previous)).with("refusedSize", size(next)));
            return null;
        });
    }

    private static void lockEnrolment(Connection c, String nodeId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT node_id FROM enrolled_node WHERE node_id = ? FOR UPDATE")) {
            select.setString(1, nodeId);
            select.executeQuery().close();
        }
    }

    private static Optional<String[]> known(Connection c, String nodeId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT log_key, note FROM node_audit_log WHERE node_id = ? FOR UPDATE")) {
            select.setString(1, nodeId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
            }
        }
    }

    private static String size(String note) {
        String[] lines = note.split("\n", 3);
        return lines.length > 1 && lines[1].matches("[0-9]{1,19}") ? lines[1] : "unknown";
    }
}
