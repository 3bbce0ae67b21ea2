package nl.betrokken.node.consent;

import java.time.LocalDate;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.account.Citizens;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.CitizenApi;

/** The signed-in parent's or youth's consent requests and consents, across every region ({@link CitizenConsents}). */
@Controller("/api/v1")
@Secured("CITIZEN")
@Tag(name = "citizen")
@CitizenApi
@ExecuteOn(TaskExecutors.BLOCKING)
class CitizenConsentController {

    private final CitizenConsents consents;

    CitizenConsentController(CitizenConsents consents) {
        this.consents = consents;
    }

    @Serdeable
    record Grant(@Nullable String validUntil) {
    }

    /**
     * For the signed-in parent or youth: open requests at every node, each with the role in which the person answers.
     */
    @Get("/citizen/consent-requests")
    @Operation(summary = "The consent requests the signed-in person may answer")
    CitizenConsents.Page requests(Authentication user) {
        return consents.requests(person(user));
    }

    /** For the signed-in parent or youth: at every node, with the status and the consent id to withdraw it by. */
    @Get("/citizen/consents")
    @Operation(summary = "Every consent where the signed-in person is or was a needed role")
    CitizenConsents.Page consents(Authentication user) {
        return consents.consents(person(user));
    }

    /**
     * The request may be held at another node; validUntil (YYYY-MM-DD) is optional, 400 naming it when it is not a
     * date. 204.
     */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post("/consent-requests/{id}/grant")
    @Operation(summary = "Grant a consent request in the person's role, optionally until a date (inclusive)")
    HttpResponse<Void> grant(Authentication user, String id, @Nullable @Body Grant body) {
        LocalDate until;
        try {
            until = body == null || body.validUntil() == null || body.validUntil().isBlank() ? null
                    : LocalDate.parse(body.validUntil());
        } catch (java.time.format.DateTimeParseException e) {
            throw Problems.invalidField("validUntil", "must be a date YYYY-MM-DD");
        }
        consents.grant(person(user), ConsentController.uuid(id), until);
        return HttpResponse.noContent();
    }

    /** The request may be held at another node; one refusal refuses the whole request. 204. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post("/consent-requests/{id}/refuse")
    @Operation(summary = "Refuse a consent request in the person's role")
    HttpResponse<Void> refuse(Authentication user, String id) {
        consents.refuse(person(user), ConsentController.uuid(id));
        return HttpResponse.noContent();
    }

    /** At any node, for a consent in which the person is a needed role; both sides are told. 204. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post("/consents/{id}/withdraw")
    @Operation(summary = "Withdraw a consent (granted or pending)")
    HttpResponse<Void> withdraw(Authentication user, String id) {
        consents.withdraw(person(user), ConsentController.uuid(id));
        return HttpResponse.noContent();
    }

    private static Bsn person(Authentication user) {
        return Citizens.bsn(user).orElseThrow(() -> Problems.forbidden("only a citizen answers a consent request"));
    }
}
