package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import nl.betrokken.audit.AccessLogFile;
import nl.betrokken.audit.AccessLogVerifier;
import nl.betrokken.audit.AuditVerificationException;
import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.Youths;

/**
 * The parents' portal in a real headless Chromium, against a real coordinator and two nodes (noord on H2, oost on
 * PostgreSQL): each test walks one task of a parent or a stranger, signing in through the dev identity provider's
 * page. Every page and error state gets axe-core and a screenshot ({@link PortaalBrowser#check}); one test walks with
 * JavaScript off.
 */
class PortaalBrowserTest {

    private static final Pattern DUTCH_DATE = Pattern.compile("\\d{1,2} (januari|februari|maart|april|mei|juni|juli"
            + "|augustus|september|oktober|november|december) \\d{4}");

    static TestFederation federation;
    static Map<String, NodeHarness> NODES;

    @BeforeAll
    static void start() {
        federation = TestFederation.noordAndOost();
        NODES = federation.nodes();
    }

    @AfterAll
    static void stop() {
        federation.close();
    }

    /** A family: a child with signals at noord (both parents) and oost (no parents named). */
    record Family(String child, String mother, String father, String atNoord, String atOost) {
    }

    static Family family() {
        String child = Youths.bsn();
        String mother = Youths.bsn();
        String father = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(9).toString();
        String atNoord = register("noord", Youths.registration(child, born, mother, father));
        String atOost = register("oost", Youths.registration(child, born));
        awaitSignals("noord", mother, 2);
        return new Family(child, mother, father, atNoord, atOost);
    }

    @Test
    void ouder_leestStartpaginaEnLogtIn_zietDeSignalenOverHaarKind() {
        Family f = family();
        try (PortaalBrowser b = new PortaalBrowser(NODES.get("oost").port(), true)) {
            b.open("/portaal/");
            b.check("start");
            assertTrue(b.text().contains("Er staat niet in wat er aan de hand is"), "the start page says: no content");
            b.click("Inloggen");
            assertEquals("/portaal/inloggen", b.path());
            b.check("inloggen");
            b.click("Inloggen in de testomgeving");
            b.check("dev-inloggen");
            b.find("#bsn").sendKeys(f.mother());
            b.click("Inloggen");
            assertEquals("/portaal/overzicht", b.path());
            b.check("overzicht");
            List<WebElement> signals = b.all("main h2 a");
            assertEquals(2, signals.size(), b.text());
            assertTrue(signals.stream().allMatch(a -> a.getText().startsWith("Testkind, bij ")), b.text());
            assertTrue(b.text().contains("noord-org-a") || b.text().contains("Organisatie"), b.text());
            assertTrue(b.text().contains("Actief"), "status in words");
            assertTrue(DUTCH_DATE.matcher(b.text()).find(), "dates as people write them: " + b.text());
            assertFalse(b.text().matches("(?s).*\\d{4}-\\d{2}-\\d{2}.*"), "no ISO dates");
            assertFalse(b.driver().getCurrentUrl().contains(f.mother()), "no BSN in the URL");
        }
    }

    @Test
    void ouder_typtOngeldigBsn_zietSamenvattingEnVeldfout() {
        try (PortaalBrowser b = new PortaalBrowser(NODES.get("noord").port(), true)) {
            b.open("/dev/idp/inloggen");
            b.find("#bsn").sendKeys("123456789");
            b.click("Inloggen");
            assertTrue(b.title().startsWith("Fout: "), b.title());
            WebElement summary = b.find("[data-foutsamenvatting]");
            assertEquals(summary, b.driver().switchTo().activeElement(), "the script put the focus on the summary");
            WebElement link = summary.findElement(org.openqa.selenium.By.cssSelector("a"));
            assertEquals("#bsn", link.getDomAttribute("href"));
            String message = b.find("#bsn-fout").getText();
            assertEquals(link.getText(), message, "the same words in the summary and at the field");
            WebElement field = b.find("#bsn");
            assertEquals("true", field.getDomAttribute("aria-invalid"));
            assertTrue(field.getDomAttribute("aria-describedby").contains("bsn-fout"));
            assertEquals("123456789", field.getDomProperty("value"), "the answer is kept");
            b.check("dev-inloggen", "dev-inloggen-fout");
            link.click();
            assertEquals("bsn", b.driver().switchTo().activeElement().getDomAttribute("id"), "the link reaches the field");
        }
    }

