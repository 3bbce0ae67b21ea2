package nl.betrokken.node.exchange;

import java.util.Map;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
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
import jakarta.validation.Valid;
import nl.betrokken.node.match.FederationCalls;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.FederationApi;

/**
 * Receives a message from the other node of a match: its node token and the match ticket
 * ({@link FederationCalls#verify}), then the consent token or the Veilig Thuis exception ({@link Exchanges#receive}).
 * 201 once stored (or stored before); 403 problem+json whose type ends in the consent's refusal.
 */
@Controller("/federation/v1/messages")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "federation")
@FederationApi
@ExecuteOn(TaskExecutors.BLOCKING)
class ExchangeFederationController {

    private final FederationCalls calls;
    private final Exchanges exchanges;

    ExchangeFederationController(FederationCalls calls, Exchanges exchanges) {
        this.calls = calls;
        this.exchanges = exchanges;
    }

    /**
     * Accepted only under a consent the coordinator counts as used, or a legal exception; refused with 403 naming the
     * consent otherwise.
     */
    @ProblemAnswers.BadRequest
    @Post
    @Operation(summary = "A message for this node's professional of a match, from the other node (node token + match"
            + " ticket + consent token or exception)")
    HttpResponse<Map<String, Object>> receive(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                                              @Body @Valid Delivery delivery) {
        FederationCalls.Call call = calls.verify(authorization, delivery.ticket(), delivery.ref());
        try {
            exchanges.receive(call.askerNode(), call.askerRef(), call.matchId(), call.ownRef(), delivery);
        } catch (Exchanges.Refused r) {
            throw r.problem();
        }
        return HttpResponse.created(Map.of("id", delivery.id().toString()));
    }
}
