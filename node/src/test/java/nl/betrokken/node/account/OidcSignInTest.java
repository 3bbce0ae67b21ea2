package nl.betrokken.node.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.archive.ArchiveService;

/**
 * Production sign-in: an access token of the region's identity provider (a key whose JWK set the node is configured
 * with) signs in the account its {@code preferred_username} names, with that account's role and organisation, and
 * nothing else does. These nodes run without the dev environment, as in production: no demo users, no HTTP Basic.
 */
class OidcSignInTest {

    private static NodeHarness production(TestIdentityProvider idp, NodeHarness.Db db, Map<String, Object> extra) {
        Map<String, Object> p = idp.configure(NodeHarness.prepare(db, "noord", null, null));
        p.putAll(extra);
        NodeHarness node = NodeHarness.start(p, "test");
        TestIdentityProvider.seedAccounts(node);
        return node;
    }

    private static NodeHarness.Response call(NodeHarness node, String method, String path, Object body, String token) {
        return TestIdentityProvider.call(node, method, path, body, token);
    }

    private static void assertRefusedNaming(NodeHarness.Response r, int status, String field) {
        assertEquals(status, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        List<String> fields = new ArrayList<>();
        r.body().get("violations").forEach(v -> fields.add(v.get("field").asText()));
        assertTrue(fields.contains(field), "violations " + fields + " should name " + field);
    }

    /** The messages of {@code e} and its causes, joined. */
    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }

    @ParameterizedTest
    @EnumSource(NodeHarness.Db.class)
    void accessTokenOfTheIdentityProvider_signsInTheProfessional(NodeHarness.Db db) {
        TestIdentityProvider idp = new TestIdentityProvider();
        try (NodeHarness node = production(idp, db, Map.of())) {
            String professional = idp.token("noord-prof-a", "PROFESSIONAL", "noord-org-a");
            NodeHarness.Response registered = call(node, "POST", "/api/v1/signals", Youths.registration(Youths.bsn()),
                    professional);
            assertEquals(201, registered.status(), String.valueOf(registered.body()));
            assertEquals("noord-prof-a", registered.body().get("professional").asText());
            assertEquals(200, call(node, "GET", "/api/v1/signals", null, professional).status());
            assertEquals(200, call(node, "GET", "/api/v1/signals", null, idp.rs256("noord-prof-a")).status(),
                    "RS256, the other default algorithm, with the provider's RSA key");
        }
    }

    @Test
    void jwksUrlOfTheIdentityProvider_isFetchedAndItsKeysAloneAreTrusted() throws Exception {
        TestIdentityProvider idp = new TestIdentityProvider();
        HttpServer provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] jwks = Files.readAllBytes(idp.jwks);
        provider.createContext("/realms/jeugd/certs", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        provider.start();
        try (NodeHarness node = production(idp, NodeHarness.Db.H2, Map.of("betrokken.identity-provider.jwks",
                "http://127.0.0.1:" + provider.getAddress().getPort() + "/realms/jeugd/certs"))) {
            assertEquals(200, call(node, "GET", "/api/v1/signals", null,
                    idp.token("noord-prof-a", "PROFESSIONAL", "noord-org-a")).status());
            for (Map.Entry<String, String> forged : idp.forgeries("noord-prof-a", "PROFESSIONAL", "noord-org-a")
                    .entrySet()) {
                assertEquals(401, call(node, "GET", "/api/v1/signals", null, forged.getValue()).status(), forged.getKey());
            }
        } finally {
            provider.stop(0);
        }
    }

    @Test
    void tokenClaimingGemeente_forAProfessionalsAccount_getsTheProfessionalsRightsOnly() {
        TestIdentityProvider idp = new TestIdentityProvider();
        try (NodeHarness node = production(idp, NodeHarness.Db.H2, Map.of())) {
            String claimsMore = TestIdentityProvider.es256(idp.ec, TestIdentityProvider
                    .claims("noord-prof-a", "GEMEENTE", "noord-org-b")
                    .claim("roles", List.of("GEMEENTE", "AUDITOR", "COORDINATOR")).build());
            assertEquals(403, call(node, "GET", "/api/v1/audit/held", null, claimsMore).status(), "gemeente");
            assertEquals(403, call(node, "GET", "/api/v1/audit/entries", null, claimsMore).status(), "auditor");
            assertEquals(403, call(node, "GET", "/api/v1/staff", null, claimsMore).status(), "coördinator");
            NodeHarness.Response registered = call(node, "POST", "/api/v1/signals", Youths.registration(Youths.bsn()),
                    claimsMore);
            assertEquals(201, registered.status(), String.valueOf(registered.body()));
            assertEquals("noord-org-a", registered.body().get("organisation").asText(),
                    "the account's organisation, not the token's");

            String gemeenteAsProfessional = idp.token("noord-gemeente", "PROFESSIONAL", "noord-org-a");
            assertEquals(403, call(node, "GET", "/api/v1/signals", null, gemeenteAsProfessional).status());
            assertEquals(200, call(node, "GET", "/api/v1/audit/held", null, gemeenteAsProfessional).status());
        }
    }

