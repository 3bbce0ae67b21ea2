package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.Waiting;
import nl.betrokken.node.Youths;

/**
 * The werkplek's pages for changing a signal (docs/werkplek.md, "Signalen wijzigen"), in headless Chromium, with a
 * real coordinator and noord (H2) and oost (PostgreSQL). noord's professional corrects a signal (errors first): the
 * mother added gives oost a family match; hands it to a colleague (none chosen first): oost sees the colleague's
 * e-mail; withdraws it (not confirmed first): oost's matches are withdrawn; and changes her own e-mail (a wrong one
 * first). Every page and error state is checked (axe, title, screenshot).
 */
class WerkplekWijzigenBrowserTest {

    private static TestFederation federation;
    private static NodeHarness noord;
    private static NodeHarness oost;

    @BeforeAll
    static void start() {
        federation = TestFederation.noordAndOost(NodeHarness.Db.H2, NodeHarness.Db.POSTGRES,
                Map.of("betrokken.staff.contact-push-interval", "200ms"));
        noord = federation.nodes().get("noord");
        oost = federation.nodes().get("oost");
    }

    @AfterAll
    static void stop() {
        federation.close();
    }

    @Test
    void hulpverlener_verbetert_draagtOver_trektIn_enWijzigtEigenGegevens() {
        String child = Youths.bsn();
        String mother = Youths.bsn();
        String colleague = "noord-collega";
        Map<String, Object> account = new HashMap<>(Map.of("username", colleague, "displayName", "Collega Jansen",
                "email", "jansen@school.example", "initialPassword", "initial-password-1"));
        assertEquals(201, noord.call("POST", "/api/v1/staff", account, "coord-a").status());
        String signal = register(noord, Youths.registration(child, "2014-05-01", Youths.bsn()));
        String sibling = register(oost, Youths.registration(Youths.bsn(), "2012-03-01", mother));
        String same = register(oost, Youths.registration(child));
        Waiting.match(oost, same, m -> "ACTIVE".equals(m.get("status").asText()));

        try (WerkplekBrowser b = new WerkplekBrowser(noord.port(), true)) {
            b.signInAt("/werkplek/signalen/" + signal, "noord-prof-a");
            b.click("Gegevens verbeteren");
            assertEquals("/werkplek/signalen/" + signal + "/corrigeren", b.path());
            assertEquals("Testkind", b.find("#naam").getAttribute("value"), "the current answers are filled in");
            b.check("wijzig-corrigeren");

            clear(b, "#naam");
            clear(b, "#geboortedatum").sendKeys("31-02-2015");
            clear(b, "#ouder2").sendKeys(child);
            b.click("Opslaan");
            String errors = b.text();
            for (String message : new String[] {"Vul de naam van de jongere in", "Vul een datum in zoals 31-12-2015"}) {
                assertTrue(errors.contains(message), message + " on:\n" + errors);
            }
            assertEquals("true", b.find("#naam").getAttribute("aria-invalid"));
            b.check("wijzig-corrigeren", "wijzig-corrigeren-fout");
            b.find("#naam").sendKeys("Sanne Verbeterd");
            clear(b, "#geboortedatum").sendKeys("1-5-2014");
            b.click("Opslaan");
            assertTrue(b.text().contains("Dit is het burgerservicenummer van de jongere zelf"), b.text());
            clear(b, "#ouder2").sendKeys(mother);
            b.click("Opslaan");
            assertEquals("/werkplek/signalen/" + signal, b.path());
            assertTrue(b.text().contains("Sanne Verbeterd"), b.text());
            Waiting.match(oost, sibling, m -> "FAMILY".equals(m.get("type").asText())
                    && "ACTIVE".equals(m.get("status").asText()));

            b.click("Overdragen aan een collega");
            b.check("wijzig-overdragen");
            b.click("Overdragen");
            assertTrue(b.text().contains("Kies aan welke collega u het signaal overdraagt"), b.text());
            b.check("wijzig-overdragen", "wijzig-overdragen-fout");
            b.find("#collega").sendKeys(Keys.SPACE);
            b.click("Overdragen");
            assertEquals("/werkplek/signalen/" + signal, b.path());
            assertTrue(b.text().contains("Collega Jansen"), b.text());
            Waiting.match(oost, same, m -> m.has("counterpart") && "jansen@school.example".equals(
                    m.get("counterpart").get("email").asText()));

            b.click("Signaal intrekken (per vergissing gemaakt)");
            b.check("wijzig-intrekken");
            assertTrue(b.text().contains("Het gaat niet naar het archief"), b.text());
            b.click("Signaal intrekken");
            assertTrue(b.text().contains("Vink aan dat u zeker weet"), b.text());
            b.check("wijzig-intrekken", "wijzig-intrekken-fout");
            b.find("#zeker").sendKeys(Keys.SPACE);
            b.click("Signaal intrekken");
            assertEquals("/werkplek/signalen/" + signal + "/ingetrokken", b.path());
            b.check("wijzig-ingetrokken");
            Waiting.match(oost, same, m -> "WITHDRAWN".equals(m.get("status").asText()));
            Waiting.match(oost, sibling, m -> "WITHDRAWN".equals(m.get("status").asText()));
            b.open("/werkplek/signalen/" + signal);
            assertTrue(b.text().contains("Dit signaal is er niet"), b.text());

            b.click("Mijn gegevens");
            assertEquals("/werkplek/mijn-gegevens", b.path());
            b.check("wijzig-mijn-gegevens");
            clear(b, "#email").sendKeys("geen adres");
            b.click("Opslaan");
            assertTrue(b.text().contains("Vul een e-mailadres in zoals naam@voorbeeld.nl"), b.text());
            b.check("wijzig-mijn-gegevens", "wijzig-mijn-gegevens-fout");
            clear(b, "#email").sendKeys("wijk-a@school.example");
            b.click("Opslaan");
            assertTrue(b.text().contains("Uw gegevens zijn opgeslagen."), b.text());
            assertEquals("wijk-a@school.example", noord.call("GET", "/api/v1/me", null, "prof-a").body()
                    .get("email").asText());
        }
    }

    private static String register(NodeHarness node, Map<String, Object> body) {
        NodeHarness.Response r = node.call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    private static WebElement clear(WerkplekBrowser b, String css) {
        WebElement field = b.find(css);
        field.clear();
        return field;
    }
}
