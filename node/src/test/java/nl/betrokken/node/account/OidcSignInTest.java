package nl.betrokken.node.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.Es256TokenSigner;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.TokenClaims;
import nl.betrokken.crypto.token.TokenKeyPair;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;

/**
 * Production sign-in: an access token of the region's identity provider (here a key whose JWKS the node is
 * configured with) signs a professional in with the role and organisation its claims name.
 */
class OidcSignInTest {

    static final TokenKeyPair IDP = TokenKeyPair.generate("idp-1");

    static String accessToken(TokenKeyPair key, String user, String role, String organisation) {
        Instant now = Instant.now();
        return Es256TokenSigner.create(key).sign(TokenClaims.builder()
                .issuer("https://login.regio.example").audience("betrokken-node").subject("u-" + user)
                .issuedAt(now).expiresAt(now.plusSeconds(300))
                .claim(Claim.string("preferred_username"), user)
                .claim(Claim.stringList("roles"), List.of(role))
                .claim(Claim.string("organisation"), organisation)
                .build());
    }

    static NodeHarness.Response call(NodeHarness node, String method, String path, Object body, String token) {
        return node.call(method, path, body, null, Map.of("Authorization", "Bearer " + token));
    }

    @Test
    void accessTokenOfTheIdentityProvider_signsInTheProfessional() throws Exception {
        Path jwks = Files.createTempFile("idp", ".json");
        Files.writeString(jwks, PublicKeySet.of(IDP.publicJwk()).toJson());
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(NodeHarness.Db.H2, "noord", null, null));
        p.put("micronaut.security.token.jwt.signatures.jwks-static.idp.path", "file:" + jwks);
        try (NodeHarness node = NodeHarness.start(p)) {
            String professional = accessToken(IDP, "noord-prof-a", "PROFESSIONAL", "noord-org-a");
            NodeHarness.Response registered = call(node, "POST", "/api/v1/signals", Youths.registration(Youths.bsn()),
                    professional);
            assertEquals(201, registered.status(), String.valueOf(registered.body()));
            assertEquals("noord-prof-a", registered.body().get("professional").asText());
            assertEquals(200, call(node, "GET", "/api/v1/signals", null, professional).status());

            String forged = accessToken(TokenKeyPair.generate("idp-1"), "noord-prof-a", "PROFESSIONAL", "noord-org-a");
            assertEquals(401, call(node, "GET", "/api/v1/signals", null, forged).status());
            String gemeente = accessToken(IDP, "noord-gemeente", "GEMEENTE", "noord-org-a");
            assertEquals(403, call(node, "GET", "/api/v1/signals", null, gemeente).status());
        }
    }

    @Test
    void accessTokenOfADeactivatedAccount_isRefused() throws Exception {
        Path jwks = Files.createTempFile("idp", ".json");
        Files.writeString(jwks, PublicKeySet.of(IDP.publicJwk()).toJson());
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(NodeHarness.Db.H2, "noord", null, null));
        p.put("micronaut.security.token.jwt.signatures.jwks-static.idp.path", "file:" + jwks);
        try (NodeHarness node = NodeHarness.start(p)) {
            // An account that signs in only through the identity provider: no password at the node.
            assertEquals(201, node.call("POST", "/api/v1/staff", Map.of("username", "noord-vertrekker",
                    "displayName", "Vertrekker", "email", "vertrekker@school.example"), "coord-a").status());
            String token = accessToken(IDP, "noord-vertrekker", "PROFESSIONAL", "noord-org-a");
            assertEquals(200, call(node, "GET", "/api/v1/signals", null, token).status());
            assertEquals(200, node.call("POST", "/api/v1/staff/noord-vertrekker/deactivate", Map.of(), "coord-a")
                    .status());
            assertEquals(403, call(node, "GET", "/api/v1/signals", null, token).status(),
                    "the IdP's token is still valid, but the account is deactivated");
        }
    }
}
