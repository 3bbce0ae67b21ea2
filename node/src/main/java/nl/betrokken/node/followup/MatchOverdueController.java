package nl.betrokken.node.followup;

import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.StaffApi;

/**
 * The matchcoördinator's overdue matches of the region ({@code GET /api/v1/matches/overdue}, also for the gemeente)
 * and the call on both sides of one ({@code POST /api/v1/matches/{matchId}/call-on}).
 */
@Controller("/api/v1/matches")
@Tag(name = "follow-up")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class MatchOverdueController {

    private final OverdueFlags flags;
    private final CallOns callOns;

    MatchOverdueController(OverdueFlags flags, CallOns callOns) {
        this.flags = flags;
        this.callOns = callOns;
    }

    /** {@code {"note"}}: the matchcoördinator's own remark (optional, at most 500 characters; kept at this node). */
    @Serdeable
    record CallOnNote(@Nullable String note) {
        @Override
        public String toString() {
            return "CallOnNote[redacted]";
        }
    }

    @Get("/overdue")
    @Secured({"MATCHCOORDINATOR", "GEMEENTE"})
    @Operation(summary = "Every overdue side of this region's matches, by organisation",
            description = "Active matches on this node's signals whose professional recorded no follow-up within"
                    + " overdue-days: per side the match, type, made on, days overdue, the organisation and"
                    + " professional, the counterpart's region and organisation as far as known, and the last call on"
                    + " it. Ordered by organisation name, then oldest first; counts per organisation. No youth data.")
    MatchOverdueView.Page overdue() {
        return flags.overdueInRegion(null);
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @ProblemAnswers.Conflict
    @Post("/{matchId}/call-on")
    @Secured("MATCHCOORDINATOR")
    @Operation(summary = "Call on both sides of an overdue match to record its follow-up",
            description = "E-mails this node's professional(s) of the match and asks the counterpart's node, node to"
                    + " node, to e-mail its professional; when that node cannot be reached now the call is kept and"
                    + " sent later (counterpart PENDING). 404: no such match here; 409 match-not-overdue: no side"
                    + " here waits for follow-up past the deadline; 400: the note is longer than 500 characters.")
    HttpResponse<CallOnView> callOn(Authentication user, @PathVariable UUID matchId,
                                    @Body @Nullable CallOnNote body) {
        return HttpResponse.created(callOns.callOn(user, matchId, body == null ? null : body.note()));
    }
}
