package nl.betrokken.node.match;

import java.time.Clock;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
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
 * ({@code /.well-known/jwks.json}) and the enrolled nodes' token keys with the node of each
 * ({@code /internal/v1/nodes/keys}). A key id not in the cache makes it fetch again, at most once a second. A node's
 * token is trusted only after the coordinator confirms that its key is still enrolled for that node
 * ({@code /internal/v1/nodes/{node}/keys}), so that a replaced key stops working at once.
 */
@Singleton
class Trust {

    static final String TICKET_ISSUER = "betrokken-coordinator";
    static final String TICKET_AUDIENCE = "betrokken-node";
    static final String TICKET_TYPE = "betrokken-ticket+jwt";
    /** The ticket's two parties, {@code node:ref} each. */
    static final Claim<List<String>> PARTIES = Claim.stringList("parties");
    /** The clock skew allowed on another node's token; its {@code jti} is kept until its expiry plus this. */
    static final Duration CLOCK_SKEW = Es256TokenVerifier.DEFAULT_MAX_CLOCK_SKEW;
    private static final long REFRESH_NANOS = Duration.ofSeconds(1).toNanos();

    private final HttpClient coordinator;
    private final NodeTokens tokens;
    private final NodeConfiguration node;
    private final Clock clock;
    private PublicKeySet ticketKeys;
    private Directory nodeKeys;
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

    /** A node's token verified, and the node its key belongs to, as its enrolment at the coordinator says. */
    record NodeCaller(VerifiedToken token, String node) {
    }

    /** A node's token refused; {@code reason} is a short word for the audit log's counts. */
    static final class Refused extends Exception {
        final String reason;

        Refused(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        static Refused of(TokenVerificationException e) {
            return new Refused("token-" + e.reason(), e.reason().toString());
        }
    }

    /** The coordinator could not be asked whether a key is still enrolled: neither trusted nor refused for good. */
    static final class CoordinatorUnreachable extends Exception {
        CoordinatorUnreachable(Throwable cause) {
            super("the coordinator cannot be reached", cause, false, false);
        }
    }

    /**
     * Verifies another node's token for a call to this node against the enrolled keys, and names the node the key
     * belongs to (the coordinator's enrolment, never the key id). Then asks the coordinator whether the key is still
     * enrolled for that node: a key replaced a moment ago (compromise, rotation), by any coordinator instance or the
     * operator's command, is refused at once, not when this node next re-reads the key set. A new key is found by
     * its unknown key id.
     *
     * @throws Refused when the token is refused, also for a key that is no longer enrolled
     */
    NodeCaller nodeToken(String token) throws Refused, CoordinatorUnreachable {
        VerifiedToken verified;
        Directory directory = fetched(false);
        try {
            verified = verify(directory, token);
        } catch (TokenVerificationException e) {
            if (e.reason() != TokenVerificationException.Reason.UNKNOWN_KEY_ID) {
                throw Refused.of(e);
            }
            directory = fetched(true);
            try {
                verified = verify(directory, token);
            } catch (TokenVerificationException again) {
                throw Refused.of(again);
            }
        }
        String owner = directory.nodeOfKid().get(verified.keyId());
        if (owner == null) {
            throw new Refused("key-of-no-node", "the key belongs to no enrolled node");
        }
        if (!enrolledNow(owner, verified.keyId())) {
            synchronized (this) {
                nodeKeysAt = 0; // re-read at the next unknown key id, whatever the last read
            }
            throw new Refused("key-not-enrolled", "the key is no longer enrolled for its node");
        }
        return new NodeCaller(verified, owner);
    }

    private Directory fetched(boolean refresh) throws CoordinatorUnreachable {
        try {
            return nodeKeys(refresh);
        } catch (RuntimeException e) {
            throw new CoordinatorUnreachable(e);
        }
    }

    private VerifiedToken verify(Directory directory, String token) throws TokenVerificationException, Refused {
        if (directory.keys().keyIds().isEmpty()) {
            throw new Refused("token-" + TokenVerificationException.Reason.UNKNOWN_KEY_ID, "no node is enrolled");
        }
        return nodeVerifier(directory.keys()).verify(token);
    }

    /** The nodes enrolled at the coordinator as last read: their keys, and the node each key id belongs to. */
    record Directory(PublicKeySet keys, Map<String, String> nodeOfKid) {

        boolean hasNode(String nodeId) {
            return nodeOfKid.containsValue(nodeId);
        }
    }

    /** Whether node {@code nodeId}'s keys at the coordinator, as enrolled now, hold {@code kid}. */
    private boolean enrolledNow(String nodeId, String kid) throws CoordinatorUnreachable {
        try {
            String json = coordinator.toBlocking().retrieve(HttpRequest.GET("/internal/v1/nodes/" + nodeId + "/keys")
                    .bearerAuth(tokens.forCall(NodeTokens.COORDINATOR)));
            return PublicKeySet.parse(json).keyIds().contains(kid);
        } catch (HttpClientResponseException e) {
            if (e.getStatus() == HttpStatus.NOT_FOUND) {
                return false;
            }
            throw new CoordinatorUnreachable(e);
        } catch (RuntimeException e) {
            throw new CoordinatorUnreachable(e);
        }
    }

    /** The enrolled nodes as last read (read now if never), to name a refused call's caller; empty if unreachable. */
    Directory directory() {
        try {
            return nodeKeys(false);
        } catch (RuntimeException e) {
            return new Directory(PublicKeySet.empty(), Map.of());
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
                .expectedType(NodeKeys.TOKEN_TYPE).maxClockSkew(CLOCK_SKEW).clock(clock).build();
    }

    private synchronized PublicKeySet ticketKeys(boolean refresh) {
        if (ticketKeys == null || refresh && System.nanoTime() - ticketKeysAt > REFRESH_NANOS) {
            ticketKeys = PublicKeySet.parse(coordinator.toBlocking().retrieve("/.well-known/jwks.json"));
            ticketKeysAt = System.nanoTime();
        }
        return ticketKeys;
    }

    private synchronized Directory nodeKeys(boolean refresh) {
        if (nodeKeys == null || refresh && (nodeKeysAt == 0 || System.nanoTime() - nodeKeysAt > REFRESH_NANOS)) {
            String json = coordinator.toBlocking().retrieve(HttpRequest.GET("/internal/v1/nodes/keys")
                    .bearerAuth(tokens.forCall(NodeTokens.COORDINATOR)));
            nodeKeys = parseDirectory(json);
            nodeKeysAt = System.nanoTime();
        }
        return nodeKeys;
    }

    /** The coordinator's key set with its {@code nodes} member (key id to node id); a key without a node is left out. */
    static Directory parseDirectory(String json) {
        PublicKeySet served = PublicKeySet.parse(json);
        Map<String, String> nodeOfKid = new HashMap<>();
        try {
            if (JSONObjectUtils.parse(json).get("nodes") instanceof Map<?, ?> nodes) {
                nodes.forEach((kid, nodeId) -> {
                    if (kid instanceof String k && nodeId instanceof String n && served.find(k).isPresent()) {
                        nodeOfKid.put(k, n);
                    }
                });
            }
        } catch (ParseException e) {
            throw new IllegalArgumentException("the coordinator's node key set is not JSON", e);
        }
        PublicKeySet keys = PublicKeySet.of(served.keyIds().stream().filter(nodeOfKid::containsKey)
                .map(kid -> served.find(kid).orElseThrow()).toList());
        return new Directory(keys, Map.copyOf(nodeOfKid));
    }
}
