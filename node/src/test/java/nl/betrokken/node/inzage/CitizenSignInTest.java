package nl.betrokken.node.inzage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.web.router.Router;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.account.Account;
import nl.betrokken.node.account.Accounts;
import nl.betrokken.node.account.Role;

/**
 * Citizen sign-in: the dev identity provider issues a token for a valid BSN and refuses an invalid one naming
 * {@code bsn}, and exists only in the dev environment; a citizen's token never opens a professional's endpoint and a
 * professional's never the citizen's (403 both ways); in production the configured citizen identity provider's tokens
 * sign citizens in, checked as strictly as the professionals' provider.
 */
class CitizenSignInTest {

    static final String PROFESSIONALS = "https://login.regio.example/realms/jeugd";
    static final String CITIZENS = "https://digid-bridge.example/oidc";

    @Test
    void devIdentityProvider_issuesATokenForAValidBsn_andRefusesAnInvalidOneNamingBsn() {
        NodeHarness node = NodeHarness.shared(NodeHarness.Db.H2);
        NodeHarness.Response ok = node.call("POST", "/dev/idp/token", Map.of("bsn", Youths.bsn()), null, null);
        assertEquals(200, ok.status(), String.valueOf(ok.body()));
        assertEquals("Bearer", ok.body().get("token_type").asText());
        assertTrue(ok.body().get("access_token").asText().split("\\.").length == 3);

        for (Object bad : List.of(Map.of("bsn", "123456789"), Map.of("bsn", "12345"), Map.of())) {
            NodeHarness.Response r = node.call("POST", "/dev/idp/token", bad, null, null);
            assertEquals(400, r.status(), bad + ": " + r.body());
            assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
            List<String> fields = new ArrayList<>();
            r.body().get("violations").forEach(v -> fields.add(v.get("field").asText()));
            assertEquals(List.of("bsn"), fields);
        }
    }

    @Test
    void citizenToken_isRefusedAtProfessionalEndpoints_andProfessionalsAtTheCitizens() {
        NodeHarness node = NodeHarness.shared(NodeHarness.Db.H2);
        String citizen = node.call("POST", "/dev/idp/token", Map.of("bsn", Youths.bsn()), null, null)
                .body().get("access_token").asText();
        for (String path : List.of("/api/v1/signals", "/api/v1/matches", "/api/v1/staff", "/api/v1/audit/bundle")) {
            NodeHarness.Response r = node.call("GET", path, null, null, Map.of("Authorization", "Bearer " + citizen));
            assertEquals(403, r.status(), path + ": " + r.body());
        }
        for (String user : List.of("prof-a", "coord-a", "gemeente", "auditor")) {
            assertEquals(403, node.call("GET", "/api/v1/citizen/signals", null, user, null).status(), user);
        }
        assertEquals(401, node.call("GET", "/api/v1/citizen/signals", null, null,
                Map.of("Authorization", "Bearer " + citizen + "x")).status(), "an altered token");
    }

