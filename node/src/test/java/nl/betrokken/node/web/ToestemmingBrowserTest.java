package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;

/**
 * The portal's consent pages ({@code /portaal/toestemmingen…}) in a real headless Chromium, on one node whose
 * {@code CitizenConsents} is the test's stand-in ({@link FakeConsents}: requests as the test makes them, no federation)
 * and whose inzage finds nothing: one user task per test, signing in through the dev sign-in page. Every page and
 * error state gets axe-core and a screenshot ({@link PortaalBrowser#check}); one test walks with JavaScript off. The
 * same pages against the real services, over three nodes, are {@link ConsentScenarioTest}.
 */
class ToestemmingBrowserTest {

    private static final Pattern DUTCH_DATE = Pattern.compile("\\d{1,2} (januari|februari|maart|april|mei|juni|juli"
            + "|augustus|september|oktober|november|december) \\d{4}");
    private static final String NEE = "Als u nee zegt, delen de hulpverleners niets over uw kind met elkaar. "
            + "Uw kind krijgt gewoon hulp.";

    static NodeHarness node;

    @BeforeAll
    static void start() {
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(NodeHarness.Db.H2, "noord", null, null));
        p.put(FakeConsents.PROPERTY, true);
        p.put("betrokken.test.register-relations", true); // the inzage finds no signals: the overview shows none
        node = NodeHarness.start(p);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void ouder_geeftToestemmingMetEinddatum_enTrektHaarLaterIn() {
        String parent = Youths.bsn();
        FakeConsents.Vraag v = FakeConsents.ask("Testkind", "Afstemmen wie de begeleiding op school doet.",
                List.of("PARENT")).with(parent, "PARENT");
        try (PortaalBrowser b = new PortaalBrowser(node.port(), true)) {
            b.signIn(parent);
            b.click("Naar de vragen om toestemming");
            assertEquals("/portaal/toestemmingen", b.path());
            b.check("toestemmingen");
            assertTrue(b.text().contains("Vraag over Testkind van noord-org-a"), b.text());
            b.click("Vraag over Testkind van noord-org-a");
            assertEquals("/portaal/toestemmingen/" + v.id, b.path());
            b.check("toestemming");
            String text = b.text();
            for (String fact : List.of("Testkind", "Professional A (noord) van noord-org-a", "oost-org-a",
                    "Afstemmen wie de begeleiding op school doet.", NEE, "Wacht op antwoord", "een ouder")) {
                assertTrue(text.contains(fact), fact + " on the page:\n" + text);
            }
            assertTrue(DUTCH_DATE.matcher(text).find(), "dates as people write them: " + text);

            b.click("Ja, ik geef toestemming");
            assertEquals("/portaal/toestemmingen/" + v.id + "/ja", b.path());
            b.check("toestemming-ja");
            b.find("#einddatum").sendKeys("31-02-2030");
            b.click("Toestemming geven");
            assertTrue(b.title().startsWith("Fout: "), b.title());
            WebElement summary = b.find("[data-foutsamenvatting]");
            assertEquals(summary, b.driver().switchTo().activeElement(), "the focus is on the summary");
            assertEquals("#einddatum", summary.findElement(org.openqa.selenium.By.cssSelector("a"))
                    .getDomAttribute("href"));
            assertEquals("Vul een datum in zoals 31-12-2027, of laat het vak leeg", b.find("#einddatum-fout").getText());
            assertEquals("true", b.find("#einddatum").getDomAttribute("aria-invalid"));
            assertTrue(b.find("#einddatum").getDomAttribute("aria-describedby").contains("einddatum-fout"));
            assertEquals("31-02-2030", b.find("#einddatum").getDomProperty("value"), "the answer is kept");
            b.check("toestemming-ja", "toestemming-ja-fout");
            b.find("#einddatum").clear();
            b.find("#einddatum").sendKeys("1-1-2020");
            b.click("Toestemming geven");
            assertEquals("Vul vandaag of een latere datum in, of laat het vak leeg", b.find("#einddatum-fout").getText());
            b.find("#einddatum").clear();
            b.find("#einddatum").sendKeys("1-1-" + (LocalDate.now(ClockFactory.ZONE).getYear() + 6));
            b.click("Toestemming geven");
            assertEquals("Kies een datum binnen vijf jaar, of laat het vak leeg", b.find("#einddatum-fout").getText());
            b.find("#einddatum").clear();
            LocalDate until = LocalDate.now(ClockFactory.ZONE).plusYears(1);
            b.find("#einddatum").sendKeys(until.getDayOfMonth() + "-" + until.getMonthValue() + "-" + until.getYear());
            b.click("Toestemming geven");
            assertEquals("/portaal/toestemmingen/" + v.id + "/beantwoord", b.path());
            b.check("toestemming-beantwoord");
            assertTrue(b.text().contains("U heeft ja gezegd") && b.text().contains("mogen nu informatie delen")
                    && b.text().contains(new Tekst().datum(until)), b.text());
            assertEquals("GRANTED", v.status());
            assertEquals(until, v.validUntil);

            b.open("/portaal/toestemmingen");
            assertTrue(b.text().contains("Er zijn geen vragen die op uw antwoord wachten."), b.text());
            assertTrue(b.text().contains("Toestemming gegeven"), b.text());
            b.check("toestemmingen", "toestemmingen-gegeven");
            b.click("Testkind: noord-org-a en oost-org-a");
            b.click("Toestemming intrekken");
            assertEquals("/portaal/toestemmingen/" + v.id + "/intrekken", b.path());
            b.check("toestemming-intrekken");
            assertTrue(b.text().contains("niets meer over uw kind"), b.text());
            b.click("Toestemming intrekken");
            assertEquals("/portaal/toestemmingen/" + v.id + "/ingetrokken", b.path());
            b.check("toestemming-ingetrokken");
            assertEquals("WITHDRAWN", v.status());
            b.open("/portaal/toestemmingen/" + v.id);
            assertTrue(b.text().contains("Ingetrokken"), b.text());
            assertTrue(b.all("a[href$='/intrekken']").isEmpty(), "nothing left to withdraw");
            b.open("/portaal/toestemmingen/" + v.id + "/ja");
            assertEquals("/portaal/toestemmingen/" + v.id, b.path(), "no answer to an ended request");
        }
    }

