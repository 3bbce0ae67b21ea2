package nl.betrokken.node.match;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jwt.JWTParser;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.TokenClaims;
import nl.betrokken.crypto.token.TokenVerificationException;
import nl.betrokken.crypto.token.VerifiedToken;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a call from another node about one match: (1) the asker's own node token, signed with a key enrolled for
 * that very node (the coordinator's enrolment names the node of each key; a key id is a thumbprint and never read as
 * a node's name), still enrolled when the call comes (the coordinator confirms it, so a replaced key is refused at
 * once), for this node as audience, living at most {@link #MAX_LIFETIME}, its {@code jti} used once
 * ({@link SeenTokens}); and (2) the coordinator's match ticket naming the asker's signal and one of this node's
 * signals. Every federation endpoint about a match ({@code /federation/v1/contacts},
 * {@code /federation/v1/matches/{id}/regie}) authenticates this one way. Refused calls are counted per caller and
 * minute ({@link FederationRefusals}: one {@code federation.refused} entry with the count and the reasons).
 */
@Singleton
public class FederationCalls {

    /** The longest lifetime ({@code exp - iat}) of a node token this node accepts, as the coordinator does. */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(FederationCalls.class);

    private final Trust trust;
    private final NodeConfiguration node;
    private final SeenTokens seen;
    private final FederationRefusals refusals;

    FederationCalls(Trust trust, NodeConfiguration node, SeenTokens seen, FederationRefusals refusals) {
        this.trust = trust;
        this.node = node;
        this.seen = seen;
        this.refusals = refusals;
    }

    /**
     * A verified call: the asking node and its signal reference, the match (the ticket's subject), and this node's
     * signal reference that the ticket names as the other party.
     */
    public record Call(String askerNode, String askerRef, UUID matchId, String ownRef) {
    }

    /**
     * Verifies the call, or throws a problem: 401 without a valid node token, 403 when the ticket is refused or does
     * not name the asker's signal {@code askerRef} and a signal of this node, 503 when the coordinator cannot confirm
     * the asker's key now.
     */
    public Call verify(@Nullable String authorization, String ticketText, String askerRef) {
        return call(askerNode(authorization), ticketText, askerRef);
    }

    /**
     * The ticket of a call whose node token {@link #askerNode} has accepted: 403 when it is refused or does not name
     * the asker's signal {@code askerRef} and a signal of this node (counted as {@link #verify} counts it).
     */
    public Call call(String askerNode, String ticketText, String askerRef) {
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

    /**
     * A token the coordinator signed with its ticket key for this node as audience, of {@code type} and with the
     * {@code required} claims (the inzage ticket of inzage/).
     *
     * @throws TokenVerificationException when it is refused
     * @throws ProblemException 503 when the coordinator's keys cannot be fetched now
     */
    public VerifiedToken coordinatorTicket(String text, String type, List<Claim<?>> required)
            throws TokenVerificationException {
        return coordinatorTicket(text, type, node.nodeId(), required);
    }

    /**
     * As {@link #coordinatorTicket(String, String, List)}, for {@code audience} (the consent token of consent/ is for
     * every node: {@code betrokken-node}).
     */
    public VerifiedToken coordinatorTicket(String text, String type, String audience, List<Claim<?>> required)
            throws TokenVerificationException {
        try {
            return trust.coordinatorToken(text, type, audience, required);
        } catch (RuntimeException e) {
            LOG.warn("cannot fetch the coordinator's ticket keys: {}", e.getClass().getSimpleName());
            throw Problems.unavailable("the ticket cannot be checked now; try again later");
        }
    }

    /** The node whose own node token {@code authorization} carries, or a 401 problem (503: ask again later). */
    public String askerNode(@Nullable String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw refused("unknown", "no-token",
                    Problems.unauthorized("a node token is required: Authorization: Bearer <token>"));
        }
        String token = authorization.substring("Bearer ".length()).trim();
        Trust.NodeCaller asker;
        try {
            asker = trust.nodeToken(token);
        } catch (Trust.Refused e) {
            throw refused(claimedNode(token), e.reason, Problems.unauthorized("the node token was refused: " + e.getMessage()));
        } catch (Trust.CoordinatorUnreachable e) {
            throw unavailable(e);
        }
        TokenClaims claims = asker.token().claims();
        String askerNode = asker.node();
        if (!askerNode.equals(claims.issuer()) || !askerNode.equals(claims.subject())) {
            throw refused(claimedNode(token), "issuer-not-key-owner",
                    Problems.unauthorized("the token's iss and sub must both be the node of its key"));
        }
        if (Duration.between(claims.issuedAt(), claims.expiresAt()).compareTo(MAX_LIFETIME) > 0) {
            throw refused(askerNode, "lifetime",
                    Problems.unauthorized("the token lives longer than " + MAX_LIFETIME.toMinutes() + " minutes"));
        }
        if (claims.jwtId().length() > 64) {
            throw refused(askerNode, "jti-length", Problems.unauthorized("the token's jti is longer than 64 characters"));
        }
        if (!seen.firstUse(askerNode, claims.jwtId(), claims.expiresAt())) {
            LOG.warn("refused a replayed token of node {}", askerNode);
            throw refused(askerNode, "replayed", Problems.unauthorized("the token was already used (jti seen before)"));
        }
        // Last, so that a replay or a token refused above never costs a call to the coordinator.
        try {
            trust.confirmEnrolled(asker);
        } catch (Trust.Refused e) {
            throw refused(askerNode, e.reason, Problems.unauthorized("the node token was refused: " + e.getMessage()));
        } catch (Trust.CoordinatorUnreachable e) {
            throw unavailable(e);
        }
        return askerNode;
    }

    private static ProblemException unavailable(Trust.CoordinatorUnreachable e) {
        LOG.warn("cannot check a node token now: {}", e.getCause() == null ? e.toString() : e.getCause().toString());
        return Problems.unavailable("the node token cannot be checked now; try again later");
    }

    /**
     * The node a refused token claims to come from (its unverified {@code iss}) when that is an enrolled node, else
     * {@code unknown}: junk cannot make up callers, so the counts stay one per node and minute.
     */
    private String claimedNode(String token) {
        try {
            String issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
            return issuer != null && trust.directory().hasNode(issuer) ? issuer : "unknown";
        } catch (java.text.ParseException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Counts a refused call (per caller and minute, {@code federation.refused}) and returns the problem to throw. */
    private ProblemException refused(String caller, String reason, ProblemException problem) {
        refusals.count(caller, reason);
        return problem;
    }
}