    @Test
    void ouder_bekijktSignaal_zietFeitenEnWieErIetsMeeDeed() {
        Family f = family();
        try (PortaalBrowser b = new PortaalBrowser(NODES.get("noord").port(), true)) {
            b.signIn(f.father());
            b.open("/portaal/signalen/noord/" + f.atNoord());
            b.check("signaal");
            String text = b.text();
            for (String fact : List.of("Organisatie", "Hulpverlener", "Professional A (noord)", "noord-prof-a@example.org",
                    "Gemaakt op", "Status", "Actief tot", "Gewist na", "Reden volgens de wet", "Ouders ingelicht")) {
                assertTrue(text.contains(fact), fact + " on the page:\n" + text);
            }
            assertTrue(text.contains("Signaal gemaakt"), "the access log names the registration:\n" + text);
            assertTrue(text.contains("Hulpverlener van"), "by role and organisation:\n" + text);

            // The same log as one file, through the portal's session, that verifies against the published keys.
            assertEquals("/portaal/toegangslog",
                    b.find("a[href='/portaal/toegangslog']").getDomAttribute("href"));
            String file = (String) b.driver().executeAsyncScript(
                    "const done = arguments[0]; fetch('/portaal/toegangslog').then(r => r.text()).then(done);");
            try {
                AccessLogFile log = AccessLogFile.parse(file);
                Path keys = Files.createTempFile("keys", ".json");
                Files.writeString(keys, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        federation.coordinatorUrl() + "/.well-known/betrokken-audit-keys.json")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                AccessLogVerifier.Report report = AccessLogVerifier.verify(log, AccessLogFile.PublishedKeys.read(keys));
                assertEquals(2, report.signals(), "the signals at noord and oost, each with its proofs");
                assertTrue(report.entries() > 0);
            } catch (IOException | InterruptedException | AuditVerificationException e) {
                throw new AssertionError("the access-log file of the portal does not verify: " + e, e);
            }
        }
    }

    @Test
    void ouder_laatRedenLeeg_zietSamenvattingEnVeldfout() {
        Family f = family();
        try (PortaalBrowser b = new PortaalBrowser(NODES.get("noord").port(), true)) {
            b.signIn(f.mother());
            b.open("/portaal/signalen/oost/" + f.atOost() + "/bezwaar");
            b.check("bezwaar-reden");
            b.click("Verder");
            assertTrue(b.title().startsWith("Fout: "), b.title());
            assertEquals("Schrijf waarom u bezwaar maakt", b.find("#reden-fout").getText());
            assertEquals("true", b.find("#reden").getDomAttribute("aria-invalid"));
            assertEquals("#reden", b.find("[data-foutsamenvatting] a").getDomAttribute("href"));
            b.check("bezwaar-reden", "bezwaar-reden-fout");
            b.find("#reden").sendKeys("Onjuist");
            b.click("Verder");
            assertTrue(b.find("#reden-fout").getText().contains("minstens 10 tekens"), b.text());
            assertEquals("Onjuist", b.find("#reden").getDomProperty("value"), "the answer is kept");
        }
    }

    @Test
    void ouder_maaktBezwaar_zietBevestiging_enLaterDeBeslissing() {
        Family f = family();
        try (PortaalBrowser b = new PortaalBrowser(NODES.get("oost").port(), true)) {
            b.signIn(f.mother());
            b.open("/portaal/signalen/noord/" + f.atNoord());
            b.click("Bezwaar maken");
            b.find("#reden").sendKeys("Wij hebben al hulp, dit signaal is niet nodig.");
            b.click("Verder");
            assertEquals("/portaal/bezwaar/email", b.path());
            b.check("bezwaar-email");
            b.find("#email").sendKeys("geen adres");
            b.click("Verder");
            assertTrue(b.title().startsWith("Fout: "), b.title());
            assertTrue(b.find("#email-fout").getText().contains("naam@voorbeeld.nl"), b.text());
            assertEquals("geen adres", b.find("#email").getDomProperty("value"), "the answer is kept");
            b.check("bezwaar-email", "bezwaar-email-fout");
            b.find("#email").clear();
            b.find("#email").sendKeys("ouder@example.org");
            b.click("Verder");
            assertEquals("/portaal/bezwaar/controleren", b.path());
            b.check("bezwaar-controleren");
            assertTrue(b.text().contains("Wij hebben al hulp, dit signaal is niet nodig."), b.text());
            assertTrue(b.text().contains("ouder@example.org"), b.text());
            b.click("Wijzigen");
            assertEquals("Wij hebben al hulp, dit signaal is niet nodig.", b.find("#reden").getDomProperty("value"));
            b.find("#reden").sendKeys(" Wij praten liever zelf met school.");
            b.click("Verder");
            assertEquals("ouder@example.org", b.find("#email").getDomProperty("value"), "the address is kept");
            b.click("Verder");
            b.click("Bezwaar indienen");
            assertEquals("/portaal/bezwaar/verstuurd", b.path());
            b.check("bezwaar-verstuurd");
            assertTrue(b.text().contains("binnen 6 weken") && DUTCH_DATE.matcher(b.text()).find(), b.text());
            b.click("Naar mijn bezwaren");
            assertTrue(b.text().contains("De gemeente bekijkt uw bezwaar"), b.text());

            JsonNode open = NODES.get("noord").call("GET", "/api/v1/objections", null, "gemeente").body();
            String id = null;
            for (JsonNode o : open.get("items")) {
                if (o.get("signalId").asText().equals(f.atNoord())) {
                    id = o.get("id").asText();
                }
            }
            assertNotNull(id, open.toString());
            assertEquals(200, NODES.get("noord").call("POST", "/api/v1/objections/" + id + "/decision",
                    Map.of("outcome", "REJECTED", "motivation", "De school maakt zich terecht zorgen."), "gemeente")
                    .status());
            b.open("/portaal/bezwaren");
            b.check("bezwaren");
            assertTrue(b.text().contains("U heeft geen gelijk gekregen") && b.text().contains(
                    "De school maakt zich terecht zorgen."), b.text());
        }
    }

