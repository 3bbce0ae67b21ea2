package nl.betrokken.node.match;

import java.util.ArrayList;
import java.util.List;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.FederationApi;

/**
 * Answers another node's request for the contact data behind one of this node's signals. The asker must show
 * (1) its own node token, signed with its enrolled key, for this node as audience, and (2) the coordinator's match
 * ticket that names the asker's signal and one of this node's signals. It gets the contact for that one signal
 * only, while the signal is active and the match not withdrawn here (else 410), and every answer is recorded
 * ({@code contact_access} and the audit log) in the transaction that reads it. The contacts of many matches go in one
 * call ({@code /batch}), under one node token, each with its own ticket.
 */
@Controller("/federation/v1/contacts")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "federation")
@FederationApi
@ExecuteOn(TaskExecutors.BLOCKING)
class ContactController {

    private final FederationCalls calls;
    private final Matches matches;

    private final ContactChanges changes;

    ContactController(FederationCalls calls, Matches matches, ContactChanges changes) {
        this.calls = calls;
        this.matches = matches;
        this.changes = changes;
    }

    /** Only while the signal is active and the match not withdrawn here (410 otherwise); every answer is recorded. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.Gone
    @Post
    @Operation(summary = "Contact data for a match, for the other node of the match (node token + match ticket)")
    Contact contact(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @Body @Valid ContactRequest request) {
        FederationCalls.Call call = calls.verify(authorization, request.ticket(), request.ref());
        return matches.serveContact(call.askerNode(), call.askerRef(), call.matchId(), call.ownRef());
    }

    /**
     * The contacts of many matches in one call: one node token for all, each match with its own ticket, checked as
     * for one. A ticket refused, or a signal no longer active, is left out of the answer; the asker asks that one
     * alone to learn why. All answers are recorded in one transaction.
     */
    @ProblemAnswers.BadRequest
    @Post("/batch")
    @Operation(summary = "Contact data for many matches at once, for the other node of each (node token + a match"
            + " ticket each); a refused one is left out")
    List<Matches.Served> contacts(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                                  @Body @Valid ContactBatchRequest request) {
        String askerNode = calls.askerNode(authorization);
        List<FederationCalls.Call> accepted = new ArrayList<>();
        for (ContactRequest r : request.tickets()) {
            try {
                accepted.add(calls.call(askerNode, r.ticket(), r.ref()));
            } catch (ProblemException refused) {
                // counted by FederationCalls; left out of the answer
            }
        }
        return matches.serveContacts(accepted);
    }

    /**
     * The other node of a match tells this node that the contact behind its signal changed (a hand-over or new contact
     * data), with the new contact. The asker shows its node token; the match must be one this node holds from the
     * coordinator's feed with the asker's signal {@code ref} as counterpart. That record, not the match ticket, is the
     * proof here: a ticket lives 30 days, a contact may change years after the match.
     */
    @ProblemAnswers.BadRequest
    @Post("/changed")
    @Operation(summary = "The counterpart's node tells this node its professional's new contact for a match (node token)")
    HttpResponse<Void> changed(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                               @Body @Valid ContactChange request) {
        String askerNode = calls.askerNode(authorization);
        if (!changes.receive(askerNode, request)) {
            throw Problems.notFound("match-not-found", "Match not found",
                    "this node holds no open match " + request.matchId() + " with that signal of your node");
        }
        return HttpResponse.noContent();
    }
}
