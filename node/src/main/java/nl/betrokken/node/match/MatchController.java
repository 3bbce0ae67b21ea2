package nl.betrokken.node.match;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.node.followup.FollowUps;
import nl.betrokken.problem.Problems;

/** The matches on the caller's organisation's signals, each with the counterpart to contact. */
@Controller("/api/v1/matches")
@Secured("PROFESSIONAL")
@Tag(name = "matches")
@ExecuteOn(TaskExecutors.BLOCKING)
class MatchController {

    private final Matches matches;
    private final FollowUps followUps;

    MatchController(Matches matches, FollowUps followUps) {
        this.matches = matches;
        this.followUps = followUps;
    }

    @Get
    @Operation(summary = "Matches on the caller's organisation's signals")
    MatchView.Page list(Authentication user) {
        Object organisation = user.getAttributes().get("organisation");
        if (organisation == null) {
            throw Problems.forbidden("the signed-in user belongs to no organisation");
        }
        return new MatchView.Page(followUps.withFollowUp(matches.forOrganisation(organisation.toString()),
                organisation.toString()));
    }
}
