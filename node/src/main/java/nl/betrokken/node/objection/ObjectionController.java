package nl.betrokken.node.objection;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
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
import nl.betrokken.node.account.Citizens;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.CitizenApi;
import nl.betrokken.node.openapi.StaffApi;

/**
 * Bezwaar: a parent or youth files an objection on a signal in any region ({@code CITIZEN}); the gemeente of the
 * node holding the signal lists them, asks the signal's professional for advice ({@code PROFESSIONAL} answers), and
 * decides them ({@code GEMEENTE}).
 */
@Controller("/api/v1/objections")
@Tag(name = "objections")
@ExecuteOn(TaskExecutors.BLOCKING)
class ObjectionController {

    private final CitizenObjections citizens;
    private final Objections objections;

    ObjectionController(CitizenObjections citizens, Objections objections) {
        this.citizens = citizens;
        this.objections = objections;
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @ProblemAnswers.Conflict
    @Post
    @Secured("CITIZEN")
    @CitizenApi
    @Operation(summary = "Object to a signal the signed-in person may see, at any node",
            description = "201 {id, status OPEN, deadline}; email (optional) is told when a decision is taken; 404"
                    + " when there is no such signal for this person; 409 with"
                    + " existingId when the signal already has an open objection.")
    HttpResponse<ObjectionView.Filed> file(Authentication user, @Body @Valid ObjectionRequests.File request) {
        ObjectionView.Filed filed = citizens.file(
                Citizens.bsn(user).orElseThrow(() -> Problems.forbidden("only a citizen files an objection")), request);
        return HttpResponse.<ObjectionView.Filed>status(HttpStatus.CREATED).body(filed)
                .headers(h -> h.location(URI.create("/api/v1/objections/" + filed.id())));
    }

    /** For a citizen (citizenToken) or a gemeente (staffToken). */
    @Get
    @Secured({"CITIZEN", "GEMEENTE"})
    @CitizenApi
    @StaffApi
    @Operation(summary = "A citizen's objections in every region; for the gemeente, those on this node's signals,"
            + " the oldest deadline first")
    ObjectionView.Page list(Authentication user) {
        if (user.getRoles().contains("GEMEENTE")) {
            return new ObjectionView.Page(objections.forGemeente(user.getName()), List.of());
        }
        return citizens.list(Citizens.bsn(user).orElseThrow(() -> Problems.forbidden("only a citizen has objections")));
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @ProblemAnswers.Conflict
    @Post("/{id}/advice-request")
    @Secured("GEMEENTE")
    @StaffApi
    @Operation(summary = "Ask the professional who holds the objection's signal for advice; they are told by e-mail",
            description = "200 the objection with adviceAskedOn; 404 when it is not on this node's signals; 409 when"
                    + " it was decided or advised, or its signal is gone. Asking again before the advice came sends"
                    + " the e-mail again.")
    ObjectionView askAdvice(Authentication user, @PathVariable UUID id) {
        return objections.askAdvice(user.getName(), id);
    }

    /** For a professional. */
    @Get("/advice-requests")
    @Secured("PROFESSIONAL")
    @StaffApi
    @Operation(summary = "The open objections on which the gemeente asks the caller or their organisation for advice,"
            + " with the person's reason")
    ObjectionView.AdviceRequests adviceRequests(Authentication user) {
        return new ObjectionView.AdviceRequests(objections.adviceRequests(user.getName()));
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @ProblemAnswers.Conflict
    @Post("/{id}/advice")
    @Secured("PROFESSIONAL")
    @StaffApi
    @Operation(summary = "Give the advice the gemeente asked for: the professional asked, or a colleague of the same"
            + " organisation",
            description = "200 the objection with advisedOn; 404 when no one of the caller's organisation was asked;"
                    + " 409 when it was decided or advised before; 400 naming advice.")
    ObjectionView advise(Authentication user, @PathVariable UUID id, @Body @Valid ObjectionRequests.Advice request) {
        return objections.advise(user.getName(), id, request.advice());
    }

    /**
     * For the gemeente of the node that holds the signal, with a motivation; the person is told by e-mail when they
     * gave one.
     */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @ProblemAnswers.Conflict
    @Post("/{id}/decision")
    @Secured("GEMEENTE")
    @StaffApi
    @Operation(summary = "Decide an objection on this node's signal: UPHELD erases the signal here and at the"
            + " coordinator (its matches withdrawn), REJECTED keeps it; 409 when it was decided before")
    ObjectionView decide(Authentication user, @PathVariable UUID id, @Body @Valid ObjectionRequests.Decision request) {
        return objections.decide(user.getName(), id, request.outcome(), request.motivation());
    }
}
