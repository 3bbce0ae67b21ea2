package nl.betrokken.node.account;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import nl.betrokken.node.NodeHarness;

/**
 * A region's identity provider for tests: an ES256 key and an RS256 key whose public JWK set the node is configured
 * with (a file), and the access tokens it would sign, plus the forgeries an attacker would try.
 */
final class TestIdentityProvider {

    static final String ISSUER = "https://login.regio.example/realms/jeugd";
    static final String FOREIGN_ISSUER = "https://login.elders.example/realms/jeugd";
    static final String AUDIENCE = "betrokken-node";
    static final String KID = "idp-1";

    final ECKey ec;
    final RSAKey rsa;
    final Path jwks;

    TestIdentityProvider() {
        try {
            ec = new ECKeyGenerator(Curve.P_256).keyID(KID).generate();
            rsa = new RSAKeyGenerator(2048).keyID("idp-rsa").generate();
            jwks = Files.createTempFile("idp", ".jwks.json");
            Files.writeString(jwks, new JWKSet(List.<JWK>of(ec, rsa)).toPublicJWKSet().toString(false));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code node}'s properties with this provider configured (issuer, JWK file, audience). */
    Map<String, Object> configure(Map<String, Object> node) {
        Map<String, Object> p = new HashMap<>(node);
        p.put("betrokken.identity-provider.issuer", ISSUER);
        p.put("betrokken.identity-provider.jwks", "file:" + jwks);
        p.put("betrokken.identity-provider.audience", AUDIENCE);
        return p;
    }

    /** The claims of a valid access token for {@code username}, with role and organisation claims a node must ignore. */
    static JWTClaimsSet.Builder claims(String username, String role, String organisation) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("u-" + username)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("preferred_username", username)
                .claim("roles", List.of(role))
                .claim("organisation", organisation);
    }

    /** A valid ES256 access token for {@code username}. */
    String token(String username, String role, String organisation) {
        return es256(ec, claims(username, role, organisation).build());
    }

    /** A token signed with this provider's ES256 key after {@code change} to its claims. */
    String token(String username, UnaryOperator<JWTClaimsSet.Builder> change) {
        return es256(ec, change.apply(claims(username, "PROFESSIONAL", "-")).build());
    }

    /** A valid RS256 access token for {@code username}. */
    String rs256(String username) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).type(JOSEObjectType.JWT).build(),
                claims(username, "PROFESSIONAL", "-").build(), () -> new RSASSASigner(rsa));
    }

    /**
     * The forgeries every endpoint must refuse with 401, by name: the four of issue #11, and an untrusted key that
     * carries itself in the {@code jwk} header (RFC 7515 section 4.1.3), which a careless verifier would trust.
     */
    Map<String, String> forgeries(String username, String role, String organisation) {
        JWTClaimsSet claims = claims(username, role, organisation).build();
        try {
            ECKey untrusted = new ECKeyGenerator(Curve.P_256).keyID(KID).generate();
            return Map.of(
                    "unsigned (alg none)", new PlainJWT(claims).serialize(),
                    "HS256 with a guessed secret", sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(KID)
                            .type(JOSEObjectType.JWT).build(), claims, () -> new MACSigner(
                            "secretsecretsecretsecretsecret12".getBytes(StandardCharsets.UTF_8))),
                    "ES256 by an untrusted key under the trusted kid", es256(untrusted, claims),
                    "ES256 by the trusted key from a foreign issuer", es256(ec, claims(username, role, organisation)
                            .issuer(FOREIGN_ISSUER).build()),
                    "ES256 by an untrusted key carried in its jwk header", sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
                            .keyID(KID).jwk(untrusted.toPublicJWK()).type(JOSEObjectType.JWT).build(), claims,
                            () -> new ECDSASigner(untrusted)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String es256(ECKey key, JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                claims, () -> new ECDSASigner(key));
    }

    private interface SignerFactory {
        JWSSigner create() throws JOSEException;
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, SignerFactory signer) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer.create());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** Calls {@code node} with {@code token} as bearer. */
    static NodeHarness.Response call(NodeHarness node, String method, String path, Object body, String token) {
        return node.call(method, path, body, null, Map.of("Authorization", "Bearer " + token));
    }

    /**
     * Seeds, on a node without the dev environment, the accounts the dev profile would: organisations
     * {@code N-org-a}, {@code N-org-b} and users {@code N-prof-a}, {@code N-prof-b}, {@code N-coord-a},
     * {@code N-gemeente}, {@code N-auditor}, without passwords except {@code N-prof-a}'s ("demo").
     */
    static void seedAccounts(NodeHarness node) {
        Accounts accounts = node.bean(Accounts.class);
        String n = node.nodeId();
        accounts.ensureOrganisation(n + "-org-a", n + "-org-a", "o-" + n + "-a");
        accounts.ensureOrganisation(n + "-org-b", n + "-org-b", "o-" + n + "-b");
        accounts.ensure(new Account(n + "-prof-a", Passwords.hash("demo"), Role.PROFESSIONAL, n + "-org-a", "A", null,
                null, true));
        accounts.ensure(new Account(n + "-prof-b", null, Role.PROFESSIONAL, n + "-org-b", "B", null, null, true));
        accounts.ensure(new Account(n + "-coord-a", null, Role.COORDINATOR, n + "-org-a", "C", null, null, true));
        accounts.ensure(new Account(n + "-gemeente", null, Role.GEMEENTE, null, "G", null, null, true));
        accounts.ensure(new Account(n + "-auditor", null, Role.AUDITOR, null, "Au", null, null, true));
    }
}
