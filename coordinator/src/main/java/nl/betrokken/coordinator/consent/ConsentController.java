package nl.betrokken.coordinator.consent;

import java.util.UUID;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import nl.betrokken.coordinator.enrolment.NodeAuthentication;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.coordinator.openapi.NodeTokenApi;

/** The consent register's internal API (node token, as every {@code /internal/v1} call). */
@Controller("/internal/v1")
@Tag(name = "consent")
@NodeTokenApi
@ExecuteOn(TaskExecutors.BLOCKING)
class ConsentController {

    private final ConsentRegister register;

    ConsentController(ConsentRegister register) {
        this.register = register;
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.Conflict
    @Post("/consents")
    @Operation(summary = "Registers a consent request of the home node (idempotent on id)",
            description = "The match must stand, its signals be active and the caller hold one of them; each part is"
                    + " a signal of the match (CHILD: the caller's own; FAMILY: both). 409 consent-exists when the"
                    + " match has a PENDING or GRANTED consent already.")
    HttpResponse<ConsentApi.Registered> register(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId,
                                                 @Body @Valid ConsentApi.Registration registration) {
        return HttpResponse.created(register.register(nodeId, registration));
    }

    /**
     * The node of a part answers for that part only (400 naming ref otherwise), validUntil within five years; the same
     * answer again answers the same and changes nothing.
     */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post("/consents/{id}/parts/answer")
    @Operation(summary = "A part node's answer for its part; all parts GRANTED grants the request (with a token),"
            + " one REFUSED refuses it")
    ConsentApi.Answered answer(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId, @PathVariable UUID id,
                               @Body @Valid ConsentApi.Answer answer) {
        return register.answer(nodeId, id, answer);
    }

    /** 404 when there is no such consent or the calling node holds no signal of its match. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Get("/consents/{id}")
    @Operation(summary = "The consent, for a node holding a signal of its match; a fresh token while GRANTED")
    ConsentApi.View view(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId, @PathVariable UUID id) {
        return register.view(nodeId, id);
    }

    /** The consent a node shows its professional for a match; a fresh token while it is GRANTED. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Get("/matches/{matchId}/consent")
    @Operation(summary = "The newest consent of the match, for a node holding a signal of it; 404 when none")
    ConsentApi.View ofMatch(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId,
                            @PathVariable UUID matchId) {
        return register.newestOfMatch(nodeId, matchId);
    }

    /**
     * By a node holding a signal of the match; a withdrawn consent stays withdrawn, and withdrawing it again answers
     * the same.
     */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post("/consents/{id}/withdraw")
    @Operation(summary = "Withdraws a PENDING or GRANTED consent and tells both signals' nodes (CONSENT_ENDED);"
            + " idempotent")
    ConsentApi.View withdraw(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId, @PathVariable UUID id) {
        return register.withdraw(nodeId, id);
    }

    /** 403 when the calling node holds no part of the consent; expiring an ended consent again changes nothing. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @ProblemAnswers.Forbidden
    @Post("/consents/{id}/expire")
    @Operation(summary = "Expires a PENDING or GRANTED consent (reason AGE or DATE), by a part node, and tells both"
            + " signals' nodes (CONSENT_ENDED); idempotent")
    ConsentApi.View expire(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId, @PathVariable UUID id,
                           @Body @Valid ConsentApi.Expiry expiry) {
        return register.expire(nodeId, id, expiry.reason());
    }

    /**
     * Called by the receiving node for its own signal ref of the match (400 naming ref otherwise) before it accepts
     * information under the consent; a refusal is recorded.
     */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @ProblemAnswers.Conflict
    @Post("/consents/{id}/use")
    @Operation(summary = "Counts a use of a GRANTED consent by the node about to accept an exchange, serialised with"
            + " withdrawal; 409 whose type ends in consent-pending, -refused, -withdrawn, -expired or -ended")
    ConsentApi.Used use(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId, @PathVariable UUID id,
                        @Body @Valid ConsentApi.Use use) {
        return register.use(nodeId, id, use.ref());
    }
}
