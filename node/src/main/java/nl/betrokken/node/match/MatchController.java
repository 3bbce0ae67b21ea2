package nl.betrokken.node.match;

import java.util.UUID;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.StaffApi;

/** The matches on the caller's organisation's signals, each with the counterpart to contact. */
@Controller("/api/v1/matches")
@Secured("PROFESSIONAL")
@Tag(name = "matches")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class MatchController {

    private final Matches matches;

    MatchController(Matches matches) {
        this.matches = matches;
    }

    /**
     * For a professional: each with the type (CHILD or FAMILY), the signal and the counterpart's organisation,
     * professional, e-mail and phone.
     */
    @Get
    @Operation(summary = "Matches on the caller's organisation's signals")
    MatchView.Page list(Authentication user) {
        return new MatchView.Page(matches.list(user.getName(), organisation(user), null));
    }

    /** For a professional of the organisation that holds the signal. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Get("/{id}")
    @Operation(summary = "One match on a signal of the caller's organisation, with the counterpart and this side's"
            + " follow-up (another organisation's match is a 404)")
    MatchView find(Authentication user, @PathVariable UUID id) {
        return matches.find(user.getName(), organisation(user), id).orElseThrow(() -> Problems.notFound(
                "match-not-found", "Match not found", "no match " + id + " on a signal of your organisation"));
    }

    static String organisation(Authentication user) {
        Object organisation = user.getAttributes().get("organisation");
        if (organisation == null) {
            throw Problems.forbidden("the signed-in user belongs to no organisation");
        }
        return organisation.toString();
    }
}
