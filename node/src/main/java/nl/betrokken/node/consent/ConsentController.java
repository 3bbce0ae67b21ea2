package nl.betrokken.node.consent;

import java.time.LocalDate;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
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
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.StaffApi;

/**
 * The professional's side of consent: ask it for a match ({@code POST /api/v1/matches/{id}/consent-requests}), see it
 * ({@code GET /api/v1/matches/{id}/consent}), and record an answer given in person or on paper
 * ({@code POST /api/v1/consent-requests/{id}/recorded}).
 */
@Controller("/api/v1")
@Secured("PROFESSIONAL")
@Tag(name = "consent")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class ConsentController {

    private final ConsentRequests requests;

    ConsentController(ConsentRequests requests) {
        this.requests = requests;
    }

    @Serdeable
    record Ask(@Nullable String purpose) {
    }

    @Serdeable
    record Recorded(@Nullable String by, @Nullable String on, @Nullable String form) {
    }

    /**
     * For a professional of either side of the match; 201 with the roles whose consent is needed (PARENT, YOUTH, by the
     * youth's age).
     */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post("/matches/{id}/consent-requests")
    @Operation(summary = "Ask the parent and/or youth for consent to share information with the other side of a match")
    HttpResponse<ConsentRequests.Asked> ask(Authentication user, String id, @Body Ask body) {
        ConsentRequests.Asked asked = requests.ask(user.getName(), organisation(user), uuid(id),
                body == null ? null : body.purpose(), NodeAudit.actor("prof", user.getName()), null);
        return HttpResponse.status(HttpStatus.CREATED).body(asked);
    }

    /**
     * For a professional of either side of the match: NONE, PENDING, GRANTED, WITHDRAWN, REFUSED or EXPIRED, with
     * validUntil.
     */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Get("/matches/{id}/consent")
    @Operation(summary = "The match's consent as the coordinator's register holds it, with the purpose")
    ConsentRequests.View consent(Authentication user, String id) {
        return requests.view(user.getName(), organisation(user), uuid(id));
    }

    /**
     * For a professional of the match: by (PARENT or YOUTH) and on (YYYY-MM-DD), 400 naming the field otherwise. 204.
     */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post("/consent-requests/{id}/recorded")
    @Operation(summary = "Record a parent's or youth's consent given in person or on paper, as a grant")
    HttpResponse<Void> recorded(Authentication user, String id, @Body Recorded body) {
        LocalDate on;
        try {
            on = body == null || body.on() == null ? null : LocalDate.parse(body.on());
        } catch (java.time.format.DateTimeParseException e) {
            throw Problems.invalidField("on", "must be a date YYYY-MM-DD");
        }
        if (on == null) {
            throw Problems.invalidField("on", "must be a date YYYY-MM-DD");
        }
        requests.record(user.getName(), organisation(user), uuid(id), body.by(), on, body.form());
        return HttpResponse.noContent();
    }

    static String organisation(Authentication user) {
        Object organisation = user.getAttributes().get("organisation");
        if (organisation == null) {
            throw Problems.forbidden("the signed-in user belongs to no organisation");
        }
        return organisation.toString();
    }

    static UUID uuid(String id) {
        try {
            if (id != null && id.length() == 36) {
                return UUID.fromString(id);
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw Problems.invalidField("id", "must be a UUID");
    }
}
