package nl.betrokken.node.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.web.Chromium;

/**
 * The parents' and youths' sign-in against a real OpenID provider (the npm package {@code oidc-provider}, started by
 * {@link OidcProviderProcess}), on production nodes (no dev environment):
 * <ul>
 *   <li>{@code noord} finds the provider by discovery and authenticates with {@code client_secret_basic}; a headless
 *       Chromium walks its login and consent pages;</li>
 *   <li>{@code oost} is configured with explicit endpoints and {@code client_secret_post}, its token endpoint behind a
 *       {@link TokenEndpointProxy} that can swap the ID token for a forged one.</li>
 * </ul>
 * The other walks go through the provider's pages with a plain HTTP client ({@link #atProvider}), so that each test can
 * stop at the callback and change one thing. The test's portal ({@link CitizenSessionEcho}) answers the fingerprint
 * of the BSN that arrived. Every refusal is checked by its status and code, and each changes exactly one thing in a
 * flow that otherwise signs in, so removing that one check makes the test fail.
 */
class CitizenOidcTest {

    private static final String CALLBACK = "/portaal/inloggen/terug";
    private static final String NOORD_CLIENT = "betrokken-noord";
    private static final String OOST_CLIENT = "betrokken-oost";
    private static final String OOST_SECRET = "oost-geheim-" + Long.toHexString(System.nanoTime());
    private static final String PARENT = Youths.bsn();
    private static final String NOT_A_BSN = notABsn();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private static RSAKey providerKey;
    private static RSAKey otherKey;
    private static OidcProviderProcess provider;
    private static TokenEndpointProxy proxy;
    private static NodeHarness noord;
    private static NodeHarness oost;

    @BeforeAll
    static void start() throws Exception {
        providerKey = rsa("provider-key");
        otherKey = rsa("provider-key"); // the same kid, another key: what a forger would try
        int noordPort = NodeHarness.freePort();
        int oostPort = NodeHarness.freePort();
        String noordSecret = "noord-geheim-" + Long.toHexString(System.nanoTime());
        provider = new OidcProviderProcess(0, List.of(
                new OidcProviderProcess.Client(NOORD_CLIENT, noordSecret, callback(noordPort), "client_secret_basic"),
                new OidcProviderProcess.Client(OOST_CLIENT, OOST_SECRET, callback(oostPort), "client_secret_post")),
                accounts(), new JWKSet(providerKey));
        proxy = new TokenEndpointProxy(URI.create(provider.issuer() + "/token"));
        Path secretFile = Files.createTempFile("citizen-client", ".secret");
        Files.writeString(secretFile, noordSecret + "\n");
        noord = node("noord", noordPort, Map.of(
                "betrokken.citizen-identity-provider.issuer", provider.issuer(),
                "betrokken.citizen-identity-provider.client-id", NOORD_CLIENT,
                "betrokken.citizen-identity-provider.client-secret-file", secretFile.toString(),
                "betrokken.citizen-identity-provider.redirect-uri", callback(noordPort),
                "betrokken.citizen-identity-provider.scopes", "openid,bsn"));
        oost = node("oost", oostPort, Map.of(
                "betrokken.citizen-identity-provider.issuer", provider.issuer(),
                "betrokken.citizen-identity-provider.client-id", OOST_CLIENT,
                "betrokken.citizen-identity-provider.client-secret", OOST_SECRET,
                "betrokken.citizen-identity-provider.client-authentication", "client_secret_post",
                "betrokken.citizen-identity-provider.redirect-uri", callback(oostPort),
                "betrokken.citizen-identity-provider.scopes", "bsn",
                "betrokken.citizen-identity-provider.authorization-endpoint", provider.issuer() + "/auth",
                "betrokken.citizen-identity-provider.token-endpoint", proxy.endpoint().toString(),
                "betrokken.citizen-identity-provider.jwks", provider.issuer() + "/jwks"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {oost, noord, proxy, provider}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- signing in

    @Test
    void browserSignIn_atTheRealProvider_startsTheSessionOfThatPerson_andItsCallbackWorksOnce() {
        ChromeDriver browser = Chromium.start(true);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            browser.get(base(noord) + "/portaal/inloggen/oidc");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("input[name=prompt][value=login]")));
            assertTrue(browser.getCurrentUrl().startsWith(provider.issuer() + "/interaction/"), browser.getCurrentUrl());
            browser.findElement(By.name("login")).sendKeys("ouder");
            browser.findElement(By.name("password")).sendKeys("wat-dan-ook");
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("input[name=prompt][value=consent]")));
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            wait.until(ExpectedConditions.urlContains(base(noord) + CALLBACK));
            String page = browser.findElement(By.tagName("body")).getText();
            assertEquals("ingelogd: " + CitizenSessionEcho.fingerprint(PARENT), page.strip());

