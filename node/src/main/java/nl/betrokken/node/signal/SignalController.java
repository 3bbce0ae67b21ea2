package nl.betrokken.node.signal;

import java.net.URI;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.StaffApi;

/** The professional's signals: register, read, list, end. Only the caller's own organisation's signals. */
@Controller("/api/v1/signals")
@Secured("PROFESSIONAL")
@Tag(name = "signals")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class SignalController {

    private final SignalService signals;

    SignalController(SignalService signals) {
        this.signals = signals;
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.Conflict
    @Post
    @Operation(summary = "Register a signal", description = "201 with the signal; 409 with existingId when the"
            + " organisation already has an active signal on this youth; a retry with the same Idempotency-Key"
            + " returns the first answer.")
    HttpResponse<SignalView> register(Authentication user, @Body @Valid RegisterSignalRequest request,
                                      @Header("Idempotency-Key") @Nullable @Size(min = 1, max = 200) String key) {
        // A retry with the same Idempotency-Key gets the first answer: the same 201 and the same signal.
        SignalView view = signals.register(caller(user), request, key).signal();
        return HttpResponse.<SignalView>status(HttpStatus.CREATED)
                .body(view)
                .headers(h -> h.location(URI.create("/api/v1/signals/" + view.id())));
    }

    @Get
    @Secured({"PROFESSIONAL", "COORDINATOR"})
    @Operation(summary = "The signals of the caller's organisation",
            description = "Also for the organisation's instellingscoördinator, read-only (audited as coord:).")
    SignalView.Page list(Authentication user) {
        return new SignalView.Page(signals.list(caller(user)));
    }

    /** For a professional; another organisation's signal is a 404. Every read is logged. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Get("/{id}")
    @Operation(summary = "One signal of the caller's organisation")
    SignalView get(Authentication user, @PathVariable UUID id) {
        return signals.find(caller(user), id).orElseThrow(() -> SignalService.notFound(id));
    }

    /** For a professional of the signal's organisation, with a reason; its matches stay. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post("/{id}/end")
    @Operation(summary = "End a signal: it stops matching at once, here and at the coordinator")
    SignalView end(Authentication user, @PathVariable UUID id, @Body @Valid EndSignalRequest request) {
        return signals.end(caller(user), id, request.reason());
    }

    static SignalService.Caller caller(Authentication user) {
        Object organisation = user.getAttributes().get("organisation");
        if (organisation == null) {
            throw Problems.forbidden("the signed-in user belongs to no organisation");
        }
        return new SignalService.Caller(user.getName(), organisation.toString());
    }
}
