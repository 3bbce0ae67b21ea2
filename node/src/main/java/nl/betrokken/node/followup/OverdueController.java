package nl.betrokken.node.followup;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.problem.Problems;
import nl.betrokken.node.openapi.StaffApi;

/** The instellingscoördinator's list of the organisation's matches whose follow-up is overdue. */
@Controller("/api/v1/follow-up/overdue")
@Secured("COORDINATOR")
@Tag(name = "follow-up")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class OverdueController {

    private final OverdueFlags flags;

    OverdueController(OverdueFlags flags) {
        this.flags = flags;
    }

    @Get
    @Operation(summary = "The organisation's sides of active matches without follow-up past overdue-days",
            description = "Oldest first, each with the professional who holds the signal now and the day it was"
                    + " escalated to the coördinator (absent while not yet).")
    OverdueView.Page overdue(Authentication user) {
        Object organisation = user.getAttributes().get("organisation");
        if (organisation == null) {
            throw Problems.forbidden("the signed-in user belongs to no organisation");
        }
        return flags.overdue(organisation.toString());
    }
}
