package nl.betrokken.node.audit;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.SerdeImport;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AccessLogFile;
import nl.betrokken.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proofs that entries of this node's log about one signal stand in the log, for a person's access-log file
 * (inzage/CitizenAccessLog): first the log as it is now is signed and countersigned by the coordinator
 * ({@link AuditCheckpoints#run()}), so that every entry up to this moment, the inzage's own {@code inzage.served}
 * included, is covered; then each entry gets its exact leaf and an inclusion proof against the largest countersigned
 * checkpoint ({@link AuditLog#prove}). When the coordinator cannot countersign now, the entries after the last
 * countersigned checkpoint are marked as not covered, never given a proof they do not have.
 */
@Singleton
@SerdeImport(AccessLogFile.Proof.class)
@SerdeImport(AccessLogFile.Released.class)
public class AccessProofs {

    private static final Logger LOG = LoggerFactory.getLogger(AccessProofs.class);

    private final NodeAudit audit;
    private final AuditCheckpoints checkpoints;
    private final boolean countersign;

    AccessProofs(NodeAudit audit, AuditCheckpoints checkpoints) {
        this.audit = audit;
        this.checkpoints = checkpoints;
        this.countersign = checkpoints.enabled();
    }

    /**
     * What a person needs to check the proofs of one signal's entries: the log's name, its key, the coordinator's
     * witness key (null while the coordinator's published keys cannot be read), the signal's reference in the log and
     * the countersigned checkpoints the proofs lead to.
     */
    @Serdeable
    public record Header(String origin, String logKey, @Nullable String witnessKey, String reference,
                         List<String> checkpoints) {
    }

    /** The header and each entry's proof, by index. */
    public record Proofs(Header header, Map<Long, AccessLogFile.Proof> proofs) {
    }

    /**
     * @param reference  the signal's reference in the log ({@code signal:…})
     * @param indexes    its entries
     * @param releasedBy for released held-back entries, the index of the {@code audit.released} entry
     */
    public Proofs prove(String reference, Collection<Long> indexes, Map<Long, Long> releasedBy) {
        if (countersign) {
            try {
                checkpoints.run();
            } catch (RuntimeException e) {
                LOG.info("access log: no countersigned checkpoint now ({}); later entries are marked not covered",
                        e.getClass().getSimpleName());
            }
        }
        AuditLog.Proven proven = audit.transactions().executeRead(status ->
                audit.log().prove(status.getConnection(), indexes, releasedBy));
        return new Proofs(new Header(audit.log().origin(), checkpoints.logKey(), checkpoints.witnessKey(), reference,
                proven.checkpoints()), proven.proofs());
    }
}
