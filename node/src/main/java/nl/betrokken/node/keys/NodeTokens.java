package nl.betrokken.node.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Singleton;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.TokenClaims;
import nl.betrokken.node.NodeConfiguration;

/** Short-lived tokens this node signs for each call it makes: a fresh {@code jti} every time, two minutes valid. */
@Singleton
public class NodeTokens {

    /** The audience of calls to the coordinator. */
    public static final String COORDINATOR = "betrokken-coordinator";
    static final Duration LIFETIME = Duration.ofMinutes(2);

    private final NodeKeys keys;
    private final NodeConfiguration node;
    private final Clock clock;

    NodeTokens(NodeKeys keys, NodeConfiguration node, Clock clock) {
        this.keys = keys;
        this.node = node;
        this.clock = clock;
    }

    /** A token for one call to {@code audience} (the coordinator, or another node's id). */
    public String forCall(String audience) {
        return keys.signer().sign(claims(audience).build());
    }

    /**
     * A token for one call to the coordinator's API on behalf of a signed-in user: the node vouches for the user's
     * role ({@code gemeente}, {@code auditor}) with the claim {@code role}, as the coordinator's statistics and audit
     * API require.
     */
    public String forUserOfRole(String role) {
        return keys.signer().sign(claims(COORDINATOR).claim(ROLE, role).build());
    }

    private static final Claim<String> ROLE = Claim.string("role");

    private TokenClaims.Builder claims(String audience) {
        Instant now = clock.instant();
        return TokenClaims.builder()
                .issuer(node.nodeId()).subject(node.nodeId()).audience(audience)
                .jwtId(UUID.randomUUID().toString())
                .issuedAt(now).expiresAt(now.plus(LIFETIME));
    }
}
