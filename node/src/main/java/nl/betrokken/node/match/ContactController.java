package nl.betrokken.node.match;

import java.util.List;
import java.util.UUID;

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
import nl.betrokken.crypto.token.TokenVerificationException;
import nl.betrokken.crypto.token.VerifiedToken;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers another node's request for the contact data behind one of this node's signals. The asker must show
 * (1) its own node token, signed with its enrolled key, for this node as audience, and (2) the coordinator's match
 * ticket that names the asker's signal and one of this node's signals. It gets the contact for that one signal
 * only, and every answer is recorded ({@code contact_access}).
 */
@Controller("/federation/v1/contacts")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "federation")
@ExecuteOn(TaskExecutors.BLOCKING)
class ContactController {

    private static final Logger LOG = LoggerFactory.getLogger(ContactController.class);

    private final Trust trust;
    private final Matches matches;
    private final NodeConfiguration node;
    private final ContactChanges changes;

    ContactController(Trust trust, Matches matches, NodeConfiguration node, ContactChanges changes) {
        this.trust = trust;
        this.matches = matches;
        this.node = node;
        this.changes = changes;
    }

    @Post
    @Operation(summary = "Contact data for a match, for the other node of the match (node token + match ticket)")
    Contact contact(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @Body @Valid ContactRequest request) {
        String askerNode = askerNode(authorization);
        VerifiedToken ticket;
        try {
            ticket = trust.ticket(request.ticket());
        } catch (TokenVerificationException e) {
            LOG.warn("refused a contact request of node {}: ticket {}", askerNode, e.reason());
            throw Problems.forbidden("the match ticket was refused: " + e.reason());
        }
        List<String> parties = ticket.claims().require(Trust.PARTIES);
        if (!parties.contains(askerNode + ":" + request.ref())) {
            LOG.warn("refused a contact request of node {}: not a party to match {}", askerNode, ticket.claims().subject());
            throw Problems.forbidden("the ticket does not name the asking node's signal");
        }
        String mine = parties.stream().filter(p -> p.startsWith(node.nodeId() + ":")
                        && !p.equals(askerNode + ":" + request.ref()))
                .findFirst()
                .orElseThrow(() -> Problems.forbidden("the ticket names no signal of this node"));
        String ref = mine.substring(node.nodeId().length() + 1);
        Contact contact = matches.contactOf(ref)
                .orElseThrow(() -> Problems.notFound("signal-not-found", "Signal not found",
                        "this node no longer has the signal of that match"));
        matches.recordAccess(askerNode, request.ref(), UUID.fromString(ticket.claims().subject()), ref);
        return contact;
    }

    /**
     * The other node of a match tells this node that the contact behind its signal changed (a hand-over or new contact
     * data), with the new contact. The asker shows its node token; the match must be one this node holds from the
     * coordinator's feed with the asker's signal {@code ref} as counterpart. That record, not the match ticket, is the
     * proof here: a ticket lives 30 days, a contact may change years after the match.
     */
    @Post("/changed")
    @Operation(summary = "The counterpart's node tells this node its professional's new contact for a match (node token)")
    HttpResponse<Void> changed(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
                               @Body @Valid ContactChange request) {
        String askerNode = askerNode(authorization);
        if (!changes.receive(askerNode, request)) {
            throw Problems.notFound("match-not-found", "Match not found",
                    "this node holds no open match " + request.matchId() + " with that signal of your node");
        }
        return HttpResponse.noContent();
    }

    /** The node whose token this is, or 401. */
    private String askerNode(@Nullable String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw Problems.unauthorized("a node token is required: Authorization: Bearer <token>");
        }
        VerifiedToken asker;
        try {
            asker = trust.nodeToken(authorization.substring("Bearer ".length()).trim());
        } catch (TokenVerificationException e) {
            throw Problems.unauthorized("the node token was refused: " + e.reason());
        }
        String askerNode = asker.claims().issuer();
        if (!asker.keyId().startsWith(askerNode + "-") || !askerNode.equals(asker.claims().subject())) {
            throw Problems.unauthorized("the token's issuer is not the node of its key");
        }
        return askerNode;
    }
}
