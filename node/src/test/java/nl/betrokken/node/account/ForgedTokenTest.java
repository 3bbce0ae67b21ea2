package nl.betrokken.node.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.Test;

import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.TokenKeyPair;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.testing.BadInput;

/**
 * Every route of the node, taken from its router (so a new endpoint is covered without editing this test), refuses
 * the tokens an attacker would try, with 401: unsigned ({@code alg: none}), HS256 with a guessed secret, ES256
 * signed by an untrusted key under the trusted key's kid, and a token the trusted key signed for a foreign issuer.
 * Each claims an existing auditor's and professional's username with every role and an organisation. Only the
 * anonymous allow-list ({@code /health}, {@code /openapi/**}, the dev identity provider {@code /dev/idp/**}, the
 * citizens' sign-in {@code /portaal/inloggen/**}, the staff's {@code /werkplek/inloggen/**} and
 * {@code /dev/werkplek/**}, which nobody is signed in for yet) is skipped. The portal's and the werkplek's pages
 * ({@code /portaal/**}, {@code /werkplek/**}) take no token at all, only their session cookie: there a forged token
 * must not get past the
 * session check (a redirect to sign in, a refusal, or a public page that shows nobody signed in); the federation API ({@code /federation/**},
 * anonymous to Micronaut, authenticated by node tokens) is included. Once on a node without an identity provider
 * (dev environment), once on a production node with one.
 */
class ForgedTokenTest {

