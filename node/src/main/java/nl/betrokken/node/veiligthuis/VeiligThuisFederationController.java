package nl.betrokken.node.veiligthuis;

import java.util.UUID;

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
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import nl.betrokken.node.match.FederationCalls;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.FederationApi;

/**
 * {@code POST /federation/v1/veilig-thuis}: another node fetches one of this node's signals for its Veilig Thuis
 * worker's look-up. The caller shows its own node token ({@link FederationCalls#askerNode}) and the coordinator's
 * ticket of relation VEILIG_THUIS, with the look-up's id, the worker's username and the reason
 * ({@link VeiligThuisServing}).
 */
@Controller("/federation/v1/veilig-thuis")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "federation")
@FederationApi
@ExecuteOn(TaskExecutors.BLOCKING)
class VeiligThuisFederationController {

    private final FederationCalls calls;
    private final VeiligThuisServing serving;

    VeiligThuisFederationController(FederationCalls calls, VeiligThuisServing serving) {
        this.calls = calls;
        this.serving = serving;
    }

    /** The reason is personal data: never printed. */
    @Serdeable
    record LookupRequest(@NotBlank @Size(max = 4000) String ticket, @NotNull UUID lookup,
                         @NotBlank @Size(max = 100) String worker, @Nullable String reason) {
        @Override
        public String toString() {
            return "LookupRequest[" + lookup + "]";
        }
    }

    /** The ticket is the coordinator's, for the Veilig Thuis look-up at the asking node. */
    @ProblemAnswers.BadRequest
    @Post
    @Operation(summary = "One signal for a Veilig Thuis worker's look-up at the asking node (node token + ticket of"
            + " relation VEILIG_THUIS); logged here with the reason, held back from the parents until released")
    VeiligThuisItem lookup(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                           @Body @Valid LookupRequest request) {
        return serving.serve(calls.askerNode(authorization), request.ticket(), request.lookup(), request.worker(),
                request.reason());
    }
}
