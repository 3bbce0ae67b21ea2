package nl.betrokken.node.match;

import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.crypto.token.TokenVerificationException;
import nl.betrokken.crypto.token.VerifiedToken;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a call from another node about one match: (1) the asker's own node token, signed with its enrolled key,
 * for this node as audience, and (2) the coordinator's match ticket naming the asker's signal and one of this
 * node's signals. Every federation endpoint about a match ({@code /federation/v1/contacts},
 * {@code /federation/v1/matches/{id}/regie}) authenticates this one way. Every refused call is an audit entry
 * ({@code federation.refused}) with the reason.
 */
@Singleton
public class FederationCalls {

    private static final Logger LOG = LoggerFactory.getLogger(FederationCalls.class);

    private final Trust trust;
    private final NodeConfiguration node;
    private final NodeAudit audit;

    FederationCalls(Trust trust, NodeConfiguration node, NodeAudit audit) {
        this.trust = trust;
        this.node = node;
        this.audit = audit;
    }

    /**
     * A verified call: the asking node and its signal reference, the match (the ticket's subject), and this node's
     * signal reference that the ticket names as the other party.
     */
    public record Call(String askerNode, String askerRef, UUID matchId, String ownRef) {
    }

    /**
     * Verifies the call, or throws a problem: 401 without a valid node token, 403 when the ticket is refused or does
     * not name the asker's signal {@code askerRef} and a signal of this node.
     */
    public Call verify(@Nullable String authorization, String ticketText, String askerRef) {
        String askerNode = askerNode(authorization);
        VerifiedToken ticket;
        try {
            ticket = trust.ticket(ticketText);
        } catch (TokenVerificationException e) {
            LOG.warn("refused a call of node {}: ticket {}", askerNode, e.reason());
            throw refused(askerNode, "ticket-" + e.reason(), Problems.forbidden("the match ticket was refused: " + e.reason()));
        }
        List<String> parties = ticket.claims().require(Trust.PARTIES);
        if (!parties.contains(askerNode + ":" + askerRef)) {
            LOG.warn("refused a call of node {}: not a party to match {}", askerNode, ticket.claims().subject());
            throw refused(askerNode, "not-a-party", Problems.forbidden("the ticket does not name the asking node's signal"));
        }
        String mine = parties.stream().filter(p -> p.startsWith(node.nodeId() + ":")
                        && !p.equals(askerNode + ":" + askerRef))
                .findFirst()
                .orElseThrow(() -> refused(askerNode, "no-signal-here",
                        Problems.forbidden("the ticket names no signal of this node")));
        return new Call(askerNode, askerRef, UUID.fromString(ticket.claims().subject()),
                mine.substring(node.nodeId().length() + 1));
    }

    /** The node whose own node token {@code authorization} carries, or a 401 problem. */
    public String askerNode(@Nullable String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw refused("unknown", "no-token",
                    Problems.unauthorized("a node token is required: Authorization: Bearer <token>"));
        }
        VerifiedToken asker;
        try {
            asker = trust.nodeToken(authorization.substring("Bearer ".length()).trim());
        } catch (TokenVerificationException e) {
            throw refused("unknown", "token-" + e.reason(),
                    Problems.unauthorized("the node token was refused: " + e.reason()));
        }
        String askerNode = asker.claims().issuer();
        if (!asker.keyId().startsWith(askerNode + "-") || !askerNode.equals(asker.claims().subject())) {
            throw refused("unknown", "issuer-not-key-owner",
                    Problems.unauthorized("the token's issuer is not the node of its key"));
        }
        return askerNode;
    }

    /** Records a refused call ({@code federation.refused}, with the reason) and returns the problem to throw. */
    private ProblemException refused(String askerNode, String reason, ProblemException problem) {
        audit.record(AuditEvent.of("federation.refused", NodeAudit.actor("node", askerNode), "federation:call")
                .with("reason", NodeAudit.reference(reason)));
        return problem;
    }
}