    private static final List<String> ANONYMOUS = List.of("/health", "/openapi/", "/dev/idp/", "/portaal/inloggen/",
            "/dev/werkplek/", "/werkplek/inloggen/");
    private static final List<String> PAGES = List.of("/portaal", "/werkplek");
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}?/:]+)(:[^}]*)?}");
    private static final Pattern QUERY = Pattern.compile("\\{[?&][^}]*}");

    @Test
    void everyRoute_ofANodeWithoutIdentityProvider_refusesEveryForgedTokenWith401() {
        TestIdentityProvider idp = new TestIdentityProvider();
        try (StrangerCoordinator coordinator = new StrangerCoordinator();
             NodeHarness node = NodeHarness.start(coordinator.configure(
                     NodeHarness.prepare(NodeHarness.Db.H2, "noord", null, null)))) {
            assertEveryRouteRefuses(node, idp);
        }
    }

    @Test
    void everyRoute_ofANodeWithIdentityProvider_refusesEveryForgedTokenWith401() {
        TestIdentityProvider idp = new TestIdentityProvider();
        try (StrangerCoordinator coordinator = new StrangerCoordinator();
             NodeHarness node = NodeHarness.start(idp.configure(coordinator.configure(
                     NodeHarness.prepare(NodeHarness.Db.H2, "noord", null, null))), "test")) {
            TestIdentityProvider.seedAccounts(node);
            // Not vacuous: the provider's own token for the same professional is let in.
            assertEquals(200, TestIdentityProvider.call(node, "GET", "/api/v1/signals", null,
                    idp.token("noord-prof-a", "PROFESSIONAL", "noord-org-a")).status());
            assertEveryRouteRefuses(node, idp);
        }
    }

    private static void assertEveryRouteRefuses(NodeHarness node, TestIdentityProvider idp) {
        List<UriRouteInfo<?, ?>> all = node.bean(Router.class).uriRoutes()
                .filter(r -> ANONYMOUS.stream().noneMatch(a -> template(r).startsWith(a)))
                .toList();
        List<UriRouteInfo<?, ?>> routes = all.stream().filter(r -> !page(template(r))).toList();
        List<UriRouteInfo<?, ?>> pages = all.stream().filter(r -> page(template(r))).toList();
        Set<String> covered = routes.stream().map(ForgedTokenTest::template).collect(Collectors.toSet());
        for (String expected : List.of("/api/v1/signals", "/api/v1/audit/bundle", "/api/v1/staff",
                "/federation/v1/contacts", "/federation/v1/matches/{matchId}/regie", "/api/v1/citizen/signals",
                "/federation/v1/inzage", "/api/v1/objections", "/api/v1/objections/{id}/decision",
                "/federation/v1/objections", "/federation/v1/objections/list", "/api/v1/objections/{id}/advice-request",
                "/api/v1/objections/{id}/advice", "/api/v1/objections/advice-requests",
                "/api/v1/matches/{id}/consent-requests", "/api/v1/matches/{id}/consent",
                "/api/v1/consent-requests/{id}/recorded", "/api/v1/consent-requests/{id}/grant",
                "/api/v1/citizen/consents", "/federation/v1/consent-parts", "/federation/v1/consent/person",
                "/federation/v1/consent/answer", "/federation/v1/consent/withdraw")) {
            assertTrue(covered.contains(expected), "the router lists " + expected + ": " + covered);
        }
        Map<String, String> forged = new LinkedHashMap<>();
        for (String user : List.of("noord-auditor", "noord-prof-a")) {
            idp.forgeries(user, "AUDITOR", "noord-org-a").forEach((kind, token) -> forged.put(kind + " as " + user, token));
            idp.forgeries(user, "PROFESSIONAL", "noord-org-a").forEach((kind, token) ->
                    forged.put(kind + " as " + user + " (PROFESSIONAL)", token));
        }
        List<String> failures = new ArrayList<>();
        for (UriRouteInfo<?, ?> route : routes) {
            String path = path(template(route));
            // A body that the route's type binds and validates (lists empty), so that what answers is the
            // authentication, not the validation.
            Object body = route.getBodyArgument().map(a -> BadInput.sample(a, false)).orElse(null);
            for (Map.Entry<String, String> token : forged.entrySet()) {
                NodeHarness.Response r = TestIdentityProvider.call(node, route.getHttpMethodName(), path, body,
                        token.getValue());
                if (r.status() != 401) {
                    failures.add(route.getHttpMethodName() + " " + path + " with " + token.getKey() + ": " + r.status()
                            + " " + r.body());
                }
            }
        }
        assertEquals(List.of(), failures, failures.size() + " forged calls were not refused with 401");

        assertTrue(pages.stream().anyMatch(r -> template(r).equals("/portaal/overzicht")), "the router lists the portal");
        assertTrue(pages.stream().anyMatch(r -> template(r).startsWith("/werkplek")), "the router lists the werkplek");
        for (UriRouteInfo<?, ?> route : pages) {
            if (route.getHttpMethodName().equals("HEAD")) {
                continue; // the GET of the same route is checked, with the body that tells who is signed in
            }
            String path = path(template(route));
            for (Map.Entry<String, String> token : forged.entrySet()) {
                HttpResponse<String> r = page(node, route.getHttpMethodName(), path, token.getValue());
                boolean signedIn = r.body().contains("action=\"/portaal/uitloggen\"")
                        || r.body().contains("action=\"/werkplek/uitloggen\"");
                boolean let = r.statusCode() / 100 == 2 && (signedIn || !r.headers().firstValue("Content-Type")
                        .orElse("").startsWith("text/html"));
                if (let) {
                    failures.add(route.getHttpMethodName() + " " + path + " with " + token.getKey() + ": "
                            + r.statusCode() + (signedIn ? " signed in" : " " + r.headers().firstValue("Content-Type")));
                }
            }
        }
        assertEquals(List.of(), failures, failures.size() + " forged calls got past the pages' session check");
    }

    /** Whether a route is a page of the portal or the werkplek (a session cookie, no token). */
    private static boolean page(String template) {
        return PAGES.stream().anyMatch(template::startsWith);
    }

    /** A browser's request for a portal page (a POST with a form), with a forged bearer token and no session. */
    private static HttpResponse<String> page(NodeHarness node, String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .header("Accept", "text/html").header("Authorization", "Bearer " + token);
        if (method.equals("POST")) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("csrf=sample-1&reden=sample-reden-1&email="));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String template(UriRouteInfo<?, ?> route) {
        return route.getUriMatchTemplate().toString();
    }

    /** The path of a route with its variables filled: a username where one is named, else a random UUID. */
    static String path(String template) {
        String noQuery = QUERY.matcher(template).replaceAll("");
        Matcher m = VARIABLE.matcher(noQuery);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = m.group(1).toLowerCase().contains("username") ? "noord-prof-b" : UUID.randomUUID().toString();
            m.appendReplacement(out, value);
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Just enough of a coordinator for the federation API to check node tokens: it knows one node key, of nobody the
     * test signs with, so every token is from an unknown node.
     */
    static final class StrangerCoordinator implements AutoCloseable {

        private static final String KEYS = PublicKeySet.of(TokenKeyPair.generate("zuid-1").publicJwk()).toJson();
        private final HttpServer server;

        StrangerCoordinator() {
            this(path -> KEYS);
        }

        /** A stand-in that answers each path with the JSON {@code answer} gives it, or 404 where it gives null. */
        StrangerCoordinator(java.util.function.Function<String, String> answer) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                String json = answer.apply(exchange.getRequestURI().getPath());
                byte[] bytes = (json == null ? "{}" : json).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(json == null ? 404 : 200, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
        }

        Map<String, Object> configure(Map<String, Object> node) {
            Map<String, Object> p = new LinkedHashMap<>(node);
            p.put("micronaut.http.services.coordinator.url", "http://127.0.0.1:" + server.getAddress().getPort());
            return p;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