    @Test
    void tokenForAUsernameWithoutAccount_returns401() {
        TestIdentityProvider idp = new TestIdentityProvider();
        try (NodeHarness node = production(idp, NodeHarness.Db.H2, Map.of())) {
            assertEquals(401, call(node, "GET", "/api/v1/audit/entries", null,
                    idp.token("noord-nobody", "AUDITOR", "noord-org-a")).status());
            assertEquals(401, call(node, "GET", "/api/v1/signals", null,
                    idp.token("noord-nobody", "PROFESSIONAL", "noord-org-a")).status());
        }
    }

    @ParameterizedTest
    @EnumSource(NodeHarness.Db.class)
    void tokenOfADeactivatedAccount_returns401(NodeHarness.Db db) {
        TestIdentityProvider idp = new TestIdentityProvider();
        try (NodeHarness node = production(idp, db, Map.of())) {
            String coordinator = idp.token("noord-coord-a", "COORDINATOR", "noord-org-a");
            assertEquals(201, call(node, "POST", "/api/v1/staff", Map.of("username", "noord-vertrekker",
                    "displayName", "Vertrekker", "email", "vertrekker@school.example"), coordinator).status());
            String token = idp.token("noord-vertrekker", "PROFESSIONAL", "noord-org-a");
            assertEquals(200, call(node, "GET", "/api/v1/signals", null, token).status());
            assertEquals(200, call(node, "POST", "/api/v1/staff/noord-vertrekker/deactivate", Map.of(), coordinator)
                    .status());
            assertEquals(401, call(node, "GET", "/api/v1/signals", null, token).status(),
                    "the provider's token is still valid, but a deactivated account does not sign in");
        }
    }

    @Test
    void tokensOutsideWhatTheNodeTrusts_return401() {
        TestIdentityProvider idp = new TestIdentityProvider();
        try (NodeHarness node = production(idp, NodeHarness.Db.H2,
                Map.of("betrokken.identity-provider.algorithms", "ES256"))) {
            Instant now = Instant.now();
            Map<String, String> refused = new HashMap<>();
            refused.put("RS256, not configured here", idp.rs256("noord-prof-a"));
            refused.put("expired", idp.token("noord-prof-a", b -> b.issueTime(Date.from(now.minusSeconds(900)))
                    .expirationTime(Date.from(now.minusSeconds(300)))));
            refused.put("not yet valid", idp.token("noord-prof-a", b -> b.notBeforeTime(Date.from(now.plusSeconds(600)))));
            refused.put("without exp", idp.token("noord-prof-a", b -> b.expirationTime(null)));
            refused.put("another audience", idp.token("noord-prof-a", b -> b.audience("een-andere-dienst")));
            refused.put("without audience", idp.token("noord-prof-a", b -> b.audience((String) null)));
            refused.put("without iss", idp.token("noord-prof-a", b -> b.issuer(null)));
            refused.put("username not a string", idp.token("noord-prof-a",
                    b -> b.claim("preferred_username", List.of("noord-prof-a"))));
            refused.put("junk", "x.y.z");
            refused.put("junk with a valid header", "eyJhbGciOiJFUzI1NiIsImtpZCI6ImlkcC0xIn0.!!!.###");
            refused.put("JSON that is no JWT", "eyJhbGciOiJFUzI1NiJ9.WzEsMiwzXQ.AAAA");
            refused.forEach((kind, token) ->
                    assertEquals(401, call(node, "GET", "/api/v1/signals", null, token).status(), kind));
            assertEquals(200, call(node, "GET", "/api/v1/signals", null,
                    idp.token("noord-prof-a", "PROFESSIONAL", "noord-org-a")).status());
        }
    }

