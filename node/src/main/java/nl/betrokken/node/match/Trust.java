package nl.betrokken.node.match;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import jakarta.inject.Singleton;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.Es256TokenVerifier;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.TokenVerificationException;
import nl.betrokken.crypto.token.VerifiedToken;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.keys.NodeTokens;

/**
 * Whom this node trusts, fetched from the coordinator and cached: the coordinator's ticket keys
 * ({@code /.well-known/jwks.json}) and the enrolled nodes' token keys ({@code /internal/v1/nodes/keys}). A key id
 * not in the cache makes it fetch again, at most once a second.
 */
@Singleton
class Trust {

    static final String TICKET_ISSUER = "betrokken-coordinator";
    static final String TICKET_AUDIENCE = "betrokken-node";
    static final String TICKET_TYPE = "betrokken-ticket+jwt";
    /** The ticket's two parties, {@code node:ref} each. */
    static final Claim<List<String>> PARTIES = Claim.stringList("parties");
    private static final long REFRESH_NANOS = Duration.ofSeconds(1).toNanos();

    private final HttpClient coordinator;
    private final NodeTokens tokens;
    private final NodeConfiguration node;
    private final Clock clock;
    private PublicKeySet ticketKeys;
    private PublicKeySet nodeKeys;
    private long ticketKeysAt;
    private long nodeKeysAt;

    Trust(@Client(id = "coordinator") HttpClient coordinator, NodeTokens tokens, NodeConfiguration node, Clock clock) {
        this.coordinator = coordinator;
        this.tokens = tokens;
        this.node = node;
        this.clock = clock;
    }

    /** Verifies a match ticket signed by the coordinator. */
    VerifiedToken ticket(String ticket) throws TokenVerificationException {
        try {
            return ticketVerifier(ticketKeys(false)).verify(ticket);
        } catch (TokenVerificationException e) {
            if (e.reason() != TokenVerificationException.Reason.UNKNOWN_KEY_ID) {
                throw e;
            }
            return ticketVerifier(ticketKeys(true)).verify(ticket);
        }
    }

    /** Verifies another node's token for a call to this node. */
    VerifiedToken nodeToken(String token) throws TokenVerificationException {
        try {
            return nodeVerifier(nodeKeys(false)).verify(token);
        } catch (TokenVerificationException e) {
            if (e.reason() != TokenVerificationException.Reason.UNKNOWN_KEY_ID) {
                throw e;
            }
            return nodeVerifier(nodeKeys(true)).verify(token);
        }
    }

    /** Fetches both key sets ahead of the first contact request, so that the first match is not the slow one. */
    void warmUp() {
        ticketKeys(false);
        nodeKeys(false);
    }

    private Es256TokenVerifier ticketVerifier(PublicKeySet keys) {
        return Es256TokenVerifier.builder().trustedKeys(keys).expectedAudience(TICKET_AUDIENCE)
                .expectedIssuer(TICKET_ISSUER).expectedType(TICKET_TYPE).requireClaim(PARTIES).clock(clock).build();
    }

    private Es256TokenVerifier nodeVerifier(PublicKeySet keys) {
        return Es256TokenVerifier.builder().trustedKeys(keys).expectedAudience(node.nodeId())
                .expectedType(NodeKeys.TOKEN_TYPE).clock(clock).build();
    }

    private synchronized PublicKeySet ticketKeys(boolean refresh) {
        if (ticketKeys == null || refresh && System.nanoTime() - ticketKeysAt > REFRESH_NANOS) {
            ticketKeys = PublicKeySet.parse(coordinator.toBlocking().retrieve("/.well-known/jwks.json"));
            ticketKeysAt = System.nanoTime();
        }
        return ticketKeys;
    }

    private synchronized PublicKeySet nodeKeys(boolean refresh) {
        if (nodeKeys == null || refresh && System.nanoTime() - nodeKeysAt > REFRESH_NANOS) {
            nodeKeys = PublicKeySet.parse(coordinator.toBlocking().retrieve(HttpRequest.GET("/internal/v1/nodes/keys")
                    .bearerAuth(tokens.forCall(NodeTokens.COORDINATOR))));
            nodeKeysAt = System.nanoTime();
        }
        return nodeKeys;
    }
}
