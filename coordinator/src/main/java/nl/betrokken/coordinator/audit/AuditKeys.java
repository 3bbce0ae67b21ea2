package nl.betrokken.coordinator.audit;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The coordinator's public audit keys in c2sp.org/signed-note verifier-key form: {@code logKey} signs the checkpoints
 * of its own log, {@code witnessKey} countersigns checkpoints (its own and every node's) with the time.
 */
@Serdeable
public record AuditKeys(String logKey, String witnessKey) {
}
