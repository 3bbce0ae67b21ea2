package nl.betrokken.node.organisation;

import java.net.URI;

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
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.StaffApi;

/** The gemeente keeps the organisations of the convenant: list, admit, suspend, reinstate, remove. */
@Controller("/api/v1/organisations")
@Secured("GEMEENTE")
@Tag(name = "organisations")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class OrganisationController {

    private final OrganisationService organisations;

    OrganisationController(OrganisationService organisations) {
        this.organisations = organisations;
    }

    /** For the gemeente of the region. */
    @Get
    @Operation(summary = "The organisations of this node, with their active professionals and active signals counted")
    OrganisationView.Page list() {
        return new OrganisationView.Page(organisations.list());
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.Conflict
    @Post
    @Operation(summary = "Admit an organisation with its instellingscoördinator's account, in one step",
            description = "400 naming the field; 409 naming name (taken by another organisation) or"
                    + " coordinator.username (taken at this node).")
    HttpResponse<OrganisationView> admit(Authentication user, @Body Admission admission) {
        OrganisationView admitted = organisations.admit(user.getName(), admission);
        return HttpResponse.<OrganisationView>status(HttpStatus.CREATED).body(admitted)
                .headers(h -> h.location(URI.create("/api/v1/organisations/" + admitted.id())));
    }

    /** For the gemeente of the region; 404 for an unknown organisation. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Get("/{id}")
    @Operation(summary = "The organisation with its accounts")
    OrganisationView.Detail find(Authentication user, @PathVariable String id) {
        return organisations.find(user.getName(), id);
    }

    /** For the gemeente of the region; recorded in the audit log. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post("/{id}/suspend")
    @Operation(summary = "Suspend an organisation: its accounts can no longer sign in; its signals stay as they are")
    OrganisationView suspend(Authentication user, @PathVariable String id) {
        return organisations.suspend(user.getName(), id);
    }

    /** For the gemeente of the region; its accounts can sign in again. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post("/{id}/reinstate")
    @Operation(summary = "Lift an organisation's suspension")
    OrganisationView reinstate(Authentication user, @PathVariable String id) {
        return organisations.reinstate(user.getName(), id);
    }

    /**
     * For the gemeente of the region: per active signal, the professionals of other organisations who may take it over.
     */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Get("/{id}/signals")
    @Operation(summary = "The signals to decide on before removing the organisation, and who may take them over")
    OrganisationView.ToDecide toDecide(Authentication user, @PathVariable String id) {
        return organisations.toDecide(user.getName(), id);
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @ProblemAnswers.Conflict
    @Post("/{id}/remove")
    @Operation(summary = "Remove an organisation: each signal handed to another organisation's professional or ended",
            description = "400 naming decisions.<signal id> when a signal has no decision or a wrong one; 409 naming"
                    + " decisions.<signal id>.handOverTo when that organisation has an active signal on the youth.")
    OrganisationView.Removed remove(Authentication user, @PathVariable String id, @Body Removal removal) {
        return organisations.remove(user.getName(), id, removal);
    }
}