    @Test
    void productionNode_hasNoDevIdentityProvider_andSignsCitizensInWithTheConfiguredProvider() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("idp-1").generate();
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("idp-1").generate();
        Path jwks = Files.createTempFile("idp", ".jwks.json");
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString(false));
        NodeHarness dev = NodeHarness.shared(NodeHarness.Db.H2);
        String devToken = dev.call("POST", "/dev/idp/token", Map.of("bsn", Youths.bsn()), null, null)
                .body().get("access_token").asText();
        try (InzageCoordinator coordinator = new InzageCoordinator()) {
            Map<String, Object> p = new HashMap<>(NodeHarness.prepare(NodeHarness.Db.H2, "noord", coordinator.url(), null));
            p.put("betrokken.feed.follower.enabled", false);
            p.put("betrokken.audit.countersign", false);
            p.put("betrokken.dev.enabled", true); // asked for, but without the dev environment it must not matter
            p.put("betrokken.identity-provider.issuer", PROFESSIONALS);
            p.put("betrokken.identity-provider.jwks", "file:" + jwks);
            p.put("betrokken.identity-provider.audience", "betrokken-node");
            p.put("betrokken.citizen-identity-provider.issuer", CITIZENS);
            p.put("betrokken.citizen-identity-provider.jwks", "file:" + jwks);
            p.put("betrokken.citizen-identity-provider.audience", "betrokken-portaal");
            p.put("betrokken.citizen-identity-provider.bsn-claim", "urn:nl:bsn");
            try (NodeHarness node = NodeHarness.start(p, "test")) {
                coordinator.enrol("noord", node.dataDir());
                Accounts accounts = node.bean(Accounts.class);
                accounts.ensureOrganisation("noord-org-a", "School A", "o-a");
                accounts.ensure(new Account("noord-prof-a", null, Role.PROFESSIONAL, "noord-org-a", "Prof A", null,
                        null, true));

                assertFalse(node.bean(Router.class).uriRoutes()
                        .anyMatch(r -> r.getUriMatchTemplate().toString().startsWith("/dev/")), "no dev identity provider");
                assertTrue(node.call("POST", "/dev/idp/token", Map.of("bsn", Youths.bsn()), null, null).status() >= 400);

                String bsn = Youths.bsn();
                String citizen = sign(key, citizenClaims(bsn).build());
                NodeHarness.Response page = bearer(node, "/api/v1/citizen/signals", citizen);
                assertEquals(200, page.status(), String.valueOf(page.body()));
                JsonNode items = page.body().get("items");
                assertEquals(0, items.size());
                assertEquals(403, bearer(node, "/api/v1/signals", citizen).status(), "a citizen at a professional's endpoint");

                String professional = sign(key, new JWTClaimsSet.Builder().issuer(PROFESSIONALS).audience("betrokken-node")
                        .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                        .claim("preferred_username", "noord-prof-a").build());
                assertEquals(200, bearer(node, "/api/v1/signals", professional).status());
                assertEquals(403, bearer(node, "/api/v1/citizen/signals", professional).status(),
                        "a professional at the citizen's endpoint");

                Map<String, String> refused = Map.of(
                        "an untrusted key", sign(stranger, citizenClaims(bsn).build()),
                        "the professionals' issuer", sign(key, citizenClaims(bsn).issuer(PROFESSIONALS).build()),
                        "another audience", sign(key, citizenClaims(bsn).audience("betrokken-node").build()),
                        "expired", sign(key, citizenClaims(bsn).expirationTime(Date.from(Instant.now().minusSeconds(120))).build()),
                        "a BSN failing the elfproef", sign(key, citizenClaims("123456789").build()),
                        "no BSN", sign(key, citizenClaims(bsn).claim("urn:nl:bsn", null).build()),
                        "the dev identity provider of another node", devToken,
                        "unsigned (alg none)", new PlainJWT(citizenClaims(bsn).build()).serialize(),
                        "HS256 with a guessed secret", hs256(citizenClaims(bsn).build()));
                refused.forEach((what, token) ->
                        assertEquals(401, bearer(node, "/api/v1/citizen/signals", token).status(), what));
            }
        }
    }

    @Test
    void withoutTheCoordinatorsAnswer_theInzageIsA503_neverAnEmptyPage() {
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(NodeHarness.Db.H2, "noord",
                "http://127.0.0.1:" + NodeHarness.freePort(), null));
        p.put("betrokken.feed.follower.enabled", false);
        p.put("betrokken.outbox.sender.enabled", false);
        p.put("betrokken.audit.countersign", false);
        try (NodeHarness node = NodeHarness.start(p)) {
            String citizen = node.call("POST", "/dev/idp/token", Map.of("bsn", Youths.bsn()), null, null)
                    .body().get("access_token").asText();
            NodeHarness.Response r = bearer(node, "/api/v1/citizen/signals", citizen);
            assertEquals(503, r.status(), String.valueOf(r.body()));
            assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        }
    }

    static String hs256(JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("idp-1")
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner("secretsecretsecretsecretsecret12".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    static JWTClaimsSet.Builder citizenClaims(String bsn) {
        return new JWTClaimsSet.Builder().issuer(CITIZENS).audience("betrokken-portaal").subject("p-1")
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300))).claim("urn:nl:bsn", bsn);
    }

    static String sign(ECKey key, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    static NodeHarness.Response bearer(NodeHarness node, String path, String token) {
        return node.call("GET", path, null, null, Map.of("Authorization", "Bearer " + token));
    }
}