    @Test
    void ouder_zegtNee_naDeControle() {
        String parent = Youths.bsn();
        FakeConsents.Vraag v = FakeConsents.ask("Testkind", "Samen een plan maken.", List.of("PARENT"))
                .with(parent, "PARENT");
        try (PortaalBrowser b = new PortaalBrowser(node.port(), true)) {
            b.signIn(parent);
            b.open("/portaal/toestemmingen/" + v.id);
            b.click("Nee, ik geef geen toestemming");
            assertEquals("/portaal/toestemmingen/" + v.id + "/nee", b.path());
            b.check("toestemming-nee");
            assertTrue(b.text().contains(NEE), b.text());
            assertEquals("PENDING", v.status(), "nothing is refused before the button");
            b.click("Geen toestemming geven");
            assertEquals("/portaal/toestemmingen/" + v.id + "/beantwoord", b.path());
            b.check("toestemming-beantwoord", "toestemming-beantwoord-nee");
            assertTrue(b.text().contains("U heeft nee gezegd") && b.text().contains(NEE), b.text());
            assertEquals("REFUSED", v.status());
        }
    }

    @Test
    void jongereVan14_zegtJa_enZiet_datDeOuderOokMoet() {
        String youth = Youths.bsn();
        String parent = Youths.bsn();
        FakeConsents.Vraag v = FakeConsents.ask("Jongere", "Afspraken over school en thuis.", List.of("PARENT",
                "YOUTH")).with(youth, "YOUTH").with(parent, "PARENT");
        try (PortaalBrowser b = new PortaalBrowser(node.port(), true)) {
            b.signIn(youth);
            b.open("/portaal/toestemmingen/" + v.id);
            b.check("toestemming", "toestemming-jongere");
            assertTrue(b.text().contains("Als u nee zegt, delen de hulpverleners niets over u met elkaar. "
                    + "U krijgt gewoon hulp."), b.text());
            assertTrue(b.text().contains("een ouder en Jongere zelf"), b.text());
            b.click("Ja, ik geef toestemming");
            b.click("Toestemming geven");
            assertTrue(b.text().contains("Ook een ouder moet nog ja zeggen"), b.text());
            b.check("toestemming-beantwoord", "toestemming-beantwoord-wacht");
            assertEquals("PENDING", v.status());
        }
    }

