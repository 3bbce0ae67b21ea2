package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import io.micronaut.transaction.TransactionOperations;
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
 * with JavaScript off. The e-mail about a new match links to the match's page, which opens after signing in. The
 * matchcoördinator of noord calls on both sides of a match without follow-up (docs/werkplek.md, "The matchcoördinator:
 * overdue matches").
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
            p.put("betrokken.follow-up.call-on-send-interval", "1s");
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
            assertEquals(noord.find("#bsn-fout").getText(), noord.find("[data-controle-melding]")
                    .getDomProperty("textContent"), "read out by a screen reader: the live region repeats it");
            assertEquals("/werkplek/signalen/nieuw", noord.path(), "nothing was sent");
            noord.check("signaal-nieuw", "signaal-nieuw-controle");
            clear(noord, "#bsn").sendKeys(youth, Keys.TAB);
            new WebDriverWait(noord.driver(), Duration.ofSeconds(10)).until(d -> noord.all("#bsn-fout").isEmpty());
            assertEquals("", noord.find("[data-controle-melding]").getDomProperty("textContent"));
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

    /**
     * The issue's walk "the matchcoördinator calls on an overdue match": a match between noord and oost made 20 days
     * ago without follow-up; a professional gets the 403 page; the matchcoördinator of noord sees the match under its
     * organisation (no youth), calls on both sides (a note too long first), and both professionals get the e-mail with
     * the match's link, noord's from its own node, oost's after the call node to node; both nodes log it. Once noord's
     * professional recorded follow-up, calling again is refused at the form; an unknown match is the 404 page.
     */
    @Test
    void matchcoordinator_zietTeLateMatchPerOrganisatie_enSpreektBeideKantenAan() {
        String youth = Youths.bsn();
        LocalDate born = LocalDate.now(ClockFactory.ZONE).minusYears(11);
        String atNoord = register("noord", youth, born, "Laat Opgevolgd");
        String atOost = register("oost", youth, born, "Laat Opgevolgd");
        String match = federation.matchOn("noord", atNoord);
        assertEquals(match, federation.matchOn("oost", atOost));
        for (String node : new String[] {"noord", "oost"}) { // made 20 days ago: 14 days of follow-up have passed
            tx(node).executeWrite(status -> {
                try (PreparedStatement s = status.getConnection().prepareStatement(
                        "UPDATE node_match SET created_at = ? WHERE match_id = ?")) {
                    s.setTimestamp(1, Timestamp.from(Instant.now().minus(Duration.ofDays(20))));
                    s.setObject(2, UUID.fromString(match));
                    return s.executeUpdate();
                }
            });
        }
        NodeHarness noord = NODES.get("noord");
        assertEquals(403, noord.call("GET", "/api/v1/matches/overdue", null, "prof-a").status());
        com.fasterxml.jackson.databind.JsonNode overdue = noord.call("GET", "/api/v1/matches/overdue", null,
                "matchcoord").body();
        com.fasterxml.jackson.databind.JsonNode item = null;
        for (com.fasterxml.jackson.databind.JsonNode i : overdue.get("items")) {
            item = i.get("matchId").asText().equals(match) ? i : item;
        }
        assertTrue(item != null, "the match in the region's overdue list: " + overdue);
        assertEquals(7, item.get("daysOverdue").asInt(), "day 14 is day 1: " + item);
        assertEquals("oost", item.get("counterpart").get("region").asText());
        assertEquals("oost-org-a", item.get("counterpart").get("organisation").asText());
        assertTrue(!overdue.toString().contains(youth) && !overdue.toString().contains("Laat Opgevolgd"),
                "no youth in: " + overdue);

        String kenmerk = "Match " + match.substring(0, 8);
        try (WerkplekBrowser b = new WerkplekBrowser(noord.port(), true)) {
            b.signIn("noord-prof-a");
            b.open("/werkplek/matches-achterstand");
            assertEquals("Deze pagina is niet voor u", b.h1());
            b.check("geweigerd", "matches-achterstand-geweigerd");
            b.signOut();

            b.signIn("noord-matchcoord");
            assertEquals("/werkplek/matches-achterstand", b.path(), "the matchcoördinator's start");
            String heading = b.all("h2").stream().map(h -> h.getText()).filter(h -> h.startsWith("noord-org-a"))
                    .findFirst().orElse("");
            assertTrue(heading.matches("noord-org-a \\(\\d+ zonder opvolging\\)"), heading);
            String row = b.all("tr").stream().map(r -> r.getText()).filter(r -> r.contains(kenmerk)).findFirst()
                    .orElse("");
            assertTrue(row.contains("7 dagen") && row.contains("oost-org-a, andere regio (oost)")
                    && row.contains("Nog niet"), row);
            assertTrue(!b.text().contains("Laat Opgevolgd"), "no youth's name on the page");
            b.check("matches-achterstand");

            b.click(kenmerk);
            assertEquals("/werkplek/matches-achterstand/" + match, b.path());
            b.check("matches-achterstand-match");
            b.find("#notitie").sendKeys("x".repeat(501));
            b.click("Beide kanten aanspreken");
            assertTrue(b.text().contains("Schrijf een notitie van hoogstens 500 tekens"), b.text());
            b.check("matches-achterstand-match", "matches-achterstand-match-fout");
            clear(b, "#notitie").sendKeys("Besproken in het regio-overleg.");
            b.click("Beide kanten aanspreken");
            assertEquals("/werkplek/matches-achterstand/" + match + "?melding=SENT", b.path());
            String page = b.text();
            for (String fact : new String[] {"Beide hulpverleners zijn gevraagd de opvolging vast te leggen",
                    "Matchcoördinator noord-matchcoord", "Besproken in het regio-overleg.", "Verstuurd"}) {
                assertTrue(page.contains(fact), fact + " on:\n" + page);
            }
            b.check("matches-achterstand-match", "matches-achterstand-match-aangesproken");

            // Noord's professional records follow-up meanwhile: a second call is refused at the form.
            assertEquals(200, noord.call("PUT", "/api/v1/matches/" + match + "/follow-up",
                    Map.of("outcome", "CONTACT_MADE", "on", LocalDate.now(ClockFactory.ZONE).toString()), "prof-a")
                    .status());
            b.click("Beide kanten aanspreken");
            assertTrue(b.text().contains("Deze match wacht niet meer op opvolging. Er is niemand aangesproken."),
                    b.text());
            b.check("matches-achterstand-match", "matches-achterstand-match-niet-te-laat");

            b.open("/werkplek/matches-achterstand/" + UUID.randomUUID());
            assertEquals("Deze match staat niet in de regio", b.h1());
            b.check("matches-achterstand-niet-gevonden");
        }

        for (String node : new String[] {"noord", "oost"}) {
            String link = "http://127.0.0.1:" + NODES.get(node).port() + "/werkplek/matches/" + match;
            String body = TestFederation.await(() -> mailTo(node + "-prof-a@example.org", match,
                    "Betrokken: leg de opvolging van een match vast"), m -> m != null, "the call on " + node);
            assertTrue(body.lines().anyMatch(l -> l.strip().equals(link)), "the match's link: " + body);
            assertTrue(!body.contains("Laat Opgevolgd") && !body.contains("regio-overleg"), body);
        }
        assertEquals(1, auditCount("noord", "match.called-on", "matchcoord:noord-matchcoord"));
        assertEquals(1, auditCount("oost", "match.call-on-received", "node:noord"));

        // The call sent again (as after an answer that got lost): oost stores, e-mails and logs it once.
        tx("noord").executeWrite(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement("UPDATE match_call_on"
                    + " SET send_state = 'PENDING', next_attempt_at = ? WHERE match_id = ?")) {
                s.setTimestamp(1, Timestamp.from(Instant.now()));
                s.setObject(2, UUID.fromString(match));
                return s.executeUpdate();
            }
        });
        TestFederation.await(() -> tx("noord").executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(
                    "SELECT send_state, send_attempts FROM match_call_on WHERE match_id = ?")) {
                s.setObject(1, UUID.fromString(match));
                try (java.sql.ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1) + " " + rs.getInt(2);
                }
            }
        }), "SENT 2"::equals, "the call sent a second time");
        assertEquals(1, auditCount("oost", "match.call-on-received", "node:noord"), "logged once at oost");
        long mails = java.util.Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().equals("Betrokken: leg de opvolging van een match vast")
                        && m.getRecipients(Message.RecipientType.TO)[0].toString().equals("oost-prof-a@example.org")
                        && String.valueOf(m.getContent()).contains(match);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).count();
        assertEquals(1, mails, "oost's professional e-mailed once");
    }

    /**
     * The counterpart's region cannot be reached (here: a match with zuid, for which noord has no URL): the page says
     * the question goes there once it can, noord's professional is e-mailed, and the call waits to be tried again
     * instead of being lost. Over the API, an unknown match is a 404 and a note too long a 400 naming {@code note}.
     */
    @Test
    void matchcoordinator_andereRegioOnbereikbaar_deOproepWacht_enGaatNietVerloren() {
        NodeHarness noord = NODES.get("noord");
        String signal = register("noord", Youths.bsn(), LocalDate.now(ClockFactory.ZONE).minusYears(8), "Zuid Kind");
        UUID match = UUID.randomUUID();
        tx("noord").executeWrite(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement("INSERT INTO node_match (match_id,"
                    + " signal_id, match_type, cross_region, counterpart_node, counterpart_ref, status, created_at)"
                    + " VALUES (?, ?, 'CHILD', TRUE, 'zuid', 'zuid-ref', 'ACTIVE', ?)")) {
                s.setObject(1, match);
                s.setObject(2, UUID.fromString(signal));
                s.setTimestamp(3, Timestamp.from(Instant.now().minus(Duration.ofDays(30))));
                return s.executeUpdate();
            }
        });
        assertEquals(404, noord.call("POST", "/api/v1/matches/" + UUID.randomUUID() + "/call-on", null, "matchcoord")
                .status());
        NodeHarness.Response tooLong = noord.call("POST", "/api/v1/matches/" + match + "/call-on",
                Map.of("note", "x".repeat(501)), "matchcoord");
        assertEquals(400, tooLong.status());
        assertEquals("note", tooLong.body().get("violations").get(0).get("field").asText(), tooLong.body().toString());

        try (WerkplekBrowser b = new WerkplekBrowser(noord.port(), true)) {
            b.signIn("noord-matchcoord");
            b.open("/werkplek/matches-achterstand/" + match);
            b.click("Beide kanten aanspreken");
            assertEquals("/werkplek/matches-achterstand/" + match + "?melding=PENDING", b.path());
            String page = b.text();
            for (String fact : new String[] {"De andere regio is nu niet bereikbaar",
                    "Organisatie nog niet bekend, andere regio (zuid)", "Wacht: de andere regio is nu niet bereikbaar"}) {
                assertTrue(page.contains(fact), fact + " on:\n" + page);
            }
            b.check("matches-achterstand-match", "matches-achterstand-match-wacht");
        }
        String state = tx("noord").executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(
                    "SELECT send_state, last_error FROM match_call_on WHERE match_id = ?")) {
                s.setObject(1, match);
                try (java.sql.ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1) + ": " + rs.getString(2);
                }
            }
        });
        assertEquals("PENDING: no URL for node zuid (betrokken.peers)", state, "kept, to be tried again");
        TestFederation.await(() -> mailTo("noord-prof-a@example.org", match.toString(),
                "Betrokken: leg de opvolging van een match vast"), m -> m != null, "noord's e-mail");
    }

    @SuppressWarnings("unchecked")
    private static TransactionOperations<Connection> tx(String node) {
        return NODES.get(node).bean(TransactionOperations.class);
    }

    private static long auditCount(String node, String kind, String actor) {
        return tx(node).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(
                    "SELECT count(*) FROM audit_entry WHERE kind = ? AND actor = ?")) {
                s.setString(1, kind);
                s.setString(2, actor);
                try (java.sql.ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
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
        return mailTo(to, match, null);
    }

    /** The same, with {@code subject} when it is not null. */
    private static String mailTo(String to, String match, String subject) {
        try {
            for (MimeMessage mail : smtp.getReceivedMessages()) {
                String body = String.valueOf(mail.getContent());
                if (mail.getRecipients(Message.RecipientType.TO)[0].toString().equals(to) && body.contains(match)
                        && (subject == null || subject.equals(mail.getSubject()))) {
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
