package nl.betrokken.node.inzage;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import nl.betrokken.node.match.FederationCalls;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.FederationApi;

/**
 * {@code POST /federation/v1/inzage}: another node fetches one of this node's signals for a person signed in there.
 * The caller shows its own node token (checked as every federation endpoint does, {@link FederationCalls#askerNode})
 * and the coordinator's inzage ticket ({@link InzageServing}).
 */
@Controller("/federation/v1/inzage")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "federation")
@FederationApi
@ExecuteOn(TaskExecutors.BLOCKING)
class InzageController {

    private final FederationCalls calls;
    private final InzageServing serving;

    InzageController(FederationCalls calls, InzageServing serving) {
        this.calls = calls;
        this.serving = serving;
    }

    /** {@code proofs}: also each access's leaf and inclusion proof, for the person's access-log file. */
    @Serdeable
    record InzageRequest(@NotBlank @Size(max = 4000) String ticket, @Nullable Boolean proofs) {
    }

    /**
     * The ticket is the coordinator's, for this person and this node's signal; the read is logged for the person's
     * access log.
     */
    @ProblemAnswers.BadRequest
    @Post
    @Operation(summary = "One signal for an inzage, for the node where the person signed in (node token + inzage ticket);"
            + " with proofs: true, each access with its leaf and inclusion proof against a countersigned checkpoint")
    InzageItem inzage(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                      @Body @Valid InzageRequest request) {
        return serving.serve(calls.askerNode(authorization), request.ticket(), Boolean.TRUE.equals(request.proofs()));
    }
}
