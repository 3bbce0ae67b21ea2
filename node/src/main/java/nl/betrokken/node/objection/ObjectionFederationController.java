package nl.betrokken.node.objection;

import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.node.match.FederationCalls;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.FederationApi;

/**
 * The holding node's side of bezwaar, for the node where the person signed in: its node token (checked as every
 * federation endpoint does, {@link FederationCalls#askerNode}) and the coordinator's inzage tickets for this node.
 * The body is checked only after the node token, so that an unauthenticated call is a 401 whatever it holds.
 */
@Controller("/federation/v1/objections")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "federation")
@FederationApi
@ExecuteOn(TaskExecutors.BLOCKING)
class ObjectionFederationController {

    private final FederationCalls calls;
    private final Objections objections;

    ObjectionFederationController(FederationCalls calls, Objections objections) {
        this.calls = calls;
        this.objections = objections;
    }

    /**
     * The node where the person signed in files it here, with the inzage tickets that show the person may see the
     * signal; 201.
     */
    @ProblemAnswers.BadRequest
    @Post
    @Operation(summary = "File an objection on one of this node's signals for a person signed in at the calling node")
    HttpResponse<ObjectionView.Filed> file(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                                           @Body ObjectionRequests.FederationFile request) {
        String asker = calls.askerNode(authorization);
        return HttpResponse.status(HttpStatus.CREATED).body(
                objections.file(asker, request.tickets(), request.signalId(), request.reason(), request.email(),
                        request.id()));
    }

    /** The node where the person signed in asks, with the person's inzage tickets. */
    @ProblemAnswers.BadRequest
    @Post("/list")
    @Operation(summary = "The objections on this node's signals that the tickets let the person see")
    List<ObjectionView> list(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                             @Body ObjectionRequests.FederationList request) {
        String asker = calls.askerNode(authorization);
        return objections.forPerson(asker, request.tickets(), request.filed());
    }
}
