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

    /**
     * Verifies another kind of token the coordinator signs with its ticket keys (an inzage ticket): {@code type},
     * issuer {@value #TICKET_ISSUER}, {@code audience}, and the {@code required} claims.
     */
    VerifiedToken coordinatorToken(String token, String type, String audience, List<Claim<?>> required)
            throws TokenVerificationException {
        try {
            return coordinatorVerifier(ticketKeys(false), type, audience, required).verify(token);
        } catch (TokenVerificationException e) {
            if (e.reason() != TokenVerificationException.Reason.UNKNOWN_KEY_ID) {
                throw e;
            }
            return coordinatorVerifier(ticketKeys(true), type, audience, required).verify(token);
        }
    }

    private Es256TokenVerifier coordinatorVerifier(PublicKeySet keys, String type, String audience,
                                                   List<Claim<?>> required) {
        Es256TokenVerifier.Builder b = Es256TokenVerifier.builder().trustedKeys(keys).expectedAudience(audience)
                .expectedIssuer(TICKET_ISSUER).expectedType(type).clock(clock);
        required.forEach(b::requireClaim);
        return b.build();
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
     * belongs to (the coordinator's enrolment, never the key id). A new key is found by its unknown key id. The
     * caller then checks the claims and the {@code jti}, and asks {@link #confirmEnrolled} last.
     *
     * @throws Refused when the token is refused
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
                if (again.reason() != TokenVerificationException.Reason.UNKNOWN_KEY_ID || !newKeyOfKnownNode(token)) {
                    throw Refused.of(again);
                }
                directory = fetchedNow();
                try {
                    verified = verify(directory, token);
                } catch (TokenVerificationException third) {
                    throw Refused.of(third);
                }
            }
        }
        String owner = directory.nodeOfKid().get(verified.keyId());
        if (owner == null) {
            throw new Refused("key-of-no-node", "the key belongs to no enrolled node");
        }
        return new NodeCaller(verified, owner);
    }

    /**
     * Asks the coordinator whether the caller's key is still enrolled for its node: a key replaced a moment ago
     * (compromise, rotation), by any coordinator instance or the operator's command, is refused at once, not when
     * this node next re-reads the key set. A refused key leaves the cache, so that more tokens under it are refused
     * here without asking the coordinator again.
     *
     * @throws Refused when the key is no longer enrolled for that node
     */
    void confirmEnrolled(NodeCaller caller) throws Refused, CoordinatorUnreachable {
        String kid = caller.token().keyId();
        if (!enrolledNow(caller.node(), kid)) {
            forget(kid);
            throw new Refused("key-not-enrolled", "the key is no longer enrolled for its node");
        }
    }

    private synchronized void forget(String kid) {
        Directory current = nodeKeys;
        if (current != null && current.keys().find(kid).isPresent()) {
            Map<String, String> nodeOfKid = new HashMap<>(current.nodeOfKid());
            nodeOfKid.remove(kid);
            nodeKeys = new Directory(PublicKeySet.of(current.keys().keyIds().stream().filter(k -> !k.equals(kid))
                    .map(k -> current.keys().find(k).orElseThrow()).toList()), Map.copyOf(nodeOfKid));
        }
    }

    /**
     * Whether the token's key id, unknown here even after the once-a-second re-read, is a key the coordinator has
     * enrolled a moment ago for the enrolled node the token claims: asked at most every 100 ms per node, so that a
     * node's new key is trusted at once while junk with made-up key ids costs a bounded number of questions.
     */
    private boolean newKeyOfKnownNode(String token) throws CoordinatorUnreachable {
        String kid;
        String claimed;
        try {
            com.nimbusds.jwt.JWT jwt = com.nimbusds.jwt.JWTParser.parse(token);
            kid = jwt instanceof com.nimbusds.jwt.SignedJWT signed ? signed.getHeader().getKeyID() : null;
            claimed = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException | RuntimeException e) {
            return false;
        }
        if (kid == null || claimed == null || !directory().hasNode(claimed)) {
            return false;
        }
        long now = System.nanoTime();
        Long last = nodeLookups.get(claimed);
        if (last != null && now - last < NODE_LOOKUP_NANOS) {
            return false;
        }
        nodeLookups.put(claimed, now);
        return enrolledNow(claimed, kid);
    }

    private static final long NODE_LOOKUP_NANOS = Duration.ofMillis(100).toNanos();
    private final Map<String, Long> nodeLookups = new java.util.concurrent.ConcurrentHashMap<>();

    /** The key set read from the coordinator now, whatever the last read. */
    private Directory fetchedNow() throws CoordinatorUnreachable {
        synchronized (this) {
            nodeKeysAt = 0;
        }
        return fetched(true);
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

    /** A verifier and the key set it was built for: built again only when the key set is read again. */
    private record VerifierOf(PublicKeySet keys, Es256TokenVerifier verifier) {
    }

    private volatile VerifierOf ticketVerifier;
    private volatile VerifierOf nodeVerifier;

    private Es256TokenVerifier ticketVerifier(PublicKeySet keys) {
        VerifierOf current = ticketVerifier;
        if (current == null || current.keys() != keys) {
            current = new VerifierOf(keys, Es256TokenVerifier.builder().trustedKeys(keys)
                    .expectedAudience(TICKET_AUDIENCE).expectedIssuer(TICKET_ISSUER).expectedType(TICKET_TYPE)
                    .requireClaim(PARTIES).clock(clock).build());
            ticketVerifier = current;
        }
        return current.verifier();
    }

    private Es256TokenVerifier nodeVerifier(PublicKeySet keys) {
        VerifierOf current = nodeVerifier;
        if (current == null || current.keys() != keys) {
            current = new VerifierOf(keys, Es256TokenVerifier.builder().trustedKeys(keys)
                    .expectedAudience(node.nodeId()).expectedType(NodeKeys.TOKEN_TYPE).maxClockSkew(CLOCK_SKEW)
                    .clock(clock).build());
            nodeVerifier = current;
        }
        return current.verifier();
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
