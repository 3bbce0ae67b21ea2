package nl.betrokken.coordinator.audit;

import java.util.Map;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The coordinator's public audit keys in c2sp.org/signed-note verifier-key form: {@code logKey} signs the checkpoints
 * of its own log, {@code witnessKey} countersigns checkpoints (its own and every node's) with the time;
 * {@code nodeLogKeys} the log key of every node by node id, as the coordinator pinned it at that node's first
 * countersigned checkpoint (a node that has had none countersigned yet is not listed).
 */
@Serdeable
public record AuditKeys(String logKey, String witnessKey, Map<String, String> nodeLogKeys) {
}
