package nl.betrokken.node.archive;

import java.util.UUID;

import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import nl.betrokken.node.signal.SignalView;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.StaffApi;

/**
 * The archive: archived signals are read only by the gemeente or an auditor who states a reason, and every read is
 * recorded; the auditor reads the record. Professionals are refused (403) here and no longer see archived signals.
 */
@Controller("/api/v1/archive")
@Tag(name = "archive")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class ArchiveController {

    private final ArchiveAccess archive;

    ArchiveController(ArchiveAccess archive) {
        this.archive = archive;
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post("/signals/{id}/access")
    @Secured({"GEMEENTE", "AUDITOR"})
    @Operation(summary = "Read an archived signal, stating why (recorded)",
            description = "400 naming reason when it is missing or shorter than 10 characters; 404 when the signal"
                    + " is not in the archive.")
    SignalView read(Authentication user, @PathVariable UUID id, @Body @Valid AccessRequest request) {
        String role = user.getRoles().contains("AUDITOR") ? "AUDITOR" : "GEMEENTE";
        return archive.read(user.getName(), role, id, request.reason())
                .orElseThrow(() -> Problems.notFound("archived-signal-not-found", "Archived signal not found",
                        "there is no archived signal " + id));
    }

    /** For an auditor: every read of an archived signal with the reader, the time and the stated reason. */
    @Get("/accesses")
    @Secured("AUDITOR")
    @Operation(summary = "Who read which archived signal, when and why (newest first)")
    ArchiveAccess.Access.Page accesses() {
        return new ArchiveAccess.Access.Page(archive.accesses());
    }

    /** For a gemeente or an auditor: counts only, no identities, of what was archived and erased. */
    @Get("/counts")
    @Secured({"GEMEENTE", "AUDITOR"})
    @Operation(summary = "What remains of archived and erased signals: counts per day and metric")
    ArchiveAccess.Count.Page counts() {
        return new ArchiveAccess.Count.Page(archive.counts());
    }
}
