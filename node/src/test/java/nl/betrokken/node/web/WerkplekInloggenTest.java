package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.account.OidcProviderProcess;

/**
 * The werkplek's sign-in (docs/werkplek.md) on one node in the dev environment that also has the region's identity
 * provider for staff: the npm {@code oidc-provider} ({@link OidcProviderProcess}), whose {@code sub} is the username.
 * The dev sign-in and the OIDC sign-in in headless Chromium ({@link WerkplekBrowser}, axe-core on every sign-in and
 * error page); {@code terug}, CSRF and a deactivated account over plain HTTP, where the answers' status, location and
 * cookies can be read. A test page ({@link WerkplekTestPagina}) stands in for an area's gemeente page and form.
 */
class WerkplekInloggenTest {

    private static final String CLIENT = "betrokken-werkplek";
    private static final String SECRET = "werkplek-geheim-" + Long.toHexString(System.nanoTime());
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private static OidcProviderProcess provider;
    private static NodeHarness node;

    @BeforeAll
    static void start() throws Exception {
        int port = NodeHarness.freePort();
        String callback = "http://127.0.0.1:" + port + "/werkplek/inloggen/terug";
        provider = new OidcProviderProcess(0, List.of(new OidcProviderProcess.Client(CLIENT, SECRET, callback,
                "client_secret_basic")), Map.of(), new JWKSet(new RSAKeyGenerator(2048).keyID("werkplek-idp")
                .algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE).generate()));
        Map<String, Object> p = NodeHarness.prepare(NodeHarness.Db.H2, "noord", null, null);
        p.put("micronaut.server.port", port);
        p.put("betrokken.test.werkplek-pagina", true);
        p.put("betrokken.identity-provider.issuer", provider.issuer());
        p.put("betrokken.identity-provider.jwks", provider.issuer() + "/jwks");
        p.put("betrokken.identity-provider.username-claim", "sub");
        p.put("betrokken.identity-provider.client-id", CLIENT);
        p.put("betrokken.identity-provider.client-secret", SECRET);
        p.put("betrokken.identity-provider.redirect-uri", callback);
        node = NodeHarness.start(p, "test", "dev");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {node, provider}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- in the browser

    @Test
    void devInloggen_foutWachtwoord_veldfout_daarnaIngelogd_naarStartVanDeRol_enUitloggen() {
        try (WerkplekBrowser b = new WerkplekBrowser(node.port(), true)) {
            b.open("/werkplek/inloggen");
            b.check("inloggen");
            b.click("Inloggen in de testomgeving");
            assertEquals("/dev/werkplek/inloggen", b.path());
            b.check("inloggen-dev");
            b.find("#gebruikersnaam").sendKeys("noord-auditor");
            b.find("#wachtwoord").sendKeys("fout");
            b.click("Inloggen");
            assertTrue(b.title().startsWith("Fout: "), b.title());
            assertEquals("De gebruikersnaam of het wachtwoord klopt niet", b.find("#wachtwoord-fout").getText());
            assertEquals("true", b.find("#wachtwoord").getDomAttribute("aria-invalid"));
            assertEquals("#wachtwoord", b.find("[data-foutsamenvatting] a").getDomAttribute("href"));
            assertEquals("noord-auditor", b.find("#gebruikersnaam").getDomProperty("value"), "the username is kept");
            assertEquals("", b.find("#wachtwoord").getDomProperty("value"), "the password is not sent back");
            b.check("inloggen-dev", "inloggen-dev-fout");

            b.find("#wachtwoord").sendKeys(WerkplekBrowser.PASSWORD);
            b.click("Inloggen");
            assertEquals("/werkplek/", b.path(), "the auditor's start");
            assertTrue(b.text().contains("/api/v1/audit"), b.text());
            assertTrue(b.find("header").getText().contains("Ingelogd als Auditor (noord), auditor"),
                    b.find("header").getText());
            b.check("start");

            b.open("/werkplek/test/weg");
            assertEquals("Deze pagina is er niet", b.h1());
            b.check("niet-gevonden");

            b.open("/werkplek/test/gemeente");
            assertEquals("Deze pagina is niet voor u", b.h1());
            b.check("geweigerd");

            b.open("/werkplek/");
            b.signOut();
            assertEquals("/werkplek/uitgelogd", b.path());
            b.check("uitgelogd");
            b.open("/werkplek/");
            assertTrue(b.path().startsWith("/werkplek/inloggen"), "signed out: " + b.path());
        }
        assertEquals(1, audit("werkplek.signed-in", "auditor:noord-auditor"));
        assertEquals(1, audit("werkplek.signed-out", "auditor:noord-auditor"));
    }

    @Test
    void devInloggen_eenProfessional_komtBijSignalen_metHetMenuVanDeRol() {
        try (WerkplekBrowser b = new WerkplekBrowser(node.port(), true)) {
            b.signIn("noord-prof-a");
            assertEquals("/werkplek/signalen", b.path(), "a professional's start");
            b.open("/werkplek/test/weg");
            List<String> menu = b.all("header nav a").stream().map(a -> a.getText()).toList();
            assertEquals(List.of("Signalen", "Nieuw signaal", "Mijn gegevens"), menu);
        }
    }

