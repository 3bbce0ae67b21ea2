package nl.betrokken.node.followup;

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
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.match.FederationCalls;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.FederationApi;

/**
 * Hears from the other node of a match that its matchcoördinator called on both sides: this node e-mails the
 * professional of its side ({@link CallOns#receive}). Authenticated as the regie and contact calls: the asker's node
 * token and the coordinator's match ticket naming the asker's signal and one of this node's, for the match in the
 * path. 204 once stored; a repeat of the same call id changes nothing (204); 410 when this node's side is gone.
 */
@Controller("/federation/v1/matches/{matchId}/call-on")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "federation")
@FederationApi
@ExecuteOn(TaskExecutors.BLOCKING)
class CallOnController {

    private final FederationCalls calls;
    private final CallOns callOns;
    private final NodeAudit audit;

    CallOnController(FederationCalls calls, CallOns callOns, NodeAudit audit) {
        this.calls = calls;
        this.callOns = callOns;
        this.audit = audit;
    }

    /**
     * This node e-mails its professional of the match, once per call id (a repeat changes nothing); 410 when its side
     * of the match is no longer active. 204.
     */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @ProblemAnswers.Gone
    @Post
    @Operation(summary = "The other node's matchcoördinator called on both sides of a match (node token + match ticket)")
    HttpResponse<Void> callOn(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                              @PathVariable UUID matchId, @Body @Valid CallOnRequest request) {
        FederationCalls.Call call = RegieController.verify(calls, audit, authorization, request.ticket(),
                request.ref(), matchId);
        callOns.receive(call, request);
        return HttpResponse.noContent();
    }
}
