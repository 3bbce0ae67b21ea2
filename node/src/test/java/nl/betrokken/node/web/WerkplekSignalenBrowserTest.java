package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.WebDriverWait;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.Waiting;
import nl.betrokken.node.Youths;

/**
 * The professional's signal and match pages of the werkplek (docs/werkplek.md, "Signalen"), in headless Chromium,
 * with a real coordinator and two nodes (noord on H2, oost on PostgreSQL) that send their e-mail to one in-test SMTP
 * server and know their own public URL. A professional at noord registers a youth (errors first, then right); the
 * professional at oost, who signalled the same youth, finds the match by the youth's name, records follow-up, takes
 * regie, asks consent and sends a message under the Veilig Thuis exception; noord reads it and ends the signal. Once
 * with JavaScript off. The e-mail about a new match links to the match's page, which opens after signing in.
 */
class WerkplekSignalenBrowserTest {

    private static final DateTimeFormatter DAG = DateTimeFormatter.ofPattern("dd-MM-yyyy");

    static GreenMail smtp;
    static TestFederation federation;
    static Map<String, NodeHarness> NODES;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        federation = TestFederation.noordAndOost((id, port) -> {
            Map<String, Object> p = new HashMap<>();
            p.put("betrokken.public-url", "http://127.0.0.1:" + port);
            p.put("betrokken.notify.enabled", true);
            p.put("betrokken.notify.smtp-host", "127.0.0.1");
            p.put("betrokken.notify.smtp-port", smtp.getSmtp().getPort());
            p.put("betrokken.notify.poll-interval", "200ms");
            return p;
        });
        NODES = federation.nodes();
    }

    @AfterAll
    static void stop() {
        federation.close();
        smtp.stop();
    }

    @Test
    void hulpverlener_registreertMetFouten_danGoed_deAndereKantVolgtDeMatchOp_enHijBeeindigtHet() {
        String youth = Youths.bsn();
        String mother = Youths.bsn();
        String name = "Sanne Werkplek";
        LocalDate born = LocalDate.now(ClockFactory.ZONE).minusYears(9).minusDays(20);
        String today = LocalDate.now(ClockFactory.ZONE).format(DAG);
        String signal;
        try (WerkplekBrowser noord = new WerkplekBrowser(NODES.get("noord").port(), true)) {
            noord.signIn("noord-prof-a");
            noord.click("Nieuw signaal");
            assertEquals("/werkplek/signalen/nieuw", noord.path());
            noord.check("signaal-nieuw");

            // The check as the person types: a BSN that fails the elfproef is named when the field is left, without
            // sending the form; corrected, the message goes.
            noord.find("#bsn").sendKeys("123456789", Keys.TAB);
            waitFor(noord, "#bsn-fout", "Vul een burgerservicenummer van 9 cijfers in dat bestaat");
            assertEquals("true", noord.find("#bsn").getAttribute("aria-invalid"));
            assertEquals("/werkplek/signalen/nieuw", noord.path(), "nothing was sent");
            noord.check("signaal-nieuw", "signaal-nieuw-controle");
            clear(noord, "#bsn").sendKeys(youth, Keys.TAB);
            new WebDriverWait(noord.driver(), Duration.ofSeconds(10)).until(d -> noord.all("#bsn-fout").isEmpty());
            assertEquals(null, noord.find("#bsn").getAttribute("aria-invalid"));
            assertEquals(youth, noord.find("#bsn").getDomProperty("value"), "what was typed stays");
            clear(noord, "#bsn");

            // Nothing filled in: every required answer is named, at its field and in the summary.
            noord.click("Signaal afgeven");
            String errors = noord.text();
            for (String message : new String[] {"Vul de naam van de jongere in",
                    "Vul het burgerservicenummer van de jongere in", "Vul de geboortedatum van de jongere in",
                    "Kies de reden volgens de wet", "Kies of u de ouders heeft verteld over het signaal"}) {
                assertTrue(errors.contains(message), message + " on:\n" + errors);
            }
            assertEquals("foutsamenvatting-kop", noord.driver().switchTo().activeElement()
                    .getAttribute("aria-labelledby"), "the focus is on the error summary");
            noord.check("signaal-nieuw", "signaal-nieuw-fout");

            // Wrong answers: the API's rules at their fields, the answers kept.
            noord.find("#naam").sendKeys(name);
            noord.find("#bsn").sendKeys("123456789");
            noord.find("#geboortedatum").sendKeys(LocalDate.now(ClockFactory.ZONE).plusDays(3).format(DAG));
            noord.find("#ouder1").sendKeys(youth);
            // A third and fourth parent are behind "Nog een ouder toevoegen".
            noord.find("details summary").sendKeys(Keys.ENTER);
            assertEquals("true", noord.find("details").getDomProperty("open"), "opened with the keyboard");
            noord.find("#ouder3").sendKeys("111222334");
            choose(noord, "grond-c");
            choose(noord, "geinformeerd");
            noord.find("#geinformeerdOp").sendKeys(today);
            // The service's rules, one at a time as the API answers them: the elfproef, a parent who is the youth,
            // a birth date in the future; each at its field, the answers kept.
            noord.click("Signaal afgeven");
            errors = noord.text();
            assertTrue(errors.contains("Vul een burgerservicenummer van 9 cijfers in dat bestaat"), errors);
            assertEquals("Vul een burgerservicenummer van 9 cijfers in dat bestaat, of laat het vak leeg",
                    noord.find("#ouder3-fout").getText(), "the API's parents[1].bsn at the third parent's field");
            assertEquals("true", noord.find("details").getDomProperty("open"), "open: a parent there has an error");
            assertEquals(name, noord.find("#naam").getAttribute("value"), "the answers are kept");
            assertEquals("true", noord.find("#grond-c").getDomProperty("checked"));
            assertEquals("true", noord.find("#bsn").getAttribute("aria-invalid"));
            clear(noord, "#bsn").sendKeys(youth);
            noord.click("Signaal afgeven");
            assertTrue(noord.text().contains("Dit is het burgerservicenummer van de jongere zelf"), noord.text());
            clear(noord, "#ouder1").sendKeys(mother);
            clear(noord, "#ouder3").sendKeys(Youths.bsn());
            noord.find("#ouder4").sendKeys(Youths.bsn());
            noord.click("Signaal afgeven");
            assertTrue(noord.text().contains("Vul een geboortedatum in die niet in de toekomst ligt"), noord.text());

            // Right: the signal's page.
            clear(noord, "#geboortedatum").sendKeys(born.format(DAG));
            noord.click("Signaal afgeven");
            assertTrue(noord.path().matches("/werkplek/signalen/[0-9a-f-]{36}\\?nieuw"), noord.path());
            signal = noord.path().substring("/werkplek/signalen/".length(), noord.path().indexOf('?'));
            String page = noord.text();
            assertEquals("Signaal over " + name, noord.h1());
            for (String fact : new String[] {"Het signaal is afgegeven", "c: Ernstige problemen bij het opvoeden",
                    "Ja, op ", "Actief", "Er is nog geen andere hulpverlener betrokken"}) {
                assertTrue(page.contains(fact), fact + " on:\n" + page);
            }
            noord.check("signaal");
            noord.click("Signalen");
            assertTrue(noord.text().contains(name), noord.text());
            noord.check("signaal-lijst");
            noord.click("Alle signalen van mijn organisatie bekijken");
            assertTrue(noord.text().contains(name), noord.text());
            noord.check("signaal-lijst-alle");
        }

        // The professional at oost signals the same youth (API); the coordinator matches the two.
        String atOost = register("oost", youth, born, name);
        String match = federation.matchOn("noord", signal);
        assertEquals(match, federation.matchOn("oost", atOost), "one match, one id at both nodes");

        // Oost finds the match by the youth's name and works on it.
        try (WerkplekBrowser oost = new WerkplekBrowser(NODES.get("oost").port(), true)) {
            oost.signIn("oost-prof-a");
            oost.click(name);
            oost.click("noord-org-a");
            assertEquals("/werkplek/matches/" + match, oost.path());
            assertEquals("Match over " + name, oost.h1());
            String page = oost.text();
            for (String fact : new String[] {"Over dezelfde jongere", "Een andere regio", "noord-org-a",
                    "noord-prof-a@example.org", "Nog niets vastgelegd", "Niemand heeft de regie",
                    "Er is nog geen toestemming gevraagd", "Er zijn nog geen berichten"}) {
                assertTrue(page.contains(fact), fact + " on:\n" + page);
            }
            oost.check("match");

            choose(oost, "uitkomst"); // contact made, without the day
            oost.click("Opvolging vastleggen");
            assertTrue(oost.text().contains("Vul de dag in waarop u contact had"), oost.text());
            oost.check("match", "match-fout");
            oost.find("#contactOp").sendKeys(today);
            oost.click("Opvolging vastleggen");
            assertTrue(oost.text().contains("Contact gehad op "), oost.text());

            choose(oost, "uitkomst-regie");
            oost.click("Opvolging vastleggen");
            assertTrue(oost.text().contains("U heeft de regie."), oost.text());

            oost.find("#doel").sendKeys("Afstemmen wie de begeleiding thuis doet.");
            oost.click("Toestemming vragen");
            assertTrue(oost.text().contains("Toestemming is gevraagd. Er is nog geen antwoord."), oost.text());

            // No consent yet: the message is refused, at the field; under the Veilig Thuis exception it goes.
            oost.find("#tekst").sendKeys("Wij zien het kind elke week.");
            oost.click("Bericht versturen");
            assertTrue(oost.text().contains("Er is nu geen geldige toestemming om informatie te delen"), oost.text());
            oost.find("#uitzondering").sendKeys("Vader mag niet weten dat wij samenwerken; melding bij Veilig Thuis.");
            // With a file: over the node's request limit (8 MB), the page with the error at the file field, not a
            // bare 413; over the API's 5 MB, the same (the text kept); a small one goes.
            oost.find("#bestand").sendKeys(file("heel-groot.pdf", 9 * 1024 * 1024).toString());
            oost.click("Bericht versturen");
            assertEquals("Kies een bestand van hoogstens 5 MB", oost.find("#bestand-fout").getText());
            oost.find("#tekst").sendKeys("Wij zien het kind elke week.");
            oost.find("#uitzondering").sendKeys("Vader mag niet weten dat wij samenwerken; melding bij Veilig Thuis.");
            oost.find("#bestand").sendKeys(file("groot.pdf", 5 * 1024 * 1024 + 1).toString());
            oost.click("Bericht versturen");
            assertEquals("Kies een bestand van hoogstens 5 MB", oost.find("#bestand-fout").getText());
            assertEquals("Wij zien het kind elke week.", oost.find("#tekst").getDomProperty("value"));
            oost.check("match", "match-bestand-fout");
            oost.find("#bestand").sendKeys(file("afspraken.txt", 300).toString());
            oost.click("Bericht versturen");
            assertTrue(oost.text().contains("Verstuurd op "), oost.text());
            assertTrue(oost.text().contains("Bestand afspraken.txt opslaan"), oost.text());

            // The parent said yes in a conversation at oost: recorded here, the consent is granted.
            oost.click("Toestemming vastleggen");
            for (String message : new String[] {"Kies wie u toestemming gaf",
                    "Vul de dag in waarop u de toestemming kreeg"}) {
                assertTrue(oost.text().contains(message), message + " on:\n" + oost.text());
            }
            oost.check("match", "match-toestemming-vastleggen-fout");
            choose(oost, "wie");
            oost.find("#gegevenOp").sendKeys(LocalDate.now(ClockFactory.ZONE).plusDays(1).format(DAG));
            choose(oost, "vorm-SCHRIFTELIJK");
            oost.click("Toestemming vastleggen");
            assertTrue(oost.text().contains("Vul een dag in die niet in de toekomst ligt"), oost.text());
            clear(oost, "#gegevenOp").sendKeys(today);
            oost.click("Toestemming vastleggen");
            assertTrue(oost.text().contains("Er is toestemming. U mag informatie delen."), oost.text());
            assertTrue(oost.all("#wie").isEmpty(), "nothing more to record");
            oost.check("match", "match-toestemming-vastgelegd");
        }

        // Noord sees the regie and reads the message, then ends the signal.
        try (WerkplekBrowser noord = new WerkplekBrowser(NODES.get("noord").port(), true)) {
            noord.signIn("noord-prof-a");
            // The regie claim reaches noord node to node (followup/RegieSender), not within oost's request.
            Waiting.waitFor(() -> {
                noord.open("/werkplek/matches/" + match);
                return noord.text().contains("De andere hulpverlener heeft de regie.");
            }, "oost's regie shown at noord");
            String page = noord.text();
            assertTrue(page.contains("Wij zien het kind elke week."), page);
            assertTrue(page.contains("met de uitzondering van de Meldcode"), page);
            assertTrue(page.contains("Bestand afspraken.txt opslaan"), page);

            noord.open("/werkplek/matches/" + UUID.randomUUID());
            assertEquals("Deze match is er niet", noord.h1());
            noord.check("match-niet-gevonden");

            noord.open("/werkplek/signalen/" + signal);
            assertTrue(noord.text().contains("oost-org-a"), "the match on the signal's page: " + noord.text());
            noord.click("Signaal beëindigen");
            noord.check("signaal-beeindigen");
            noord.click("Signaal beëindigen");
            assertTrue(noord.text().contains("Schrijf waarom u het signaal beëindigt"), noord.text());
            noord.check("signaal-beeindigen", "signaal-beeindigen-fout");
            noord.find("#reden").sendKeys("De hulp is afgerond.");
            noord.click("Signaal beëindigen");
            assertEquals("/werkplek/signalen/" + signal, noord.path());
            assertTrue(noord.text().contains("De hulp is afgerond."), noord.text());
            assertTrue(noord.all("a[href$='/beeindigen']").isEmpty(), "an ended signal cannot be ended again");
        }
        com.fasterxml.jackson.databind.JsonNode ended = NODES.get("noord").call("GET", "/api/v1/signals/" + signal,
                null, "prof-a").body();
        assertEquals("ENDED", ended.get("status").asText());
        assertEquals(3, ended.get("parents").asInt(), "the first, third and fourth parent field");
    }

    @Test
    void zonderJavascript_registreertEnBeeindigt() {
        try (WerkplekBrowser b = new WerkplekBrowser(NODES.get("noord").port(), false)) {
            b.signIn("noord-prof-b");
            b.open("/werkplek/signalen/nieuw");
            b.find("#naam").sendKeys("Zonder Script");
            b.find("#bsn").sendKeys(Youths.bsn());
            b.find("#geboortedatum").sendKeys("1-2-2015");
            choose(b, "grond-e");
            choose(b, "geinformeerd-nee");
            b.click("Signaal afgeven");
            assertTrue(b.text().contains("Schrijf waarom u het de ouders niet vertelt"), b.text());
            b.check("signaal-nieuw", "signaal-nieuw-fout-zonder-js");
            b.find("#redenNiet").sendKeys("Vertellen brengt het kind in gevaar; melding bij Veilig Thuis.");
            b.click("Signaal afgeven");
            assertTrue(b.text().contains("Nee, dat brengt de jongere in gevaar"), b.text());
            b.click("Signaal beëindigen");
            b.find("#reden").sendKeys("Verhuisd naar een andere regio.");
            b.click("Signaal beëindigen");
            assertTrue(b.text().contains("Verhuisd naar een andere regio."), b.text());
        }
    }

    @Test
    void emailOverEenNieuweMatch_linktNaarDeMatchpagina_dieNaInloggenOpent() throws Exception {
        String youth = Youths.bsn();
        LocalDate born = LocalDate.now(ClockFactory.ZONE).minusYears(15);
        String signal = register("noord", youth, born, "Mail Testkind");
        register("oost", youth, born, "Mail Testkind");
        String match = federation.matchOn("noord", signal);
        String link = "http://127.0.0.1:" + NODES.get("noord").port() + "/werkplek/matches/" + match;
        String body = TestFederation.await(() -> mailTo("noord-prof-a@example.org", match), b -> b != null,
                "the e-mail about match " + match);
        assertTrue(body.lines().anyMatch(l -> l.strip().equals(link)), "the link to the match's page: " + body);
        assertTrue(!body.contains("Mail Testkind") && !body.contains(youth), "no name or BSN in: " + body);

        try (WerkplekBrowser b = new WerkplekBrowser(NODES.get("noord").port(), true)) {
            b.signInAt(link.substring(("http://127.0.0.1:" + NODES.get("noord").port()).length()), "noord-prof-a");
            assertEquals("/werkplek/matches/" + match, b.path(), "back at the e-mail's page after signing in");
            assertEquals("Match over Mail Testkind", b.h1());
        }
    }

    /** A file of {@code size} bytes named {@code name}, to choose in a file field. */
    private static Path file(String name, int size) {
        try {
            Path dir = Files.createTempDirectory("bestand");
            Path file = dir.resolve(name);
            Files.write(file, new byte[size]);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits until {@code css} is on the page with {@code text} (an answer of the check as the person types). */
    private static void waitFor(WerkplekBrowser b, String css, String text) {
        new WebDriverWait(b.driver(), Duration.ofSeconds(10)).until(d -> b.all(css).stream()
                .anyMatch(e -> e.getText().equals(text)));
    }

    /** Chooses the radio button {@code id} with the keyboard, as many people do. */
    private static void choose(WerkplekBrowser b, String id) {
        b.find("#" + id).sendKeys(org.openqa.selenium.Keys.SPACE);
        assertEquals("true", b.find("#" + id).getDomProperty("checked"), id + " chosen");
    }

    private static org.openqa.selenium.WebElement clear(WerkplekBrowser b, String css) {
        org.openqa.selenium.WebElement field = b.find(css);
        field.clear();
        return field;
    }

    /** The body of the e-mail to {@code to} that names {@code match}, or null while there is none. */
    private static String mailTo(String to, String match) {
        try {
            for (MimeMessage mail : smtp.getReceivedMessages()) {
                String body = String.valueOf(mail.getContent());
                if (mail.getRecipients(Message.RecipientType.TO)[0].toString().equals(to) && body.contains(match)) {
                    return body;
                }
            }
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String register(String node, String youth, LocalDate born, String name) {
        Map<String, Object> body = Youths.registration(youth, born.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> y = (Map<String, Object>) body.get("youth");
        y.put("name", name);
        NodeHarness.Response r = NODES.get(node).call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }
}
