package nl.betrokken.coordinator.audit;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.coordinator.enrolment.NodeAuthentication;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.coordinator.openapi.NodeTokenApi;

/**
 * The audit trail's calls: nodes send their checkpoints to be countersigned ({@code /internal/v1/audit}); an auditor
 * (a node token with {@code role} = {@code auditor}, as for the statistics) reads the coordinator's own log, its
 * checkpoints and proofs, or takes the whole log home as a bundle ({@code /api/v1/audit}). Every read is logged.
 */
@Controller
@Tag(name = "audit")
@NodeTokenApi
@ExecuteOn(TaskExecutors.BLOCKING)
class AuditController {

    private final CoordinatorAudit audit;
    private final CountersignService countersign;

    AuditController(CoordinatorAudit audit, CountersignService countersign) {
        this.audit = audit;
        this.countersign = countersign;
    }

    @Serdeable
    record Countersigned(String note) {
    }

    /**
     * The node's signed checkpoint of its own log: the first is countersigned as it comes, every later one only with a
     * consistency proof from the last one countersigned; one that does not extend it is refused (409) and kept as
     * evidence.
     */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.Conflict
    @Post("/internal/v1/audit/checkpoints")
    @Operation(summary = "Countersign the calling node's audit checkpoint, if it extends the last one countersigned")
    Countersigned countersign(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId,
                              @Body @Valid CountersignRequest request) {
        return new Countersigned(countersign.countersign(nodeId, request));
    }

    /**
     * For an auditor (token claim role auditor, 403 otherwise): every entry, checkpoint and key, to verify the whole
     * log offline; each read is audited.
     */
    @ProblemAnswers.Forbidden
    @Get(value = "/api/v1/audit/bundle", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The coordinator's whole audit log with its checkpoints and keys, to verify offline")
    String bundle(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId,
                  @RequestAttribute(NodeAuthentication.ROLE) @Nullable String role) throws java.io.IOException {
        auditor(nodeId, role, "bundle");
        return audit.bundle().toJson();
    }

    @Serdeable
    record Checkpoints(List<String> checkpoints) {
    }

    /**
     * For an auditor (token claim role auditor, 403 otherwise); a checkpoint of the log as it is now is signed first.
     */
    @ProblemAnswers.Forbidden
    @Get("/api/v1/audit/checkpoints")
    @Operation(summary = "The coordinator's signed checkpoints (c2sp.org/tlog-checkpoint notes), smallest first")
    Checkpoints checkpoints(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId,
                            @RequestAttribute(NodeAuthentication.ROLE) @Nullable String role) {
        auditor(nodeId, role, "checkpoints");
        audit.checkpoint();
        return new Checkpoints(audit.checkpoints());
    }

    @Serdeable
    record Proof(long index, long size, List<String> hashes) {
    }

    /**
     * For an auditor (token claim role auditor, 403 otherwise): the hashes that prove entry index is in the tree of
     * size size; 400 naming the field when index or size is out of range.
     */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.Forbidden
    @Get("/api/v1/audit/proofs/inclusion")
    @Operation(summary = "RFC 9162 inclusion proof of an entry in the tree of a given size")
    Proof inclusion(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId,
                    @RequestAttribute(NodeAuthentication.ROLE) @Nullable String role,
                    @QueryValue long index, @QueryValue long size) {
        auditor(nodeId, role, "proof");
        return new Proof(index, size, audit.inclusionProof(index, size));
    }

    private void auditor(String nodeId, @Nullable String role, String what) {
        if (!"auditor".equals(role)) {
            audit.record(AuditEvent.of("audit.refused", "node:" + nodeId, "audit:" + what)
                    .with("role", CoordinatorAudit.reference(role)));
            throw Problems.forbidden("the audit trail is for an auditor (token claim role)");
        }
        audit.record(AuditEvent.of("audit.read", "node:" + nodeId + ":auditor", "audit:" + what));
    }
}
