package nl.betrokken.node.followup;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.match.FederationCalls;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.FederationApi;

/**
 * Hears from the other node of a match that its side took or handed over regie. Authenticated like the contact
 * exchange: the asker's node token and the coordinator's match ticket naming the asker's signal and one of this
 * node's; the ticket must be for the match in the path. Answers 204 once applied (a repeat changes nothing), 409 for a
 * claim when another claim of the match came first ({@link FollowUps}: who came first is decided by the order in which
 * the deciding side's node heard the claims, never by the instant a claim names).
 */
@Controller("/federation/v1/matches/{matchId}/regie")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "federation")
@FederationApi
@ExecuteOn(TaskExecutors.BLOCKING)
class RegieController {

    /** How far ahead of this node's clock a claim's instant may be: clock skew, not a way to jump the queue. */
    static final Duration SKEW = Duration.ofMinutes(5);

    private final FederationCalls calls;
    private final FollowUps followUps;
    private final Clock clock;
    private final NodeAudit audit;

    RegieController(FederationCalls calls, FollowUps followUps, Clock clock, NodeAudit audit) {
        this.calls = calls;
        this.followUps = followUps;
        this.clock = clock;
        this.audit = audit;
    }

    /** at must not be in the future (400 naming it). 204. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post
    @Operation(summary = "The other node's side took or handed over regie of a match (node token + match ticket)")
    HttpResponse<Void> regie(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                             @PathVariable UUID matchId, @Body @Valid RegieRequest request) {
        FederationCalls.Call call = verify(calls, audit, authorization, request.ticket(), request.ref(), matchId);
        if (request.at().isAfter(clock.instant().plus(SKEW))) {
            throw Problems.invalidField("at", "must not be in the future");
        }
        followUps.receive(matchId, call.ownRef(), call.askerNode(), call.askerRef(),
                FollowUps.Action.valueOf(request.action()), request.at());
        return HttpResponse.noContent();
    }

    /**
     * Verifies a federation call about the match in the path ({@link FederationCalls#verify}); a ticket for another
     * match is a 403, logged as {@code federation.refused}.
     */
    static FederationCalls.Call verify(FederationCalls calls, NodeAudit audit, @Nullable String authorization,
                                       String ticket, String ref, UUID matchId) {
        FederationCalls.Call call = calls.verify(authorization, ticket, ref);
        if (!call.matchId().equals(matchId)) {
            audit.record(AuditEvent.of("federation.refused", NodeAudit.actor("node", call.askerNode()), "federation:call")
                    .with("reason", "ticket-for-another-match"));
            throw Problems.forbidden("the ticket is for another match");
        }
        return call;
    }
}
