package nl.betrokken.node.audit;

import java.sql.Connection;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.audit.AuditLog;
import nl.betrokken.crypto.log.CosignatureV1Verifier;
import nl.betrokken.crypto.log.NoteException;
import nl.betrokken.crypto.log.SignedNote;
import nl.betrokken.crypto.log.VerifiedCheckpoint;
import nl.betrokken.node.keys.NodeTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs a checkpoint of the node's audit log and has the coordinator countersign it
 * ({@code POST /internal/v1/audit/checkpoints}), with the consistency proof from the last checkpoint it countersigned;
 * the countersigned note replaces the node's own. Every {@code betrokken.audit.checkpoint-interval} (10 minutes), on
 * demand ({@link #run()}, {@code java -jar node.jar audit-checkpoint}).
 *
 * <p>A coordinator that does not answer changes nothing: the log is local, and the next run sends a later checkpoint
 * with a proof from the same last countersigned one. A refusal (409: the log does not extend what the coordinator
 * countersigned before; 400: the note does not verify) is logged as a warning and recorded in the log itself.
 */
@Singleton
public class AuditCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpoints.class);
    private static final Pattern PROBLEM_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"[^\"]*/([a-z0-9-]+)\"");

    private final NodeAudit audit;
    private final HttpClient coordinator;
    private final NodeTokens tokens;
    private final boolean enabled;
    private volatile String witnessKey;

    /** What became of a run. */
    public enum Outcome {
        /** The coordinator countersigned the checkpoint (or had countersigned one of this size before). */
        COUNTERSIGNED,
        /** The coordinator did not answer, or answered with a server error: tried again next time. */
        UNREACHABLE,
        /** The coordinator refused the checkpoint: recorded, and a warning logged. */
        REFUSED
    }

    @Serdeable
    record CountersignRequest(String logKey, String note, List<String> consistencyProof) {
    }

    @Serdeable
    record Countersigned(String note) {
    }

    @Serdeable
    record AuditKeys(String logKey, String witnessKey, @io.micronaut.core.annotation.Nullable java.util.Map<String, String> nodeLogKeys) {
    }

    AuditCheckpoints(NodeAudit audit, @Client(id = "coordinator") HttpClient coordinator, NodeTokens tokens,
                     @Value("${betrokken.audit.countersign:true}") boolean enabled) {
        this.audit = audit;
        this.coordinator = coordinator;
        this.tokens = tokens;
        this.enabled = enabled;
    }

    @Scheduled(fixedDelay = "${betrokken.audit.checkpoint-interval:10m}",
            initialDelay = "${betrokken.audit.checkpoint-initial-delay:1m}")
    void scheduled() {
        try {
            if (enabled) {
                run();
            }
        } catch (RuntimeException e) {
            LOG.warn("audit checkpoint: {}", e.getClass().getSimpleName());
        }
    }

    /** Signs a checkpoint of the log as it is now and has the coordinator countersign it. */
    public synchronized Outcome run() {
        record Signed(SignedNote note, long size, long lastCountersigned, List<String> proof) {
        }
        // The size is the one the note was signed at, from the same locked read of the head; the proof is computed
        // at that size in a transaction of its own, so entries appended meanwhile neither block nor change it.
        AuditLog.Kept kept = audit.transactions().executeWrite(status ->
                audit.log().checkpoint(status.getConnection(), audit.keys().auditLogSigner(), audit.clock().instant()));
        if (kept.countersigned()) {
            return Outcome.COUNTERSIGNED;
        }
        Signed signed = audit.transactions().executeRead(status -> {
            Connection c = status.getConnection();
            long last = lastCountersigned(audit.log().checkpoints(c));
            List<String> proof = last == 0 || last >= kept.size() ? List.of()
                    : audit.log().consistencyProof(c, last, kept.size()).stream()
                    .map(h -> Base64.getEncoder().encodeToString(h)).toList();
            return new Signed(kept.note(), kept.size(), last, proof);
        });
        String cosigned;
        try {
            cosigned = coordinator.toBlocking().retrieve(HttpRequest.POST("/internal/v1/audit/checkpoints",
                            new CountersignRequest(logKey(), signed.note().marshal(), signed.proof()))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(tokens.forCall(NodeTokens.COORDINATOR)),
                    Countersigned.class).note();
        } catch (HttpClientResponseException e) {
            int status = e.getStatus().getCode();
            if (status >= 500) {
                LOG.info("audit checkpoint of size {}: the coordinator answered {}; tried again next time",
                        signed.size(), status);
                return Outcome.UNREACHABLE;
            }
            String type = problemType(e);
            LOG.warn("audit checkpoint of size {} REFUSED by the coordinator: {} {} (last countersigned size {})",
                    signed.size(), status, type, signed.lastCountersigned());
            audit.record(AuditEvent.of("checkpoint.refused", "system:checkpoint", "log:" + audit.log().origin())
                    .with("status", status).with("problem", type).with("size", signed.size())
                    .with("countersignedSize", signed.lastCountersigned()));
            return Outcome.REFUSED;
        } catch (HttpClientException e) {
            LOG.info("audit checkpoint of size {}: the coordinator is not reachable; tried again next time",
                    signed.size());
            return Outcome.UNREACHABLE;
        }
        check(cosigned, signed.size());
        audit.transactions().executeWrite(status -> {
            audit.log().keepCountersigned(status.getConnection(), signed.size(), cosigned);
            return null;
        });
        return Outcome.COUNTERSIGNED;
    }

    /** Whether checkpoints are sent to the coordinator ({@code betrokken.audit.countersign}). */
    boolean enabled() {
        return enabled;
    }

    /**
     * Before a held-back signal is released: has the coordinator countersign the log as it is now, so that a
     * checkpoint countersigned while its entries were still sealed exists (the proof, after the release, that they
     * were in the log all along). Nothing to do when countersigning is off.
     *
     * @throws nl.betrokken.problem.ProblemException 503 when the coordinator does not countersign now
     */
    void countersignBeforeRelease() {
        if (!enabled) {
            return;
        }
        Outcome outcome;
        try {
            outcome = run();
        } catch (RuntimeException e) {
            outcome = Outcome.UNREACHABLE;
        }
        if (outcome != Outcome.COUNTERSIGNED) {
            throw nl.betrokken.problem.Problems.unavailable("the coordinator must countersign the audit log before a"
                    + " release, and does not now; try again later");
        }
    }

    /** This node's log verifier key, as sent to the coordinator and put in bundles. */
    String logKey() {
        return audit.keys().auditLogSigner().verifier().verifierKey();
    }

    /**
     * The coordinator's countersigning key as it publishes it ({@code /.well-known/betrokken-audit-keys.json}),
     * fetched once and kept; null while the coordinator cannot be reached.
     */
    String witnessKey() {
        String key = witnessKey;
        if (key == null) {
            try {
                key = coordinator.toBlocking().retrieve("/.well-known/betrokken-audit-keys.json", AuditKeys.class)
                        .witnessKey();
                witnessKey = key;
            } catch (HttpClientException e) {
                LOG.info("audit: the coordinator's audit keys are not reachable now");
            }
        }
        return key;
    }

    /**
     * The coordinator's own audit bundle ({@code GET /api/v1/audit/bundle}), fetched on behalf of this node's auditor
     * with a token that vouches for the auditor role; a 502 problem when the coordinator does not give it.
     */
    String coordinatorBundle() {
        try {
            return coordinator.toBlocking().retrieve(HttpRequest.GET("/api/v1/audit/bundle")
                    .bearerAuth(tokens.forUserOfRole("auditor")), String.class);
        } catch (HttpClientException e) {
            throw new HttpStatusException(HttpStatus.BAD_GATEWAY,
                    "the coordinator did not give its audit bundle; try again later");
        }
    }

    /** Refuses to keep an answer that is not this checkpoint countersigned by the coordinator's published key. */
    private void check(String cosigned, long size) {
        String key = witnessKey();
        try {
            VerifiedCheckpoint cp = VerifiedCheckpoint.open(cosigned, audit.log().origin(),
                    audit.keys().auditLogSigner().verifier());
            if (cp.checkpoint().size() != size) {
                throw new IllegalStateException("the coordinator countersigned a checkpoint of another size");
            }
            if (key != null) {
                cp.cosignedAt(CosignatureV1Verifier.parse(key));
            }
        } catch (NoteException e) {
            throw new IllegalStateException("the coordinator's countersigned checkpoint does not verify", e);
        }
    }

    /** The size of the largest kept checkpoint that carries a countersignature, or 0. */
    private static long lastCountersigned(List<String> notes) {
        long last = 0;
        for (String note : notes) {
            try {
                SignedNote parsed = SignedNote.parse(note);
                if (parsed.signatures().size() > 1) {
                    last = Math.max(last, Long.parseLong(note.split("\n", 3)[1]));
                }
            } catch (NoteException | RuntimeException e) {
                // a kept note that does not parse is no countersigned checkpoint
            }
        }
        return last;
    }

    private static String problemType(HttpClientResponseException e) {
        String body = e.getResponse().getBody(String.class).orElse("");
        Matcher m = PROBLEM_TYPE.matcher(body);
        return m.find() ? m.group(1) : "unknown";
    }
}