    @Test
    void ouder_zonderJavascript_geeftToestemming() {
        String parent = Youths.bsn();
        FakeConsents.Vraag v = FakeConsents.ask("Testkind", "Samen een plan maken.", List.of("PARENT"))
                .with(parent, "PARENT");
        try (PortaalBrowser b = new PortaalBrowser(node.port(), false)) {
            b.signIn(parent);
            b.click("Toestemming");
            b.check("toestemmingen", "toestemmingen-zonder-javascript");
            b.click("Vraag over Testkind van noord-org-a");
            b.click("Ja, ik geef toestemming");
            b.find("#einddatum").sendKeys("geen datum");
            b.click("Toestemming geven");
            assertTrue(b.title().startsWith("Fout: "), "the server checks, without JavaScript too");
            b.find("#einddatum").clear();
            b.click("Toestemming geven");
            assertEquals("/portaal/toestemmingen/" + v.id + "/beantwoord", b.path(), b.text());
            assertEquals("GRANTED", v.status());
            assertEquals(null, v.validUntil, "no end date");
        }
    }

    @Test
    void vreemde_ziet_geenVragen_enGeenVraagVanAnderen() {
        String parent = Youths.bsn();
        FakeConsents.Vraag v = FakeConsents.ask("Testkind", "Samen een plan maken.", List.of("PARENT"))
                .with(parent, "PARENT");
        FakeConsents.unavailable = List.of("zuid");
        try (PortaalBrowser b = new PortaalBrowser(node.port(), true)) {
            b.signIn(Youths.bsn());
            b.open("/portaal/toestemmingen");
            assertTrue(b.text().contains("Er zijn geen vragen die op uw antwoord wachten."), b.text());
            assertTrue(b.text().contains("Deze regios gaven geen antwoord: zuid."), b.text());
            b.check("toestemmingen", "toestemmingen-leeg");
            b.open("/portaal/toestemmingen/" + v.id);
            assertEquals("De verwijsindex is nu niet bereikbaar", b.h1(), "it may be at the region that did not answer");
            FakeConsents.unavailable = List.of();
            b.open("/portaal/toestemmingen/" + v.id);
            assertEquals("Deze vraag om toestemming is er niet", b.h1());
            b.check("fout-toestemming-niet-gevonden", "toestemming-niet-gevonden");
            b.open("/portaal/toestemmingen/geen-id/ja");
            assertEquals("Deze vraag om toestemming is er niet", b.h1());
        } finally {
            FakeConsents.unavailable = List.of();
        }
        assertEquals("PENDING", v.status());
    }

    @Test
    void formulierMetVerkeerdeCsrfToken_wordtGeweigerd_enVerandertNiets() {
        String parent = Youths.bsn();
        FakeConsents.Vraag v = FakeConsents.ask("Testkind", "Samen een plan maken.", List.of("PARENT"))
                .with(parent, "PARENT");
        try (PortaalBrowser b = new PortaalBrowser(node.port(), true)) {
            b.signIn(parent);
            b.open("/portaal/toestemmingen/" + v.id + "/nee");
            b.driver().executeScript("document.querySelector('main input[name=csrf]').value = 'nagemaakt';");
            b.click("Geen toestemming geven");
            assertEquals("Dit is niet gelukt", b.h1());
            assertEquals("PENDING", v.status());
        }
        assertFalse(v.answers.containsKey("PARENT"));
    }
}