    @Test
    void oidcInloggen_metAccount_terugNaarDePagina_zonderAccount_geweigerd() {
        try (WerkplekBrowser b = new WerkplekBrowser(node.port(), true)) {
            b.open("/werkplek/test/gemeente");
            assertTrue(b.path().startsWith("/werkplek/inloggen?terug="), b.path());
            b.signInAtProvider("noord-gemeente");
            assertEquals("/werkplek/test/gemeente", b.path(), "back where the staff member was going");
            assertTrue(b.driver().getPageSource().contains("gemeente-pagina voor noord-gemeente"));
        }
        assertTrue(audit("werkplek.signed-in", "gemeente:noord-gemeente") >= 1);
        try (WerkplekBrowser b = new WerkplekBrowser(node.port(), true)) {
            b.open("/werkplek/inloggen");
            b.signInAtProvider("niemand-hier");
            assertEquals("/werkplek/inloggen/terug", b.path().replaceAll("\\?.*", ""));
            assertEquals("Inloggen is niet gelukt", b.h1());
            assertTrue(b.text().contains("U heeft geen account in de verwijsindex van deze regio"), b.text());
            assertTrue(b.text().contains("Code voor de beheerder: no-account"), b.text());
            b.check("inloggen-fout");
            b.open("/werkplek/");
            assertTrue(b.path().startsWith("/werkplek/inloggen"), "not signed in: " + b.path());
        }
    }

    // ---------------------------------------------------------------------------------------------- over HTTP

    @Test
    void zonderSessie_naarInloggen_metTerug_enAlleenEenEigenTerugTelt() {
        Reply anonymous = get("/werkplek/test/gemeente?x=1", null);
        assertEquals(303, anonymous.status());
        assertEquals("/werkplek/inloggen?terug=" + enc("/werkplek/test/gemeente?x=1"), anonymous.location());

        assertEquals("/werkplek/test/gemeente?x=1", signIn("noord-gemeente", "/werkplek/test/gemeente?x=1").location());
        for (String foreign : List.of("https://elders.example/werkplek/", "//elders.example/werkplek/",
                "/werkplek/../portaal/overzicht", "/werkplek/%2e%2e/portaal/", "/portaal/overzicht",
                "/werkplek/\\\\elders.example", "/werkplek//elders.example", "/werkplek/inloggen")) {
            assertEquals("/werkplek/organisaties", signIn("noord-gemeente", foreign).location(),
                    "a foreign terug is ignored: " + foreign);
        }
        Reply page = get("/werkplek/inloggen?terug=" + enc("https://elders.example/"), null);
        assertFalse(page.body().contains("elders.example"), "the choice page passes no foreign terug on");
        Reply ours = get("/werkplek/inloggen?terug=" + enc("/werkplek/test/gemeente"), null);
        assertTrue(ours.body().contains("/dev/werkplek/inloggen?terug=" + enc("/werkplek/test/gemeente")), ours.body());
    }

    @Test
    void verkeerdeCsrf_403_enNietsVerandert_goedeCsrf_werkt() {
        Reply forged = post("/dev/werkplek/inloggen", "csrf=nep&gebruikersnaam=noord-gemeente&wachtwoord=demo",
                "betrokken_portaal_csrf=anders");
        assertEquals(403, forged.status(), "the sign-in form's double-submit token");
        assertTrue(forged.body().contains("Verwijsindex werkplek") && forged.body().contains("Dit is niet gelukt"));
        assertTrue(forged.setCookies().stream().noneMatch(c -> c.startsWith("betrokken_werkplek=")), "no session");

        Reply signedIn = signIn("noord-gemeente", null);
        String cookie = signedIn.cookie("betrokken_werkplek");
        assertNotNull(cookie);
        assertTrue(signedIn.setCookies().stream().anyMatch(c -> c.startsWith("betrokken_werkplek=")
                && c.toLowerCase().contains("httponly") && c.contains("SameSite=Lax")), signedIn.setCookies().toString());
        String csrf = get("/werkplek/test/gemeente", cookie).body().replaceAll("(?s).*csrf=", "").strip();
        int before = WerkplekTestPagina.POSTS.get();

        for (String wrong : new String[] {"csrf=", "csrf=nep", "csrf=" + csrf.substring(1)}) {
            Reply refused = post("/werkplek/test/teller", wrong, cookie);
            assertEquals(403, refused.status(), wrong);
            assertTrue(refused.body().contains("Dit is niet gelukt"), refused.body());
            assertEquals("no-store", refused.header("Cache-Control"));
        }
        assertEquals(before, WerkplekTestPagina.POSTS.get(), "nothing changed");
        Reply done = post("/werkplek/test/teller", "csrf=" + enc(csrf), cookie);
        assertEquals(303, done.status());
        assertEquals(before + 1, WerkplekTestPagina.POSTS.get());

        Reply page = get("/werkplek/", cookie);
        assertEquals("/werkplek/organisaties", page.location(), "the gemeente's start");
        assertEquals("same-origin", page.header("Referrer-Policy"));
        assertEquals("nosniff", page.header("X-Content-Type-Options"));

        assertEquals(403, post("/werkplek/uitloggen", "csrf=nep", cookie).status(), "sign-out needs the token too");
        assertEquals(200, get("/werkplek/test/gemeente", cookie).status(), "still signed in");
        Reply out = post("/werkplek/uitloggen", "csrf=" + enc(csrf), cookie);
        assertEquals("/werkplek/uitgelogd", out.location());
        assertEquals(303, get("/werkplek/test/gemeente", cookie).status(), "the session ended at the node");
    }

