package nl.betrokken.node.organisation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.web.WerkplekBrowser;

/**
 * The gemeente's organisation pages in a real headless Chromium, on one node of its own (noord, H2, no coordinator):
 * admit an organisation (field errors, a taken username, then success), its new coördinator signs in, suspend and
 * reinstate, and remove it with a decision per signal (a refused hand-over on the check page, then a changed choice);
 * between the signals and the suspension, the gemeente reads the region's figures ({@link #cijfers}). Every page and
 * error state gets axe-core and a screenshot.
 */
class OrganisatieBrowserTest {

    static NodeHarness node;
    private static final java.time.ZoneId NL = java.time.ZoneId.of("Europe/Amsterdam");

    @BeforeAll
    static void start() {
        node = NodeHarness.start(NodeHarness.Db.H2, "noord", null, null);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void gemeente_laatEenOrganisatieToe_schorstHaar_enVerwijdertHaarMetEenBesluitPerSignaal() {
        try (WerkplekBrowser b = new WerkplekBrowser(node.port(), true)) {
            b.signIn("noord-gemeente");
            assertEquals("/werkplek/organisaties", b.path(), "the gemeente starts at the organisations");
            assertTrue(b.text().contains("noord-org-a"), b.text());
            b.check("organisatie-lijst");

            b.click("Organisatie toelaten");
            b.check("organisatie-nieuw");
            b.click("Organisatie toelaten");
            assertTrue(b.text().contains("Vul de naam van de organisatie in"), b.text());
            assertTrue(b.text().contains("Kies de sector van de organisatie"), b.text());
            b.check("organisatie-nieuw", "organisatie-nieuw-fouten");
            b.find("#naam").sendKeys("Basisschool De Linde");
            b.find("#sector-ONDERWIJS").click();
            b.find("#gebruikersnaam").sendKeys("noord-prof-a");
            b.find("#weergavenaam").sendKeys("Joke de Vries");
            b.find("#email").sendKeys("joke.devries@linde.example");
            b.find("#wachtwoord").sendKeys(OrganisationTest.PASSWORD);
            b.click("Organisatie toelaten");
            assertTrue(b.text().contains("Er is al een account met deze gebruikersnaam"), b.text());
            assertEquals("Basisschool De Linde", b.find("#naam").getDomProperty("value"), "answers kept");
            assertTrue(b.find("#sector-ONDERWIJS").isSelected());
            b.find("#gebruikersnaam").clear();
            b.find("#gebruikersnaam").sendKeys("noord-joke");
            b.find("#wachtwoord").sendKeys(OrganisationTest.PASSWORD);
            b.click("Organisatie toelaten");
            assertEquals("Basisschool De Linde", b.h1(), b.text());
            assertTrue(b.text().contains("De organisatie is toegelaten"), b.text());
            assertTrue(b.text().contains("Joke de Vries"), b.text());
            b.check("organisatie-details");
            String pad = b.path().replace("?melding=toegelaten", "");
            String id = pad.substring(pad.lastIndexOf('/') + 1);

            b.signOut();
            b.open("/werkplek/inloggen");
            b.click("Inloggen in de testomgeving");
            b.find("#gebruikersnaam").sendKeys("noord-joke");
            b.find("#wachtwoord").sendKeys(OrganisationTest.PASSWORD);
            b.click("Inloggen");
            assertTrue(b.path().startsWith("/werkplek/medewerkers"), b.path());
            assertTrue(b.text().contains("Joke de Vries"), "the new organisation, with only its coördinator: " + b.text());
            b.open("/werkplek/organisaties");
            String header = b.find("header").getText();
            assertTrue(header.contains("Ingelogd als Joke de Vries") && header.contains("coördinator"), header);
            assertEquals("Deze pagina is niet voor u", b.h1(), "the organisations are the gemeente's");
            NodeHarness.Response staff = OrganisationTest.as(node, "noord-joke", "GET", "/api/v1/staff", null);
            assertEquals(1, staff.body().get("items").size(), "the new organisation has only its coördinator");
            b.signOut();

            // The coördinator adds a professional, who registers two signals; noord-prof-b has one on the second youth.
            String professional = "noord-piet";
            assertEquals(201, OrganisationTest.as(node, "noord-joke", "POST", "/api/v1/staff", Map.of("username",
                    professional, "displayName", "Piet Jansen", "email", "piet@linde.example", "initialPassword",
                    OrganisationTest.PASSWORD)).status());
            String youth1 = Youths.bsn();
            String first = signal(professional, youth1);
            String youth = Youths.bsn();
            String second = signal(professional, youth);
            assertEquals(201, node.call("POST", "/api/v1/signals", Youths.registration(youth), "prof-b").status());

            cijfers(b, List.of(youth1, youth));
            b.open(pad);
            b.click("Organisatie schorsen");
            assertTrue(b.text().contains("De organisatie is geschorst"), b.text());
            assertEquals(401, OrganisationTest.as(node, professional, "GET", "/api/v1/signals", null).status());
            b.check("organisatie-details", "organisatie-details-geschorst");
            b.click("Schorsing opheffen");
            assertTrue(b.text().contains("De schorsing is opgeheven"), b.text());
            assertEquals(200, OrganisationTest.as(node, professional, "GET", "/api/v1/signals", null).status());

            b.click("Organisatie verwijderen");
            assertEquals("Basisschool De Linde verwijderen", b.h1());
            b.check("organisatie-verwijderen");
            b.click("Verder naar controleren");
            assertTrue(b.text().contains("Signaal 1: Kies wat er met dit signaal gebeurt"), b.text());
            b.check("organisatie-verwijderen", "organisatie-verwijderen-fouten");
            String toB = "Overdragen aan Professional B (noord) (noord-org-b)";
            new Select(b.find("#besluit-" + first)).selectByVisibleText(toB);
            new Select(b.find("#besluit-" + second)).selectByVisibleText(toB);
            b.click("Verder naar controleren");
            assertEquals("/werkplek/organisaties/" + id + "/verwijderen/controleren", b.path());
            b.check("organisatie-controleren");
            b.click("Organisatie verwijderen");
            assertTrue(b.text().contains("heeft al een actief signaal over deze jongere"), b.text());
            b.check("organisatie-controleren", "organisatie-controleren-fout");
            b.click("Keuzes wijzigen");
            new Select(b.find("#besluit-" + second)).selectByVisibleText("Beëindigen");
            b.click("Verder naar controleren");
            assertTrue(b.text().contains("Vul de reden in om dit signaal te beëindigen"), b.text());
            b.find("#reden-" + second).sendKeys("De school stopt met de verwijsindex.");
            b.click("Verder naar controleren");
            assertTrue(b.text().contains("Beëindigen. Reden: De school stopt met de verwijsindex."), b.text());
            b.click("Organisatie verwijderen");
            assertTrue(b.text().contains("De organisatie is verwijderd"), b.text());
            assertTrue(b.text().contains("Verwijderd"), b.text());
            b.check("organisatie-details", "organisatie-details-verwijderd");
        }
        NodeHarness.Response moved = node.call("GET", "/api/v1/signals/" + signalOf("prof-b", 2), null, "prof-b");
        assertEquals(200, moved.status());
        assertEquals(401, OrganisationTest.as(node, "noord-piet", "GET", "/api/v1/signals", null).status());
    }

    /**
     * The walk "the gemeente admits an organisation, reads its figures": a professional gets the 403 page, the
     * matchcoördinator sees the page, then the gemeente opens Cijfers from the menu: this month's signals per
     * organisation and sector, noord-org-a (no signal in 30 days) flagged, a wrong month at its field (422), and the
     * organisations' CSV, fetched with the page's session, holds the numbers of the page's row and no BSN. Ends signed
     * in as the gemeente.
     */
    static void cijfers(WerkplekBrowser b, List<String> bsns) {
        b.signIn("noord-prof-a");
        b.open("/werkplek/cijfers");
        assertEquals("Deze pagina is niet voor u", b.h1(), "the figures are the gemeente's and the matchcoördinator's");
        assertEquals(403, get(b, b.base() + "/werkplek/cijfers/signals.csv?van=2026-01&tot=2026-12").statusCode());
        b.signOut();
        b.signIn("noord-matchcoord");
        b.open("/werkplek/cijfers");
        assertEquals("Cijfers van de regio", b.h1(), b.text());
        b.signOut();

        b.signIn("noord-gemeente");
        b.click("Cijfers");
        assertEquals("/werkplek/cijfers", b.path());
        String text = b.text();
        assertTrue(text.contains("Eén organisatie heeft in de laatste 30 dagen geen signaal gestuurd")
                && text.contains("toegelaten): noord-org-a."), text);
        assertFalse(text.contains("De regio heeft sinds"), "the region did send signals");
        // the default period is the last 12 months, this one last: its column is the 12th after name and sector
        List<String> linde = cells(b, "organisaties", "Basisschool De Linde");
        assertEquals(List.of("Onderwijs", "2", "2"), List.of(linde.get(1), linde.get(13), linde.get(14)), linde.toString());
        assertEquals("Signalen gestuurd", linde.get(16));
        assertEquals("Geen signaal", cells(b, "organisaties", "noord-org-a").get(16));
        assertEquals("1", cells(b, "organisaties", "noord-org-b").get(13));
        assertEquals("2", cells(b, "sectoren", "Onderwijs").get(12));
        assertEquals("1", cells(b, "sectoren", "Niet bekend").get(12));
        List<List<String>> perMonth = new ArrayList<>();
        for (WebElement row : b.all("section[aria-labelledby='signalen-kop'] tbody tr")) {
            perMonth.add(row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList());
        }
        assertEquals(12, perMonth.size());
        assertEquals("3", perMonth.get(11).get(1), perMonth.toString());
        assertEquals(List.of("0"), perMonth.subList(0, 11).stream().map(r -> r.get(1)).distinct().toList());
        b.check("cijfers");
        ((org.openqa.selenium.JavascriptExecutor) b.driver())
                .executeScript("document.getElementById('organisaties-kop').scrollIntoView({behavior: 'instant'})");
        b.screenshot("werkplek-cijfers-grafieken");

        String csv = csv(b, b.find("section[aria-labelledby='organisaties-kop'] a[download]").getAttribute("href"));
        assertTrue(csv.startsWith("\uFEFFOrganisatie;Sector;"), csv);
        assertTrue(csv.contains("\r\n" + String.join(";", linde) + "\r\n"), "the page's row: " + linde + "\n" + csv);
        for (String bsn : bsns) {
            assertFalse(csv.contains(bsn), "no BSN in the CSV");
        }
        NodeHarness.Response api = node.call("GET", "/api/v1/figures/signals.csv?from=" + YearMonth.now(NL) + "&to="
                + YearMonth.now(NL), null, "gemeente", Map.of("Accept", "text/csv"));
        assertEquals(200, api.status());
        assertTrue(api.body().asText().endsWith(";3\r\n"), api.body().asText());

        b.find("#van").clear();
        b.find("#van").sendKeys("13-2026");
        b.click("Cijfers tonen");
        assertTrue(b.text().contains("Deze maand bestaat niet"), b.text());
        assertEquals("13-2026", b.find("#van").getDomProperty("value"), "the answer kept");
        assertTrue(b.all("table").isEmpty(), "no figures for a wrong period");
        b.check("cijfers", "cijfers-fout");
        HttpResponse<String> fout = get(b, b.base() + "/werkplek/cijfers?van=05-2026&tot=04-2026");
        assertEquals(422, fout.statusCode());
        assertTrue(fout.body().contains("Kies bij Tot en met maand dezelfde maand als bij Van maand, of een latere"));
    }

    /** The cells of the row of {@code section}'s table whose first cell is {@code first}. */
    private static List<String> cells(WerkplekBrowser b, String section, String first) {
        for (WebElement row : b.all("section[aria-labelledby='" + section + "-kop'] tbody tr")) {
            List<String> cells = row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
            if (cells.get(0).equals(first)) {
                return cells;
            }
        }
        throw new AssertionError(first + " not in " + section + ": " + b.text());
    }

    /** The file at {@code href}, fetched over HTTP with the browser's werkplek session. */
    private static String csv(WerkplekBrowser b, String href) {
        HttpResponse<String> r = get(b, href);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/csv; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        return r.body();
    }

    /** {@code href} fetched over HTTP with the browser's werkplek session. */
    private static HttpResponse<String> get(WerkplekBrowser b, String href) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(href))
                    .header("Cookie", "betrokken_werkplek=" + b.driver().manage().getCookieNamed("betrokken_werkplek")
                            .getValue()).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String signal(String professional, String youth) {
        return OrganisationTest.register(node, professional, youth);
    }

    /** How many signals {@code user} sees must be {@code expected}; returns the newest's id. */
    static String signalOf(String user, int expected) {
        var items = node.call("GET", "/api/v1/signals", null, user).body().get("items");
        assertEquals(expected, items.size(), "noord-prof-b's own signal and the one handed over");
        return items.get(0).get("id").asText();
    }
}
