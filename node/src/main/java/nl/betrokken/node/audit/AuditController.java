package nl.betrokken.node.audit;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.StaffApi;

/**
 * The node's audit trail. The auditor (role {@code AUDITOR}) reads entries of a period, checkpoints, proofs and
 * reports, and takes the whole log home as a bundle; every read is itself an entry. The gemeente (role
 * {@code GEMEENTE}) sees which signals are held back from their parents and releases them, which opens their sealed
 * entries (also an entry). Others are refused (403).
 */
@Controller("/api/v1/audit")
@Tag(name = "audit")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class AuditController {

    private final AuditReads reads;
    private final AuditReports reports;
    private final Holds holds;

    AuditController(AuditReads reads, AuditReports reports, Holds holds) {
        this.reads = reads;
        this.reports = reports;
        this.holds = holds;
    }

    @ProblemAnswers.BadRequest
    @Get("/entries")
    @Secured("AUDITOR")
    @Operation(summary = "Entries appended in a period (from, to: YYYY-MM-DD, Europe/Amsterdam, both included)",
            description = "At most 1000 per answer; pass next as after for the rest. A sealed entry not yet released"
                    + " shows only its commitment.")
    AuditReads.EntryPage entries(Authentication user, @QueryValue @Nullable String from,
                                 @QueryValue @Nullable String to, @QueryValue @Nullable Long after) {
        return reads.entries(user.getName(), AuditReads.Period.parse(from, to), after);
    }

    /** For an auditor; each read of the audit log is itself audited. */
    @Get("/checkpoints")
    @Secured("AUDITOR")
    @Operation(summary = "The log's signed checkpoints (c2sp.org/tlog-checkpoint), smallest first; countersigned"
            + " ones carry the coordinator's cosignature")
    AuditReads.Checkpoints checkpoints(Authentication user) {
        return reads.checkpoints(user.getName());
    }

    /** For an auditor; index and size are required (400 naming the missing or out-of-range one). */
    @ProblemAnswers.BadRequest
    @Get("/proofs/inclusion")
    @Secured("AUDITOR")
    @Operation(summary = "RFC 9162 inclusion proof of entry index in the tree of size entries")
    AuditReads.InclusionProof inclusion(Authentication user, @QueryValue @Nullable Long index,
                                        @QueryValue @Nullable Long size) {
        return reads.inclusion(user.getName(), required("index", index), required("size", size));
    }

    /** For an auditor; from and to are required (400 naming the missing or out-of-range one). */
    @ProblemAnswers.BadRequest
    @Get("/proofs/consistency")
    @Secured("AUDITOR")
    @Operation(summary = "RFC 9162 consistency proof between the trees of from and to entries")
    AuditReads.ConsistencyProof consistency(Authentication user, @QueryValue @Nullable Long from,
                                            @QueryValue @Nullable Long to) {
        return reads.consistency(user.getName(), required("from", from), required("to", to));
    }

    /** For an auditor: every entry with the signed checkpoints and the verifier keys; each read is audited. */
    @Get(value = "/bundle", produces = MediaType.APPLICATION_JSON)
    @Secured("AUDITOR")
    @Operation(summary = "The whole log with its checkpoints and keys, to verify offline"
            + " (java -jar audit.jar verify bundle.json)")
    String bundle(Authentication user) {
        return reads.bundle(user.getName());
    }

    /**
     * For an auditor: the node asks the coordinator with its own token and role auditor, and passes the bundle on as it
     * came.
     */
    @Get(value = "/coordinator/bundle", produces = MediaType.APPLICATION_JSON)
    @Secured("AUDITOR")
    @Operation(summary = "The coordinator's own audit log as a bundle, fetched through this node on the auditor's"
            + " behalf; verify it the same way")
    String coordinatorBundle(Authentication user) {
        return reads.coordinatorBundle(user.getName());
    }

    /**
     * For an auditor; from and to are days (YYYY-MM-DD), 400 naming the field when one is not a date or the period is
     * refused.
     */
    @ProblemAnswers.BadRequest
    @Get("/reports")
    @Secured("AUDITOR")
    @Operation(summary = "Retention compliance, accesses by role, follow-up of matches for a period; no identities")
    AuditReports.Report report(Authentication user, @QueryValue @Nullable String from, @QueryValue @Nullable String to) {
        return reports.report(user.getName(), AuditReads.Period.parse(from, to));
    }

    @Serdeable
    record HeldPage(List<Holds.Hold> items) {
    }

    /** {@code POST /api/v1/audit/held/{reference}/review}: a new review date and why. */
    @Serdeable
    record Review(@Nullable String on, @Nullable String reason) {
    }

    @Get("/held")
    @Secured("GEMEENTE")
    @Operation(summary = "Signals held back from their parents (Veilig Thuis): their entries are sealed until released",
            description = "Each with its review date (reviewOn) and whether it has come (reviewDue); the earliest"
                    + " review date first.")
    HeldPage held() {
        return new HeldPage(holds.held());
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post("/held/{reference}/review")
    @Secured("GEMEENTE")
    @Operation(summary = "Set a new review date of a hold (by the signal's id or the hold's reference) with a reason",
            description = "on: YYYY-MM-DD, after today and at most a year ahead (else 400 naming on); reason: 1 to"
                    + " 500 characters (else 400 naming reason); 404 when no such hold waits. Answers the hold.")
    Holds.Hold review(Authentication user, @PathVariable String reference, @Body @Nullable Review body) {
        return holds.setReview(user.getName(), reference, body == null ? null : body.on(),
                body == null ? null : body.reason());
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @ProblemAnswers.Unavailable
    @Post("/held/{reference}/release")
    @Secured("GEMEENTE")
    @Operation(summary = "Release a held-back signal (by its id or its audit reference) or an exchange under the"
            + " Veilig Thuis exception (by its exchange: reference): its sealed entries open",
            description = "First the coordinator countersigns the log with the entries still sealed (503 when it"
                    + " cannot now), so that the person's access-log file can prove they were in the log all along.")
    Holds.Released release(Authentication user, @PathVariable String reference) {
        return holds.release(user.getName(), reference);
    }

    private static long required(String field, @Nullable Long value) {
        if (value == null) {
            throw Problems.invalidField(field, "is required, a whole number");
        }
        return value;
    }
}