    @Test
    void ouder_zonderJavascript_maaktBezwaarEnLogtUit() {
        Family f = family();
        try (PortaalBrowser b = new PortaalBrowser(NODES.get("noord").port(), false)) {
            b.signIn(f.father());
            b.check("overzicht", "overzicht-zonder-javascript");
            b.open("/portaal/signalen/oost/" + f.atOost());
            b.click("Bezwaar maken");
            b.click("Verder");
            assertTrue(b.title().startsWith("Fout: "), "the server checks, without JavaScript too");
            b.find("#reden").sendKeys("Dit signaal hoort niet bij ons gezin.");
            b.click("Verder");
            b.click("Verder");
            assertTrue(b.text().contains("Geen e-mail"), "no address left: none on the check page");
            b.click("Bezwaar indienen");
            assertEquals("/portaal/bezwaar/verstuurd", b.path(), b.text());
            b.click("Uitloggen");
            assertEquals("/portaal/uitgelogd", b.path());
            b.open("/portaal/overzicht");
            assertEquals("/portaal/inloggen", b.path(), "signed out: back to sign in");
        }
    }

    @Test
    void ouder_logtUit_enDeSessieIsVoorbij() {
        Family f = family();
        try (PortaalBrowser b = new PortaalBrowser(NODES.get("noord").port(), true)) {
            b.signIn(f.mother());
            b.click("Uitloggen");
            b.check("uitgelogd");
            b.open("/portaal/bezwaren");
            assertEquals("/portaal/inloggen", b.path());
        }
    }

    @Test
    void formulierMetVerkeerdeCsrfToken_wordtGeweigerd() {
        Family f = family();
        try (PortaalBrowser b = new PortaalBrowser(NODES.get("noord").port(), true)) {
            b.signIn(f.mother());
            b.open("/portaal/signalen/noord/" + f.atNoord() + "/bezwaar");
            b.driver().executeScript("document.querySelector('main input[name=csrf]').value = 'nagemaakt';");
            b.find("#reden").sendKeys("Een reden die lang genoeg is.");
            b.click("Verder");
            b.check("fout-geweigerd", "geweigerd");
            assertEquals("Dit is niet gelukt", b.h1());
        }
    }

    @Test
    void vreemde_logtIn_zietGeenSignalenEnGeenSignaalVanAnderen() {
        Family f = family();
        try (PortaalBrowser b = new PortaalBrowser(NODES.get("noord").port(), true)) {
            b.signIn(Youths.bsn());
            assertTrue(b.text().contains("Er staan geen signalen over u of uw kinderen"), b.text());
            b.check("overzicht", "overzicht-leeg");
            b.open("/portaal/signalen/noord/" + f.atNoord());
            assertEquals("Dit signaal is er niet", b.h1());
            b.check("fout-niet-gevonden", "niet-gevonden");
            b.open("/portaal/signalen/noord/" + f.atNoord() + "/bezwaar");
            assertEquals("Dit signaal is er niet", b.h1(), "no objection on a signal one may not see");
        }
    }

    static String register(String node, Map<String, Object> body) {
        NodeHarness.Response r = NODES.get(node).call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    /** Waits until the coordinator knows {@code count} signals for {@code bsn} (the outboxes deliver them). */
    static void awaitSignals(String node, String bsn, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            NodeHarness.Response token = NODES.get(node).call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
            NodeHarness.Response r = NODES.get(node).call("GET", "/api/v1/citizen/signals", null, null,
                    Map.of("Authorization", "Bearer " + token.body().get("access_token").asText()));
            if (r.status() == 200 && r.body().get("items").size() >= count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the coordinator did not learn the signals in time: " + r.body());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
