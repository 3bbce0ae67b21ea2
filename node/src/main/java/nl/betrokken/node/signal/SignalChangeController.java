package nl.betrokken.node.signal;

import java.util.UUID;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import nl.betrokken.node.staff.StaffService;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.StaffApi;

/** Changing a signal after registration: correct it, withdraw it as made in error, hand it to a colleague. */
@Controller("/api/v1/signals")
@Secured("PROFESSIONAL")
@Tag(name = "signals")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class SignalChangeController {

    private final SignalChanges changes;
    private final SignalService signals;
    private final StaffService staff;

    SignalChangeController(SignalChanges changes, SignalService signals, StaffService staff) {
        this.changes = changes;
        this.signals = signals;
        this.staff = staff;
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @ProblemAnswers.Conflict
    @Patch("/{id}")
    @Operation(summary = "Correct a signal: the youth's name and birth date, the parents (the whole new list)",
            description = "Not the youth's BSN (400 naming youth.bsn: withdraw and register anew). A new birth date"
                    + " gives a new activeUntil; a changed birth date or parents reach the coordinator through the"
                    + " outbox, which withdraws matches that no longer hold at both sides and finds new ones. The same"
                    + " correction again changes nothing. 409 for a signal that is not active.")
    SignalView correct(Authentication user, @PathVariable UUID id, @Body @Valid SignalCorrection correction) {
        return changes.correct(SignalController.caller(user), id, correction);
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post("/{id}/withdraw")
    @Operation(summary = "Withdraw a signal made in error: erased here and at the coordinator, matches withdrawn at"
            + " both sides, nothing archived", description = "204; asked again, the signal is gone: 404.")
    HttpResponse<Void> withdraw(Authentication user, @PathVariable UUID id) {
        changes.withdraw(SignalController.caller(user), id);
        return HttpResponse.noContent();
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @ProblemAnswers.Conflict
    @Post("/{id}/hand-over")
    @Operation(summary = "Hand a signal and its open matches to a colleague of the same organisation",
            description = "The other side of each open match is told the new contact; recorded in the staff change log."
                    + " 400 naming to for someone who is no professional of the organisation, 409 for a deactivated"
                    + " one; handing it to its own professional changes nothing.")
    SignalView handOver(Authentication user, @PathVariable UUID id, @Body @Valid HandOver request) {
        SignalService.Caller caller = SignalController.caller(user);
        staff.handOver(new StaffService.Caller(caller.username(), caller.organisationId()), id, request.to());
        return signals.find(caller, id).orElseThrow(() -> SignalService.notFound(id));
    }
}
