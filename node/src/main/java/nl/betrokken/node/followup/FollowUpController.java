package nl.betrokken.node.followup;

import java.util.UUID;

import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.StaffApi;

/** The professional's follow-up of a match on one of the organisation's signals, and the regie hand-over. */
@Controller("/api/v1/matches/{matchId}")
@Secured("PROFESSIONAL")
@Tag(name = "follow-up")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class FollowUpController {

    private final FollowUps followUps;

    FollowUpController(FollowUps followUps) {
        this.followUps = followUps;
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @ProblemAnswers.Conflict
    @Put("/follow-up")
    @Operation(summary = "Record this side's follow-up of a match",
            description = "CONTACT_MADE with on (not in the future, not before the match), NOT_NEEDED with reason"
                    + " (and an optional note that stays at this node), or TAKES_REGIE (409 while the other side"
                    + " holds regie). Every change is kept; the latest is the state.")
    FollowUpView record(Authentication user, @PathVariable UUID matchId, @Body @Valid FollowUpRequest request) {
        return followUps.record(caller(user), matchId, request);
    }

    /** For a professional of this side of the match. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Get("/follow-up")
    @Operation(summary = "This side's follow-up of a match, with every change")
    FollowUpView find(Authentication user, @PathVariable UUID matchId) {
        return followUps.find(caller(user), matchId);
    }

    /** For a professional of this side of the match; the counterpart's node is told. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Delete("/regie")
    @Operation(summary = "Hand regie of the match over: nobody holds it until a side takes it again")
    FollowUpView release(Authentication user, @PathVariable UUID matchId) {
        return followUps.release(caller(user), matchId);
    }

    private static FollowUps.Caller caller(Authentication user) {
        Object organisation = user.getAttributes().get("organisation");
        if (organisation == null) {
            throw Problems.forbidden("the signed-in user belongs to no organisation");
        }
        return new FollowUps.Caller(user.getName(), organisation.toString());
    }
}