    @Test
    void eenGestoptAccount_zijnSessieEindt() throws SQLException {
        String cookie = signIn("noord-prof-b", null).cookie("betrokken_werkplek");
        assertEquals("/werkplek/signalen", get("/werkplek/", cookie).location());
        execute("UPDATE account SET active = false WHERE username = 'noord-prof-b'");
        try {
            assertTrue(get("/werkplek/", cookie).location().startsWith("/werkplek/inloggen"));
            assertEquals(0, count("SELECT count(*) FROM werkplek_session WHERE username = 'noord-prof-b'"));
            assertEquals(1, audit("werkplek.signed-out", "prof:noord-prof-b"));
            Reply again = signIn("noord-prof-b", null);
            assertEquals(422, again.status(), "an inactive account does not sign in");
        } finally {
            execute("UPDATE account SET active = true WHERE username = 'noord-prof-b'");
        }
    }

    @Test
    void eenRolZonderDezePagina_403_metHetMenuVanDieRol() {
        String cookie = signIn("noord-coord-a", null).cookie("betrokken_werkplek");
        Reply refused = get("/werkplek/test/gemeente", cookie);
        assertEquals(403, refused.status());
        assertTrue(refused.body().contains("Deze pagina is niet voor u"), refused.body());
        assertTrue(refused.body().contains("href=\"/werkplek/medewerkers\""), "the coordinator's menu");
        Reply post = post("/werkplek/test/teller", "csrf=" + enc(csrfOf(cookie)), cookie);
        assertEquals(403, post.status(), "a form of another role is refused too");
        assertTrue(count("SELECT count(*) FROM audit_entry WHERE kind = 'access.coordinator'"
                + " AND actor = 'coord:noord-coord-a' AND subject = 'werkplek:/werkplek/test/gemeente'") >= 1,
                "a coordinator's page request is an entry, as an API request is, also when refused");
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** Signs {@code username} in at the dev sign-in page over HTTP: the answer to the form (303 with the cookie). */
    private static Reply signIn(String username, String terug) {
        Reply page = get("/dev/werkplek/inloggen", null);
        String csrf = page.cookie("betrokken_portaal_csrf");
        assertNotNull(csrf, "the page sets its double-submit cookie");
        Matcher m = CSRF_FIELD.matcher(page.body());
        assertTrue(m.find());
        assertEquals(csrf, m.group(1));
        return post("/dev/werkplek/inloggen", "csrf=" + enc(csrf) + "&gebruikersnaam=" + enc(username)
                + "&wachtwoord=" + WerkplekBrowser.PASSWORD + (terug == null ? "" : "&terug=" + enc(terug)),
                "betrokken_portaal_csrf=" + csrf);
    }

    /** The CSRF token of a session, as its header's sign-out form carries it. */
    private static String csrfOf(String cookie) {
        Reply page = get("/werkplek/test/weg", cookie);
        Matcher m = CSRF_FIELD.matcher(page.body());
        assertTrue(m.find(), page.body());
        return m.group(1);
    }

    record Reply(int status, String body, Map<String, List<String>> headers) {
        String location() {
            return header("Location");
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }

        List<String> setCookies() {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Set-Cookie"))
                    .flatMap(e -> e.getValue().stream()).toList();
        }

        /** The value a Set-Cookie gives cookie {@code name} (null: none); "name=value" for the Cookie header. */
        String cookie(String name) {
            return setCookies().stream().filter(c -> c.startsWith(name + "="))
                    .map(c -> c.substring(name.length() + 1).split(";", 2)[0]).findFirst()
                    .map(v -> name.equals("betrokken_portaal_csrf") ? v : name + "=" + v).orElse(null);
        }
    }

    private static Reply get(String path, String cookie) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).GET();
        return send(b, cookie);
    }

    private static Reply post(String path, String form, String cookie) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        return send(b, cookie);
    }

    private static Reply send(HttpRequest.Builder b, String cookie) {
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), new HashMap<>(r.headers().map()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Connection db() throws SQLException {
        Map<String, Object> p = node.properties();
        return DriverManager.getConnection((String) p.get("datasources.default.url"),
                (String) p.getOrDefault("datasources.default.username", "sa"),
                (String) p.getOrDefault("datasources.default.password", ""));
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(sql)) {
            s.executeUpdate();
        }
    }

    private static int count(String sql) {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int audit(String kind, String actor) {
        List<String> found = new ArrayList<>();
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(
                "SELECT actor FROM audit_entry WHERE kind = ?")) {
            s.setString(1, kind);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return (int) found.stream().filter(actor::equals).count();
    }
}
