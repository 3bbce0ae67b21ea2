package nl.betrokken.node.account;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.NodeConfiguration;

/**
 * The dev identity provider of the contract: signs a short-lived ({@link #LIFETIME}) token for a person by BSN, with a
 * P-256 key the node generates in memory at start (so its tokens die with the node). It exists only in the {@code dev}
 * environment with {@code betrokken.dev.enabled=true}: anyone who can reach it signs in as anyone.
 */
@Singleton
@Requires(env = Environment.DEVELOPMENT)
@Requires(property = "betrokken.dev.enabled", value = "true")
class DevIdentityProvider {

    static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final String CLAIM = "bsn";

    private final ECKey key;
    private final String issuer;
    private final Clock clock;
    private final ConfigurableJWTProcessor<SecurityContext> processor;

    DevIdentityProvider(NodeConfiguration node, Clock clock) {
        try {
            this.key = new ECKeyGenerator(Curve.P_256).keyID("dev-idp-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate the dev identity provider's key", e);
        }
        this.issuer = "betrokken-dev-idp/" + node.nodeId();
        this.clock = clock;
        this.processor = IdentityProviderTokens.processor(issuer,
                new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())), Set.of(JWSAlgorithm.ES256), issuer, CLAIM, clock);
    }

    /** A token that signs {@code bsn} in at this node as a citizen for {@link #LIFETIME}. */
    String issue(Bsn bsn) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(issuer).subject(UUID.randomUUID().toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(UUID.randomUUID().toString()).claim(CLAIM, bsn.digits()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a dev identity token", e);
        }
        return jwt.serialize();
    }

    /** The person a token of this provider signs in, or empty when it is not one (or not valid now). */
    Optional<Bsn> verify(String token) {
        try {
            Object bsn = processor.process(token, null).getClaim(CLAIM);
            return bsn instanceof String digits && Bsn.isValid(digits) ? Optional.of(Bsn.parse(digits)) : Optional.empty();
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