    @Test
    void basicAuth_outsideDev_returns401() {
        TestIdentityProvider idp = new TestIdentityProvider();
        try (NodeHarness node = production(idp, NodeHarness.Db.H2,
                Map.of("micronaut.security.basic-auth.enabled", true))) {
            // noord-prof-a has a password hash ("demo"); even with Basic turned on by mistake, nothing checks it.
            String basic = Base64.getEncoder().encodeToString("noord-prof-a:demo".getBytes(StandardCharsets.UTF_8));
            assertEquals(401, node.call("GET", "/api/v1/signals", null, null,
                    Map.of("Authorization", "Basic " + basic)).status());
        }
        try (NodeHarness node = production(idp, NodeHarness.Db.H2, Map.of())) {
            String basic = Base64.getEncoder().encodeToString("noord-prof-a:demo".getBytes(StandardCharsets.UTF_8));
            assertEquals(401, node.call("GET", "/api/v1/signals", null, null,
                    Map.of("Authorization", "Basic " + basic)).status());
        }
    }

    @ParameterizedTest
    @EnumSource(NodeHarness.Db.class)
    void initialPassword_outsideDev_returns400NamingTheFieldAndWritesNothing(NodeHarness.Db db) {
        TestIdentityProvider idp = new TestIdentityProvider();
        try (NodeHarness node = production(idp, db, Map.of())) {
            String coordinator = idp.token("noord-coord-a", "COORDINATOR", "noord-org-a");
            Map<String, Object> request = new HashMap<>(Map.of("username", "noord-wachtwoord",
                    "displayName", "Met wachtwoord", "email", "ww@school.example", "initialPassword", "een-lang-wachtwoord"));
            assertRefusedNaming(call(node, "POST", "/api/v1/staff", request, coordinator), 400, "initialPassword");
            JsonNode staff = call(node, "GET", "/api/v1/staff", null, coordinator).body();
            assertFalse(staff.toString().contains("noord-wachtwoord"), "nothing written: " + staff);
            assertTrue(call(node, "GET", "/api/v1/staff/changes", null, coordinator).body().get("items").isEmpty());
            assertTrue(node.bean(Accounts.class).find("noord-wachtwoord").isEmpty());

            request.remove("initialPassword");
            assertEquals(201, call(node, "POST", "/api/v1/staff", request, coordinator).status());
        }
    }

    @Test
    void nodeOutsideDev_withoutOrWithAnUnsafeIdentityProvider_refusesToStartNamingTheSetting() {
        Map<String, Object> p = NodeHarness.prepare(NodeHarness.Db.H2, "noord", null, null);
        Exception e = assertThrows(Exception.class, () -> NodeHarness.start(p, "test").close());
        assertTrue(messages(e).contains("BETROKKEN_IDENTITY_PROVIDER_ISSUER"), messages(e));

        Map<String, Object> halfway = new HashMap<>(p);
        halfway.put("betrokken.identity-provider.issuer", TestIdentityProvider.ISSUER);
        Exception noKeys = assertThrows(Exception.class, () -> NodeHarness.start(halfway, "test", "dev").close());
        assertTrue(messages(noKeys).contains("BETROKKEN_IDENTITY_PROVIDER_JWKS"), messages(noKeys));

        Map<String, Object> cleartext = new TestIdentityProvider().configure(p);
        cleartext.put("betrokken.identity-provider.jwks", "http://login.regio.example/realms/jeugd/certs");
        Exception http = assertThrows(Exception.class, () -> NodeHarness.start(cleartext, "test").close());
        assertTrue(messages(http).contains("must be an https:// URL"), messages(http));

        Map<String, Object> symmetric = new TestIdentityProvider().configure(p);
        symmetric.put("betrokken.identity-provider.algorithms", "ES256,HS256");
        Exception hs = assertThrows(Exception.class, () -> NodeHarness.start(symmetric, "test").close());
        assertTrue(messages(hs).contains("BETROKKEN_IDENTITY_PROVIDER_ALGORITHMS"), messages(hs));
    }

    @Test
    void operatorCommand_outsideDev_runsWithoutIdentityProvider() {
        Map<String, Object> p = NodeHarness.prepare(NodeHarness.Db.H2, "noord", null, null);
        // As Application's "archive" command runs it: a context without an HTTP server.
        try (ApplicationContext context = ApplicationContext.run(p, "test")) {
            ArchiveService.Report report = context.getBean(ArchiveService.class).run();
            assertEquals(0, report.archived());
        }
    }

    @Test
    void devWithoutIdentityProvider_acceptsNoBearerToken_butBasic() {
        TestIdentityProvider idp = new TestIdentityProvider();
        try (NodeHarness node = NodeHarness.start(NodeHarness.prepare(NodeHarness.Db.H2, "noord", null, null))) {
            assertEquals(401, call(node, "GET", "/api/v1/signals", null,
                    idp.token("noord-prof-a", "PROFESSIONAL", "noord-org-a")).status());
            assertEquals(200, node.call("GET", "/api/v1/signals", null, "prof-a").status());
        }
    }
}
