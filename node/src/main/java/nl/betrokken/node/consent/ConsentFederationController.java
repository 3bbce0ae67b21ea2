package nl.betrokken.node.consent;

import java.sql.Connection;
import java.util.List;
import java.util.UUID;

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
import io.micronaut.transaction.TransactionOperations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.match.FederationCalls;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.FederationApi;

/**
 * The part node's side of consent, for other nodes: the home node of a FAMILY match creates this node's part
 * ({@code /federation/v1/consent-parts}: node token and match ticket, as {@code /federation/v1/contacts}); the node
 * where a person signed in lists, answers and withdraws for them ({@code /federation/v1/consent/…}: node token and the
 * coordinator's inzage tickets for this node, checked as an inzage's). The body is read only after the node token.
 */
@Controller("/federation/v1")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "federation")
@FederationApi
@ExecuteOn(TaskExecutors.BLOCKING)
class ConsentFederationController {

    private final FederationCalls calls;
    private final ConsentParts parts;
    private final TransactionOperations<Connection> transactions;

    ConsentFederationController(FederationCalls calls, ConsentParts parts,
                                TransactionOperations<Connection> transactions) {
        this.calls = calls;
        this.parts = parts;
        this.transactions = transactions;
    }

    /**
     * The home node of the request asks the node of the other signal to create its part; 400 naming ticket when it is
     * missing.
     */
    @ProblemAnswers.BadRequest
    @Post("/consent-parts")
    @Operation(summary = "Create this node's part of a consent request of a FAMILY match (node token + match ticket)")
    ConsentRequests.PartNeeds createPart(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                                         @Body ConsentRequests.PartBody body) {
        if (body == null || body.ticket() == null || body.ref() == null) {
            calls.askerNode(authorization);
            throw Problems.invalidField("ticket", "must be given");
        }
        FederationCalls.Call call = calls.verify(authorization, body.ticket(), body.ref());
        UUID consentId = ConsentController.uuid(body.consentId());
        if (body.askingOrganisation() == null || body.askingProfessional() == null) {
            throw Problems.invalidField("askingOrganisation", "must be given");
        }
        List<String> needs = transactions.executeWrite(status -> parts.create(status.getConnection(),
                new ConsentParts.NewPart(consentId, call.matchId(), call.ownRef(), call.askerNode(), body.purpose(),
                        body.askingOrganisation(), body.askingProfessional(), body.askingOrganisation(),
                        NodeAudit.actor("node", call.askerNode()))));
        return new ConsentRequests.PartNeeds(needs);
    }

    /** The node where the person signed in asks, with the inzage tickets the coordinator gave it for that person. */
    @ProblemAnswers.BadRequest
    @Post("/consent/person")
    @Operation(summary = "The consent parts on this node's signals that the inzage tickets let the person see")
    List<CitizenConsents.Item> person(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                                      @Body CitizenConsents.Tickets body) {
        String asker = calls.askerNode(authorization);
        return parts.forPerson(asker, body == null ? List.of() : tickets(body.tickets()));
    }

    /**
     * The node where the person signed in passes the person's answer, with the inzage tickets that show the person may
     * give it. 204.
     */
    @ProblemAnswers.BadRequest
    @Post("/consent/answer")
    @Operation(summary = "Grant or refuse a consent part for a person signed in at the calling node")
    HttpResponse<Void> answer(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                              @Body CitizenConsents.AnswerBody body) {
        String asker = calls.askerNode(authorization);
        parts.answer(asker, tickets(body.tickets()), ConsentController.uuid(body.consentId()), body.answer(),
                body.validUntil());
        return HttpResponse.noContent();
    }

    /**
     * The node where the person signed in passes the withdrawal, with the inzage tickets that show the person may. 204.
     */
    @ProblemAnswers.BadRequest
    @Post("/consent/withdraw")
    @Operation(summary = "Withdraw a consent for a person signed in at the calling node")
    HttpResponse<Void> withdraw(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                                @Body CitizenConsents.WithdrawBody body) {
        String asker = calls.askerNode(authorization);
        parts.withdraw(asker, tickets(body.tickets()), ConsentController.uuid(body.consentId()));
        return HttpResponse.noContent();
    }

    /** The inzage tickets of a call: present, at most 100, none empty (else a 400 naming {@code tickets}). */
    private static List<String> tickets(@Nullable List<String> tickets) {
        if (tickets == null || tickets.size() > 100 || tickets.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw Problems.invalidField("tickets", "must be a list of at most 100 inzage tickets");
        }
        return tickets;
    }
}
