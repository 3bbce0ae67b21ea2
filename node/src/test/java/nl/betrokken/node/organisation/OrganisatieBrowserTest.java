package nl.betrokken.node.organisation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.web.WerkplekBrowser;

/**
 * The gemeente's organisation pages in a real headless Chromium, on one node of its own (noord, H2, no coordinator):
 * admit an organisation (field errors, a taken username, then success), its new coördinator signs in, suspend and
 * reinstate, and remove it with a decision per signal (a refused hand-over on the check page, then a changed choice).
 * Every page and error state gets axe-core and a screenshot.
 */
class OrganisatieBrowserTest {

    static NodeHarness node;

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
            String first = signal(professional, Youths.bsn());
            String youth = Youths.bsn();
            String second = signal(professional, youth);
            assertEquals(201, node.call("POST", "/api/v1/signals", Youths.registration(youth), "prof-b").status());

            b.signIn("noord-gemeente");
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
