package nl.betrokken.coordinator.enrolment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.transaction.TransactionOperations;
import com.nimbusds.jwt.JWTParser;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.coordinator.audit.CoordinatorAudit;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.Es256TokenVerifier;
import nl.betrokken.crypto.token.TokenClaims;
import nl.betrokken.crypto.token.TokenVerificationException;
import nl.betrokken.crypto.token.VerifiedToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every call to the internal API ({@code /internal/**}): {@code Authorization: Bearer <token>}, an
 * ES256 token of type {@value #TOKEN_TYPE} signed with an enrolled node's key, with {@code aud} {@value #AUDIENCE}, {@code iss} and {@code sub}
 * the node id, a lifetime of at most {@link #MAX_LIFETIME}, and a {@code jti} never used before. Anything else is
 * refused with 401. The node id is passed on as the request attribute {@value #NODE_ID}. The same check guards
 * {@code /api/**}, where the node vouches for its user's role with the claim {@code role}.
 */
@ServerFilter({"/internal/**", "/api/**"})
public class NodeAuthentication {

    public static final String NODE_ID = "betrokken.node-id";
    /** The optional claim by which a node vouches for its user's role (gemeente, auditor) on {@code /api/**}. */
    public static final String ROLE = "betrokken.role";
    static final Claim<String> ROLE_CLAIM = Claim.string("role");
    public static final String AUDIENCE = "betrokken-coordinator";
    /** The JWS {@code typ} of a node's token (RFC 8725 section 3.11), so no other kind of token passes as one. */
    public static final String TOKEN_TYPE = "betrokken-node+jwt";
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(NodeAuthentication.class);

    private final EnrolledNodes nodes;
    private final TransactionOperations<Connection> transactions;
    private final CoordinatorAudit audit;
    private final Clock clock;

    NodeAuthentication(EnrolledNodes nodes, TransactionOperations<Connection> transactions, CoordinatorAudit audit,
                       Clock clock) {
        this.nodes = nodes;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Every refusal is logged ({@code token.refused}, with the node the token names if it names one), and every
     * accepted token in the transaction that records its id ({@code token.accepted}).
     */
    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    void authenticate(HttpRequest<?> request) {
        try {
            check(request);
        } catch (ProblemException refused) {
            audit.record(AuditEvent.of("token.refused", "node:" + CoordinatorAudit.reference(claimedNode(request)),
                    "call:" + CoordinatorAudit.reference(request.getMethodName() + ":" + request.getPath())));
            throw refused;
        }
    }

    private void check(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith("Bearer ")) {
            throw Problems.unauthorized("a node token is required: Authorization: Bearer <token>");
        }
        String token = header.substring("Bearer ".length()).trim();
        VerifiedToken verified = verify(token, nodes.snapshot(), true);
        TokenClaims claims = verified.claims();
        String nodeId = nodes.snapshot().nodeOfKid().get(verified.keyId());
        if (!nodeId.equals(claims.issuer()) || !nodeId.equals(claims.subject())) {
            throw Problems.unauthorized("the token's iss and sub must both be the node id of its key");
        }
        if (Duration.between(claims.issuedAt(), claims.expiresAt()).compareTo(MAX_LIFETIME) > 0) {
            throw Problems.unauthorized("the token lives longer than " + MAX_LIFETIME.toMinutes() + " minutes");
        }
        if (claims.jwtId().length() > 64) {
            throw Problems.unauthorized("the token's jti is longer than 64 characters");
        }
        String call = CoordinatorAudit.reference(request.getMethodName() + ":" + request.getPath());
        if (!firstUse(claims.jwtId(), nodeId, claims.expiresAt(), call)) {
            LOG.warn("refused a replayed token of node {}", nodeId);
            throw Problems.unauthorized("the token was already used (jti seen before)");
        }
        request.setAttribute(NODE_ID, nodeId);
        claims.get(ROLE_CLAIM).ifPresent(role -> request.setAttribute(ROLE, role));
    }

    /** Verifies against the known keys; a key id not yet known sends us to the database once for new enrolments. */
    private VerifiedToken verify(String token, EnrolledNodes.Snapshot snapshot, boolean mayRefresh) {
        if (snapshot.keys().keyIds().isEmpty()) {
            if (mayRefresh) {
                return verify(token, nodes.refreshed(), false);
            }
            throw Problems.unauthorized("the node token was refused: " + TokenVerificationException.Reason.UNKNOWN_KEY_ID);
        }
        Es256TokenVerifier verifier = Es256TokenVerifier.builder()
                .trustedKeys(snapshot.keys())
                .expectedAudience(AUDIENCE)
                .expectedType(TOKEN_TYPE)
                .clock(clock)
                .build();
        try {
            return verifier.verify(token);
        } catch (TokenVerificationException e) {
            if (e.reason() == TokenVerificationException.Reason.UNKNOWN_KEY_ID && mayRefresh) {
                return verify(token, nodes.refreshed(), false);
            }
            throw Problems.unauthorized("the node token was refused: " + e.reason());
        }
    }

    private boolean firstUse(String jti, String nodeId, Instant expiresAt, String call) {
        return transactions.executeWrite(status -> {
            try (PreparedStatement insert = status.getConnection().prepareStatement(
                    "INSERT INTO seen_token (jti, node_id, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, nodeId + ":" + jti);
                insert.setString(2, nodeId);
                insert.setTimestamp(3, Timestamp.from(expiresAt));
                boolean first = insert.executeUpdate() == 1;
                if (first) {
                    audit.record(status.getConnection(), AuditEvent.of("token.accepted", "node:" + nodeId, "call:" + call));
                }
                return first;
            }
        });
    }

    /** The node a refused token says it comes from (its unverified {@code iss}), "none" or "unknown". */
    private static String claimedNode(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith("Bearer ")) {
            return "none";
        }
        try {
            String issuer = JWTParser.parse(header.substring("Bearer ".length()).trim()).getJWTClaimsSet().getIssuer();
            return issuer == null ? "unknown" : issuer;
        } catch (java.text.ParseException | RuntimeException e) {
            return "unknown";
        }
    }
}
