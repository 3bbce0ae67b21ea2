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
 * the node id, a lifetime of at most {@link #MAX_LIFETIME}, and a {@code jti} never used before (kept in
 * {@code seen_token} until {@code exp} plus {@link #CLOCK_SKEW}). The key must be enrolled for that node when the
 * {@code jti} is recorded. Anything else is
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

    /** The clock skew the check allows; a token's id is kept until its {@code exp} plus this (RetentionService). */
    public static final Duration CLOCK_SKEW = Es256TokenVerifier.DEFAULT_MAX_CLOCK_SKEW;

    private final EnrolledNodes nodes;
    private final TransactionOperations<Connection> transactions;
    private final CoordinatorAudit audit;
    private final TokenRefusals refusals;
    private final Clock clock;

    NodeAuthentication(EnrolledNodes nodes, TransactionOperations<Connection> transactions, CoordinatorAudit audit,
                       TokenRefusals refusals, Clock clock) {
        this.nodes = nodes;
        this.transactions = transactions;
        this.audit = audit;
        this.refusals = refusals;
        this.clock = clock;
    }

    /** A refusal, with the reason it is counted under. */
    private static final class Refused extends RuntimeException {
        final String reason;
        final ProblemException problem;

        Refused(String reason, ProblemException problem) {
            super(reason, null, false, false);
            this.reason = reason;
            this.problem = problem;
        }
    }

    /**
     * Every refusal is counted per caller and minute ({@link TokenRefusals}: one {@code token.refused} entry with
     * the count per caller and minute, not one per refusal, so a flood of junk never queues on the audit log's head
     * lock), and every accepted token is logged in the transaction that records its id ({@code token.accepted}).
     */
    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    void authenticate(HttpRequest<?> request) {
        try {
            check(request);
        } catch (Refused refused) {
            refusals.count(claimedNode(request), refused.reason);
            throw refused.problem;
        }
    }

    private static Refused refuse(String reason, String detail) {
        return new Refused(reason, Problems.unauthorized(detail));
    }

    private void check(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith("Bearer ")) {
            throw refuse("no-token", "a node token is required: Authorization: Bearer <token>");
        }
        String token = header.substring("Bearer ".length()).trim();
        Verified verified = verify(token, nodes.snapshot(), true);
        TokenClaims claims = verified.token().claims();
        // The node of the key, as its enrolment says (the snapshot the token was verified against): exact, never a
        // prefix of the key id.
        String nodeId = verified.nodeId();
        if (!nodeId.equals(claims.issuer()) || !nodeId.equals(claims.subject())) {
            throw refuse("issuer-not-key-owner", "the token's iss and sub must both be the node id of its key");
        }
        if (Duration.between(claims.issuedAt(), claims.expiresAt()).compareTo(MAX_LIFETIME) > 0) {
            throw refuse("lifetime", "the token lives longer than " + MAX_LIFETIME.toMinutes() + " minutes");
        }
        if (claims.jwtId().length() > 64) {
            throw refuse("jti-length", "the token's jti is longer than 64 characters");
        }
        // The audit subject as a whole is cut to its 200 characters: a path of any length is a 4xx further on, not a
        // 500 here.
        String call = CoordinatorAudit.reference("call:" + request.getMethodName() + ":" + request.getPath());
        Use use = firstUse(claims.jwtId(), nodeId, verified.token().keyId(), claims.expiresAt(), call);
        if (use == Use.KEY_REPLACED) {
            LOG.warn("refused a token of node {} signed with a key no longer enrolled", nodeId);
            nodes.refreshed();
            throw refuse("key-not-enrolled", "the token's key is no longer enrolled for node " + nodeId);
        }
        if (use == Use.REPLAYED) {
            LOG.warn("refused a replayed token of node {}", nodeId);
            throw refuse("replayed", "the token was already used (jti seen before)");
        }
        request.setAttribute(NODE_ID, nodeId);
        claims.get(ROLE_CLAIM).ifPresent(role -> request.setAttribute(ROLE, role));
    }

    private record Verified(VerifiedToken token, String nodeId) {
    }

    /** Verifies against the known keys; a key id not yet known sends us to the database once for new enrolments. */
    private Verified verify(String token, EnrolledNodes.Snapshot snapshot, boolean mayRefresh) {
        if (snapshot.keys().keyIds().isEmpty()) {
            if (mayRefresh) {
                return verify(token, nodes.refreshed(), false);
            }
            throw refuse("token-" + TokenVerificationException.Reason.UNKNOWN_KEY_ID,
                    "the node token was refused: " + TokenVerificationException.Reason.UNKNOWN_KEY_ID);
        }
        Es256TokenVerifier verifier = verifierOf(snapshot);
        try {
            VerifiedToken verified = verifier.verify(token);
            return new Verified(verified, snapshot.nodeOfKid().get(verified.keyId()));
        } catch (TokenVerificationException e) {
            if (e.reason() == TokenVerificationException.Reason.UNKNOWN_KEY_ID && mayRefresh) {
                return verify(token, refreshedFor(token), false);
            }
            throw refuse("token-" + e.reason(), "the node token was refused: " + e.reason());
        }
    }

    /** The verifier of the enrolments last seen, built once per snapshot rather than once per call. */
    private volatile VerifierOf verifierOf;

    private record VerifierOf(EnrolledNodes.Snapshot snapshot, Es256TokenVerifier verifier) {
    }

    private Es256TokenVerifier verifierOf(EnrolledNodes.Snapshot snapshot) {
        VerifierOf current = verifierOf;
        if (current != null && current.snapshot() == snapshot) {
            return current.verifier();
        }
        Es256TokenVerifier verifier = Es256TokenVerifier.builder()
                .trustedKeys(snapshot.keys())
                .expectedAudience(AUDIENCE)
                .expectedType(TOKEN_TYPE)
                .maxClockSkew(CLOCK_SKEW)
                .clock(clock)
                .build();
        verifierOf = new VerifierOf(snapshot, verifier);
        return verifier;
    }

    /** The enrolments re-read for a token whose key id is unknown (EnrolledNodes.refreshedFor). */
    private EnrolledNodes.Snapshot refreshedFor(String token) {
        try {
            com.nimbusds.jwt.JWT jwt = JWTParser.parse(token);
            String kid = jwt instanceof com.nimbusds.jwt.SignedJWT signed ? signed.getHeader().getKeyID() : null;
            return kid == null ? nodes.refreshed() : nodes.refreshedFor(jwt.getJWTClaimsSet().getIssuer(), kid);
        } catch (java.text.ParseException | RuntimeException e) {
            return nodes.refreshed();
        }
    }

    private enum Use { FIRST, REPLAYED, KEY_REPLACED }

    /**
     * Records the token's id and logs the call, in one transaction that also reads the node's enrolment: a key that
     * another process or instance has replaced since this instance last read the enrolments is refused at once.
     */
    private Use firstUse(String jti, String nodeId, String kid, Instant expiresAt, String call) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            if (!nodes.enrolledNow(c, nodeId, kid)) {
                return Use.KEY_REPLACED;
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO seen_token (jti, node_id, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, nodeId + ":" + jti);
                insert.setString(2, nodeId);
                insert.setTimestamp(3, Timestamp.from(expiresAt));
                if (insert.executeUpdate() != 1) {
                    return Use.REPLAYED;
                }
            }
            audit.record(c, AuditEvent.of("token.accepted", "node:" + nodeId, call));
            return Use.FIRST;
        });
    }

    /**
     * The node a refused token says it comes from (its unverified {@code iss}) when that is an enrolled node, else
     * "none" (no token) or "unknown": junk cannot make up callers, so the counts stay one per node and minute.
     */
    private String claimedNode(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith("Bearer ")) {
            return "none";
        }
        try {
            String issuer = JWTParser.parse(header.substring("Bearer ".length()).trim()).getJWTClaimsSet().getIssuer();
            return issuer != null && nodes.snapshot().nodeOfKid().containsValue(issuer) ? issuer : "unknown";
        } catch (java.text.ParseException | RuntimeException e) {
            return "unknown";
        }
    }
}
