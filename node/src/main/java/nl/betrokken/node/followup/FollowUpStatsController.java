package nl.betrokken.node.followup;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.StaffApi;

/** The gemeente's follow-up figures of the region, per organisation and month; never an identity. */
@Controller("/api/v1/follow-up/stats")
@Secured("GEMEENTE")
@Tag(name = "follow-up")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class FollowUpStatsController {

    private final FollowUpStats stats;

    FollowUpStatsController(FollowUpStats stats) {
        this.stats = stats;
    }

    /** For a gemeente; 400 naming from or to when it is not a month. */
    @ProblemAnswers.BadRequest
    @Get
    @Operation(summary = "Follow-up of matches per organisation and month of the match (from, to: YYYY-MM)")
    FollowUpStats.Report report(@QueryValue @Nullable String from, @QueryValue @Nullable String to) {
        return stats.report(from, to);
    }
}