            // The same answer of the provider again (the back button, or someone who read the URL): refused.
            String callback = browser.getCurrentUrl();
            browser.get(callback);
            assertTrue(browser.findElement(By.tagName("body")).getText().contains("(code: no-pending)"),
                    browser.getPageSource());
        } finally {
            browser.quit();
        }
    }

    @Test
    void signIn_withExplicitEndpointsAndClientSecretPost_sendsThePkceVerifierOfItsChallenge() throws Exception {
        Started started = begin(oost);
        Map<String, String> asked = query(started.authorization());
        assertEquals("code", asked.get("response_type"));
        assertEquals(OOST_CLIENT, asked.get("client_id"));
        assertEquals("S256", asked.get("code_challenge_method"));
        assertNotNull(asked.get("state"));
        assertNotNull(asked.get("nonce"));
        assertEquals(List.of("openid", "bsn"), List.of(asked.get("scope").split(" ")));

        Reply reply = callback(oost, atProvider(started.authorization(), "ouder"), started.cookie());
        assertEquals(200, reply.status(), reply.body());
        assertEquals("ingelogd: " + CitizenSessionEcho.fingerprint(PARENT), reply.body());
        assertTrue(reply.clearsPendingCookie(), "the pending sign-in's cookie is cleared: " + reply.setCookies());

        Map<String, String> sent = proxy.lastForm();
        assertEquals(OOST_CLIENT, sent.get("client_id"), "client_secret_post puts the client in the body");
        assertEquals(OOST_SECRET, sent.get("client_secret"));
        byte[] challenge = MessageDigest.getInstance("SHA-256")
                .digest(sent.get("code_verifier").getBytes(StandardCharsets.US_ASCII));
        assertEquals(asked.get("code_challenge"), Base64.getUrlEncoder().withoutPadding().encodeToString(challenge));
    }

    @Test
    void startCookie_isHttpOnlySecureSameSiteLax_andShortLived() {
        Started started = begin(noord);
        String cookie = started.setCookie().toLowerCase();
        assertTrue(cookie.contains("httponly"), cookie);
        assertTrue(cookie.contains("secure"), cookie);
        assertTrue(cookie.contains("samesite=lax"), cookie);
        assertTrue(cookie.contains("path=/portaal/inloggen"), cookie);
        assertTrue(cookie.contains("max-age=600"), cookie);
        assertTrue(started.authorization().toString().startsWith(provider.issuer() + "/auth?"));
    }

    // ---------------------------------------------------------------------------------------------- the callback

    @Test
    void callback_withAnotherState_isRefused_andUsesUpThePendingSignIn() {
        Started started = begin(noord);
        URI answer = atProvider(started.authorization(), "ouder");
        Reply forged = callback(noord, withParameter(answer, "state", "aangepast-" + System.nanoTime()), started.cookie());
        assertRefused(forged, 400, "state-mismatch");
        assertRefused(callback(noord, answer, started.cookie()), 400, "no-pending");
    }

    @Test
    void callback_withoutThePendingCookie_isRefused() {
        // The answer of someone else's login, opened in another browser (login CSRF): this browser started nothing.
        Started started = begin(noord);
        URI answer = atProvider(started.authorization(), "ouder");
        assertRefused(callback(noord, answer, null), 400, "no-pending");
        assertRefused(callback(noord, answer, "verzonnen-" + System.nanoTime()), 400, "no-pending");
    }

    @Test
    void callback_replayed_isRefused() {
        Started started = begin(noord);
        URI answer = atProvider(started.authorization(), "ouder");
        assertEquals(200, callback(noord, answer, started.cookie()).status());
        assertRefused(callback(noord, answer, started.cookie()), 400, "no-pending");
    }

    @Test
    void callback_namingAnotherIssuer_isRefused() {
        // RFC 9207: an answer that says it comes from another provider (mix-up) is not taken to this one.
        Started started = begin(noord);
        URI answer = atProvider(started.authorization(), "ouder");
        assertTrue(query(answer).containsKey("iss"), "the provider names itself: " + answer);
        assertRefused(callback(noord, withParameter(answer, "iss", "https://login.elders.example"), started.cookie()),
                400, "issuer-mismatch");
    }

    @Test
    void providerAnsweringAccessDenied_isRefusedWith401() {
        Started started = begin(noord);
        URI answer = atProvider(started.authorization(), null);
        assertEquals("access_denied", query(answer).get("error"), answer.toString());
        assertRefused(callback(noord, answer, started.cookie()), 401, "denied");
    }

    @Test
    void bsnClaim_thatFailsTheElfproefOrIsMissing_isRefused() {
        Started invalid = begin(noord);
        assertRefused(callback(noord, atProvider(invalid.authorization(), "ongeldig"), invalid.cookie()), 401, "no-bsn");
        Started missing = begin(noord);
        assertRefused(callback(noord, atProvider(missing.authorization(), "zonder-bsn"), missing.cookie()), 401,
                "no-bsn");
    }

    // ---------------------------------------------------------------------------------------------- the ID token

    @Test
    void idToken_resignedUnchanged_isAccepted() {
        // The control for the forgeries below: the proxy's re-signing alone breaks nothing.
        assertEquals(200, signInAtOostWith(new TokenEndpointProxy.Tamper(UnaryOperator.identity(), providerKey)).status());
    }

    @Test
    void idToken_fromAnotherIssuer_isRefused() {
        assertRefused(signInAtOostWith(new TokenEndpointProxy.Tamper(
                c -> c.issuer("https://login.elders.example"), providerKey)), 401, "id-token");
    }

    @Test
    void idToken_forAnotherAudience_isRefused() {
        assertRefused(signInAtOostWith(new TokenEndpointProxy.Tamper(
                c -> c.audience(NOORD_CLIENT), providerKey)), 401, "id-token");
    }

    @Test
    void idToken_withAnotherNonce_isRefused() {
        assertRefused(signInAtOostWith(new TokenEndpointProxy.Tamper(
                c -> c.claim("nonce", "een-andere-nonce"), providerKey)), 401, "id-token");
    }

    @Test
    void idToken_expired_isRefused() {
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        assertRefused(signInAtOostWith(new TokenEndpointProxy.Tamper(
                c -> c.issueTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(300))), providerKey)),
                401, "id-token");
    }

    @Test
    void idToken_signedByAnotherKey_isRefused() {
        assertRefused(signInAtOostWith(new TokenEndpointProxy.Tamper(UnaryOperator.identity(), otherKey)), 401,
                "id-token");
    }

    // ---------------------------------------------------------------------------------------------- availability

    @Test
    void providerDown_nodeStillStarts_signInIs503_andWorksOnceTheProviderIsUp() throws Exception {
        int providerPort = NodeHarness.freePort();
        int nodePort = NodeHarness.freePort();
        String secret = "zuid-geheim";
        try (NodeHarness zuid = node("zuid", nodePort, Map.of(
                "betrokken.citizen-identity-provider.issuer", "http://127.0.0.1:" + providerPort,
                "betrokken.citizen-identity-provider.client-id", "betrokken-zuid",
                "betrokken.citizen-identity-provider.client-secret", secret,
                "betrokken.citizen-identity-provider.redirect-uri", callback(nodePort),
                "betrokken.citizen-identity-provider.scopes", "openid,bsn"))) {
            assertEquals(200, get(zuid, "/health", null).status());
            Reply down = get(zuid, "/portaal/inloggen/oidc", null);
            assertRefused(down, 503, "provider-unavailable");
            assertTrue(down.body().contains("de inlogdienst antwoordt niet"), down.body());

            try (OidcProviderProcess late = new OidcProviderProcess(providerPort, List.of(new OidcProviderProcess.Client(
                    "betrokken-zuid", secret, callback(nodePort), "client_secret_basic")), accounts(),
                    new JWKSet(providerKey))) {
                Started started = null;
                long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (started == null && System.nanoTime() < until) {
                    Reply r = get(zuid, "/portaal/inloggen/oidc", null);
                    if (r.status() == 303) {
                        started = Started.of(r);
                    } else {
                        assertRefused(r, 503, "provider-unavailable");
                        Thread.sleep(250);
                    }
                }
                assertNotNull(started, "discovery is tried again once the provider is up");
                Reply reply = callback(zuid, atProvider(started.authorization(), "ouder"), started.cookie());
                assertEquals("ingelogd: " + CitizenSessionEcho.fingerprint(PARENT), reply.body());
            }
        }
    }

    @Test
    void signIn_whereNoProviderIsConfigured_is503() {
        NodeHarness plain = NodeHarness.shared(NodeHarness.Db.H2);
        assertRefused(get(plain, "/portaal/inloggen/oidc", null), 503, "not-configured");
        assertRefused(get(plain, CALLBACK + "?code=x&state=y", null), 503, "not-configured");
    }

    // ---------------------------------------------------------------------------------------------- configuration

    @Test
    void configuration_outsideLoopbackWithoutHttps_stopsTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CitizenOidc(config(
                "http://login.regio.example", "https://portaal.regio.example" + CALLBACK, "geheim", null),
                Clock.systemUTC()));
        assertTrue(e.getMessage().contains("betrokken.citizen-identity-provider.issuer"), e.getMessage());
        assertTrue(e.getMessage().contains("https://"), e.getMessage());
        IllegalStateException redirect = assertThrows(IllegalStateException.class, () -> new CitizenOidc(config(
                "https://login.regio.example", "http://portaal.regio.example" + CALLBACK, "geheim", null),
                Clock.systemUTC()));
        assertTrue(redirect.getMessage().contains("redirect-uri"), redirect.getMessage());
        // On this host, http is allowed (tests, a developer's machine).
        new CitizenOidc(config("http://127.0.0.1:1", "http://127.0.0.1:2" + CALLBACK, "geheim", null), Clock.systemUTC());
    }

    @Test
    void configuration_withoutSecret_wrongCallbackPathOrUnknownAuthentication_stopsTheStart() {
        String issuer = "https://login.regio.example";
        String redirect = "https://portaal.regio.example" + CALLBACK;
        assertTrue(assertThrows(IllegalStateException.class, () -> new CitizenOidc(
                config(issuer, redirect, null, null), Clock.systemUTC())).getMessage().contains("client-secret"));
        assertTrue(assertThrows(IllegalStateException.class, () -> new CitizenOidc(
                config(issuer, "https://portaal.regio.example/elders", "geheim", null), Clock.systemUTC()))
                .getMessage().contains(CALLBACK));
        assertTrue(assertThrows(IllegalStateException.class, () -> new CitizenOidc(
                config(issuer, redirect, "geheim", "private_key_jwt"), Clock.systemUTC()))
                .getMessage().contains("client_secret_basic or client_secret_post"));
    }

    @Test
    void configuration_neverPrintsTheClientSecret() {
        String printed = config("https://login.regio.example", "https://p.example" + CALLBACK, "zeer-geheim", null)
                .toString();
        assertFalse(printed.contains("zeer-geheim"), printed);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static CitizenIdentityProviderConfiguration config(String issuer, String redirect, String secret,
                                                               String authentication) {
        return new CitizenIdentityProviderConfiguration(issuer, null, null, List.of("RS256"), "bsn", "client", secret,
                null, authentication, redirect, List.of("openid"), null, null);
    }

    /** A sign-in at {@code oost} as "ouder" with the ID token changed by {@code tamper} at the token endpoint. */
    private static Reply signInAtOostWith(TokenEndpointProxy.Tamper tamper) {
        Started started = begin(oost);
        URI answer = atProvider(started.authorization(), "ouder");
        proxy.tamper(tamper);
        try {
            return callback(oost, answer, started.cookie());
        } finally {
            proxy.tamper(null);
        }
    }

    private static void assertRefused(Reply reply, int status, String code) {
        assertEquals(status, reply.status(), reply.body());
        assertTrue(reply.body().contains("(code: " + code + ")"), reply.body());
        assertTrue(reply.contentType().startsWith("text/plain"), reply.contentType());
        assertFalse(reply.body().contains(PARENT), "a refusal never shows the BSN");
    }

    private static NodeHarness node(String id, int port, Map<String, Object> citizen) {
        Map<String, Object> p = new TestIdentityProvider().configure(NodeHarness.prepare(NodeHarness.Db.H2, id, null, null));
        p.put("micronaut.server.port", port);
        p.put("betrokken.test.citizen-session-echo", true);
        p.putAll(citizen);
        return NodeHarness.start(p, "test"); // no dev environment: as in production
    }

    private static Map<String, String> accounts() {
        return Map.of("ouder", PARENT, "ongeldig", NOT_A_BSN);
    }

    private static String callback(int port) {
        return "http://127.0.0.1:" + port + CALLBACK;
    }

    private static String base(NodeHarness node) {
        return "http://127.0.0.1:" + node.port();
    }

    private static RSAKey rsa(String kid) throws JOSEException {
        return new RSAKeyGenerator(2048).keyID(kid).algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).generate();
    }

    /** Nine digits that fail the elfproef. */
    private static String notABsn() {
        for (int i = 100_000_000; ; i++) {
            if (!Bsn.isValid(Integer.toString(i))) {
                return Integer.toString(i);
            }
        }
    }

    /** An answer of a node. */
    record Reply(int status, String contentType, String body, List<String> setCookies, String location) {
        boolean clearsPendingCookie() {
            return setCookies.stream().anyMatch(c -> c.startsWith(CitizenOidcController.COOKIE + "=")
                    && c.toLowerCase().contains("max-age=0"));
        }
    }

    /** A started sign-in: where the node sends the browser, and the pending cookie it set. */
    record Started(URI authorization, String cookie, String setCookie) {
        static Started of(Reply r) {
            assertEquals(303, r.status(), r.body());
            String set = r.setCookies().stream().filter(c -> c.startsWith(CitizenOidcController.COOKIE + "="))
                    .findFirst().orElseThrow(() -> new AssertionError("no pending cookie: " + r.setCookies()));
            String value = set.substring(CitizenOidcController.COOKIE.length() + 1).split(";", 2)[0];
            return new Started(URI.create(r.location()), value, set);
        }
    }

    private static Started begin(NodeHarness node) {
        return Started.of(get(node, "/portaal/inloggen/oidc", null));
    }

    private static Reply callback(NodeHarness node, URI answer, String cookie) {
        assertTrue(answer.toString().startsWith(base(node) + CALLBACK), answer + " is " + node.nodeId() + "'s callback");
        return get(node, answer.getRawPath() + "?" + answer.getRawQuery(), cookie);
    }

    private static Reply get(NodeHarness node, String pathAndQuery, String cookie) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(node) + pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (cookie != null) {
            b.header("Cookie", CitizenOidcController.COOKIE + "=" + cookie);
        }
        HttpResponse<String> r = send(HTTP, b.GET().build());
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(),
                r.headers().allValues("Set-Cookie"), r.headers().firstValue("Location").orElse(null));
    }

    private static final Pattern ACTION = Pattern.compile("action=\"([^\"]+)\"");
    private static final Pattern ABORT = Pattern.compile("href=\"([^\"]+/abort)\"");

    /**
     * Walks the provider's dev interaction pages from {@code authorization} as a browser would (its own cookies,
     * redirects followed by hand): logs in as {@code login} with any password and consents; with {@code login} null
     * presses Cancel instead. Returns the provider's answer: the URL it sends the browser back to, not yet opened.
     */
    private static URI atProvider(URI authorization, String login) {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        String providerAuthority = authorization.getAuthority();
        URI at = authorization;
        HttpResponse<String> r = send(browser, HttpRequest.newBuilder(at).GET().build());
        for (int step = 0; step < 20; step++) {
            if (r.statusCode() == 302 || r.statusCode() == 303) {
                URI next = at.resolve(r.headers().firstValue("Location").orElseThrow());
                if (!providerAuthority.equals(next.getAuthority())) {
                    return next;
                }
                at = next;
                r = send(browser, HttpRequest.newBuilder(at).GET().build());
                continue;
            }
            assertEquals(200, r.statusCode(), "the provider's page at " + at + ": " + r.body());
            String page = r.body();
            if (login == null) {
                Matcher abort = ABORT.matcher(page);
                assertTrue(abort.find(), page);
                at = at.resolve(abort.group(1));
                r = send(browser, HttpRequest.newBuilder(at).GET().build());
                continue;
            }
            Matcher action = ACTION.matcher(page);
            assertTrue(action.find(), page);
            String form = page.contains("name=\"prompt\" value=\"login\"")
                    ? "prompt=login&login=" + URLEncoder.encode(login, StandardCharsets.UTF_8) + "&password=x"
                    : "prompt=consent";
            at = at.resolve(action.group(1));
            r = send(browser, HttpRequest.newBuilder(at).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        }
        throw new AssertionError("the provider's pages did not end at the callback");
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return out;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static URI withParameter(URI uri, String name, String value) {
        Map<String, String> q = new HashMap<>(query(uri));
        q.put(name, value);
        StringBuilder s = new StringBuilder();
        q.forEach((k, v) -> s.append(s.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath() + "?" + s);
    }
}
