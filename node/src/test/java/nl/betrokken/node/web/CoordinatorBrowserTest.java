package nl.betrokken.node.web;

import static nl.betrokken.node.outbox.OutboxOutageTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.followup.OverdueFlags;
import nl.betrokken.node.notify.RejectingSmtpServer;

/**
 * The instellingscoördinator's werkplek pages ({@code /werkplek/medewerkers…}, {@code /werkplek/meldingen…},
 * {@code /werkplek/achterstand}, {@code /werkplek/organisatie/signalen}) in a real headless Chromium, on one dev node
 * (H2) whose e-mail goes to an SMTP server that bounces the old address of one professional, Jan. Jan (added through
 * the API, with a dev password) holds a signal whose match with noord-org-b was made 30 days ago without follow-up:
 * the overdue check flags it, escalates it to noord-coord-a, and the e-mail to Jan bounces. One user task per test;
 * every page and error state gets axe-core and a screenshot ({@link WerkplekBrowser#check}); one test walks with
 * JavaScript off.
 */
class CoordinatorBrowserTest {

    private static final String JAN = "noord-jan";
    private static final String PASSWORD = "initial-password-1";

    static RejectingSmtpServer smtp;
    static NodeHarness node;
    static UUID match;

    @BeforeAll
    static void start() {
        smtp = new RejectingSmtpServer(address -> address.startsWith("jan.oud@"));
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(NodeHarness.Db.H2, "noord", null, null));
        p.put("betrokken.notify.enabled", true);
        p.put("betrokken.notify.smtp-host", "127.0.0.1");
        p.put("betrokken.notify.smtp-port", smtp.port());
        p.put("betrokken.notify.poll-interval", "100ms");
        p.put("betrokken.follow-up.check-initial-delay", "1h");
        node = NodeHarness.start(p);

        NodeHarness.Response added = node.call("POST", "/api/v1/staff", Map.of("username", JAN,
                "displayName", "Jan Jansen", "email", "jan.oud@school.example", "initialPassword", PASSWORD), "coord-a");
        assertEquals(201, added.status(), String.valueOf(added.body()));
        String youth = Youths.bsn();
        String credentials = Base64.getEncoder().encodeToString((JAN + ":" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        NodeHarness.Response own = node.call("POST", "/api/v1/signals", Youths.registration(youth), null,
                Map.of("Authorization", "Basic " + credentials));
        assertEquals(201, own.status(), String.valueOf(own.body()));
        NodeHarness.Response other = node.call("POST", "/api/v1/signals", Youths.registration(youth), "prof-b");
        UUID a = UUID.fromString(own.body().get("id").asText());
        UUID b = UUID.fromString(other.body().get("id").asText());
        match = UUID.randomUUID();
        Instant made = Instant.now().minus(Duration.ofDays(30));
        insertMatch(a, b, made);
        insertMatch(b, a, made);
        node.bean(OverdueFlags.class).run();
        await("the e-mail to Jan's old address bounces", () -> node.call("GET", "/api/v1/notifications/failures",
                null, "coord-a").body().get("items").size() > 0);
    }

    @AfterAll
    static void stop() throws IOException {
        node.close();
        smtp.close();
    }

    @Test
    void coordinator_voegtMedewerkerToe_metFoutenEnDanGoed_enWijzigtContactgegevens() {
        try (WerkplekBrowser b = new WerkplekBrowser(node.port(), true)) {
            b.signIn("noord-coord-a");
            assertEquals("/werkplek/medewerkers", b.path(), "the coördinator starts at the staff list");
            b.check("medewerker-lijst");
            assertTrue(b.text().contains("Jan Jansen") && b.text().contains("Professional A (noord)"), b.text());
            assertFalse(b.text().contains("Professional B"), "another organisation's staff is not listed");

            b.click("Medewerker toevoegen");
            assertEquals("/werkplek/medewerkers/nieuw", b.path());
            b.check("medewerker-nieuw");
            b.find("#gebruikersnaam").sendKeys("s!");
            b.find("#email").sendKeys("sanne-op-school");
            b.find("#telefoon").sendKeys("12");
            b.click("Medewerker toevoegen");
            assertTrue(b.title().startsWith("Fout: "), b.title());
            WebElement summary = b.find("[data-foutsamenvatting]");
            assertEquals(summary, b.driver().switchTo().activeElement(), "the focus is on the summary");
            assertEquals(4, summary.findElements(org.openqa.selenium.By.cssSelector("a")).size(), summary.getText());
            assertEquals("Vul de naam in", b.find("#naam-fout").getText());
            assertEquals("Een gebruikersnaam heeft 3 tot 100 tekens: letters, cijfers of . _ @ -",
                    b.find("#gebruikersnaam-fout").getText());
            assertEquals("Vul een e-mailadres in zoals naam@organisatie.nl", b.find("#email-fout").getText());
            assertEquals("Vul een telefoonnummer in zoals 06 12345678, of laat het vak leeg",
                    b.find("#telefoon-fout").getText());
            assertEquals("true", b.find("#email").getDomAttribute("aria-invalid"));
            assertEquals("sanne-op-school", b.find("#email").getDomProperty("value"), "the answer is kept");
            b.check("medewerker-nieuw", "medewerker-nieuw-fout");

            b.find("#naam").sendKeys("Sanne de Vries");
            replace(b, "#gebruikersnaam", "noord-prof-b");
            replace(b, "#email", "sanne@school.example");
            replace(b, "#telefoon", "");
            b.click("Medewerker toevoegen");
            assertEquals("Er is al een account met deze gebruikersnaam. Kies een andere gebruikersnaam.",
                    b.find("#gebruikersnaam-fout").getText(), "the API's 409, at the field");
            replace(b, "#gebruikersnaam", "noord-sanne");
            b.click("Medewerker toevoegen");
            assertEquals("/werkplek/medewerkers/noord-sanne?toegevoegd", b.path());
            assertTrue(b.text().contains("Medewerker toegevoegd"), b.text());
            b.check("medewerker-gegevens");

            replace(b, "#telefoon", "bel mij");
            b.click("Gegevens opslaan");
            assertEquals("Vul een telefoonnummer in zoals 06 12345678, of laat het vak leeg",
                    b.find("#telefoon-fout").getText());
            b.check("medewerker-gegevens", "medewerker-gegevens-fout");
            replace(b, "#telefoon", "06 1234 5678");
            b.click("Gegevens opslaan");
            assertEquals("/werkplek/medewerkers/noord-sanne?opgeslagen", b.path());
            assertTrue(b.text().contains("Gegevens opgeslagen"), b.text());
            JsonNode sanne = staff("noord-sanne");
            assertEquals("06 1234 5678", sanne.get("phone").asText());
            assertEquals("PROFESSIONAL", sanne.get("role").asText());

            // A second coördinator, as the API allows a coördinator: the role chosen on the same form. A role the API
            // does not know (the form tampered with) is its 400, at the field.
            b.open("/werkplek/medewerkers/nieuw");
            assertTrue(b.find("#rol").isSelected(), "professional is chosen unless one chooses otherwise");
            b.find("#naam").sendKeys("Kees Koster");
            b.find("#gebruikersnaam").sendKeys("noord-kees");
            b.find("#email").sendKeys("kees@school.example");
            b.driver().executeScript("document.getElementById('rol').value = 'AUDITOR'");
            b.click("Medewerker toevoegen");
            assertEquals("Kies professional of instellingscoördinator", b.find("#rol-fout").getText());
            assertEquals("#rol", b.find("[data-foutsamenvatting] a").getDomAttribute("href"));
            b.find("#rol-COORDINATOR").sendKeys(" ");
            assertTrue(b.find("#rol-COORDINATOR").isSelected());
            b.click("Medewerker toevoegen");
            assertEquals("/werkplek/medewerkers/noord-kees?toegevoegd", b.path());
            assertEquals("COORDINATOR", staff("noord-kees").get("role").asText());

            // The change log, newest first: who changed what, when; fields named, never their values.
            b.open("/werkplek/medewerkers");
            b.click("Wijzigingen bekijken");
            assertEquals("/werkplek/medewerkers/wijzigingen", b.path());
            b.check("medewerker-wijzigingen");
            java.util.List<String> log = b.all("#wijzigingen tbody tr").stream().map(WebElement::getText).toList();
            int kees = index(log, "Account toegevoegd", "Kees Koster (noord-kees)");
            int phone = index(log, "Contactgegevens veranderd", "Sanne de Vries (noord-sanne)");
            int added = index(log, "Account toegevoegd", "Sanne de Vries (noord-sanne)");
            assertTrue(kees < phone && phone < added, "newest first: " + log);
            assertTrue(log.get(phone).contains("Veranderd: telefoonnummer") && !log.get(phone).contains("1234"),
                    log.get(phone));
            assertTrue(log.get(kees).contains("noord-coord-a"), "who: " + log.get(kees));
            assertFalse(b.text().contains("Professional B"), "only the organisation's own changes");

            b.open("/werkplek/medewerkers/noord-prof-b");
            assertEquals("Deze medewerker is er niet", b.h1(), "another organisation's account: 404, as in the API");
            b.check("medewerker-niet-gevonden");
            b.open("/werkplek/medewerkers/noord-coord-a");
            assertTrue(b.all("a[href$='/deactiveren']").isEmpty(), "no deactivating oneself");
        }
    }

    @Test
    void coordinator_verbetertEenGebouncedAdres_vanuitDeMelding() {
        try (WerkplekBrowser b = new WerkplekBrowser(node.port(), true)) {
            b.signIn("noord-coord-a");
            b.click("Meldingen");
            assertEquals("/werkplek/meldingen", b.path());
            b.check("melding-lijst");
            String text = b.text();
            for (String fact : new String[] {"E-mail aan Jan Jansen: match wacht op opvolging", "jan.oud@school.example",
                    "Mislukt. Deze e-mail wordt niet opnieuw verstuurd.", "550"}) {
                assertTrue(text.contains(fact), fact + " on the page:\n" + text);
            }
            b.click("E-mailadres verbeteren");
            assertTrue(b.path().matches("/werkplek/meldingen/\\d+"), b.path());
            b.check("melding-adres");
            assertTrue(b.text().contains("De verwijsindex verstuurt deze e-mail niet opnieuw."), b.text());
            replace(b, "#email", "jan.school.example");
            b.click("E-mailadres opslaan");
            assertEquals("Vul een e-mailadres in zoals naam@organisatie.nl", b.find("#email-fout").getText());
            b.check("melding-adres", "melding-adres-fout");
            replace(b, "#email", "jan.jansen@school.example");
            b.click("E-mailadres opslaan");
            assertTrue(b.path().startsWith("/werkplek/meldingen?verbeterd="), b.path());
            assertTrue(b.text().contains("E-mailadres opgeslagen") && b.text().contains("Het e-mailadres is daarna"
                    + " gewijzigd."), b.text());
            b.check("melding-lijst", "melding-lijst-verbeterd");
            assertEquals("jan.jansen@school.example", staff(JAN).get("email").asText());
            JsonNode failure = node.call("GET", "/api/v1/notifications/failures", null, "coord-a").body()
                    .get("items").get(0);
            assertTrue(failure.get("addressChanged").asBoolean(), "the API says so too");

            b.open("/werkplek/meldingen/999999");
            assertEquals("Deze e-mail is er niet", b.h1());
            b.check("melding-niet-gevonden");
            b.open("/werkplek/meldingen/geen-nummer");
            assertEquals("Deze e-mail is er niet", b.h1(), "not a number: the same 404 page");
        }
    }

    @Test
    void coordinator_zietAchterstandEnSignalen_enDeactiveertJanMetOverdracht() {
        try (WerkplekBrowser b = new WerkplekBrowser(node.port(), true)) {
            b.signIn("noord-coord-a");
            b.click("Achterstand");
            assertEquals("/werkplek/achterstand", b.path());
            b.check("achterstand-lijst");
            String today = new Tekst().datum(LocalDate.now(ClockFactory.ZONE));
            String text = b.text();
            for (String fact : new String[] {"Jan Jansen", "Match over een jongere", match.toString(), today,
                    "na 14 dagen"}) {
                assertTrue(text.contains(fact), fact + " on the page:\n" + text);
            }
            b.click("Signalen");
            assertEquals("/werkplek/organisatie/signalen", b.path());
            b.check("organisatie-signalen");
            assertTrue(b.text().contains("Testkind") && b.text().contains("Jan Jansen"), b.text());

            b.click("Medewerkers");
            b.click("Jan Jansen");
            assertEquals("/werkplek/medewerkers/" + JAN, b.path());
            b.click("Account deactiveren");
            assertEquals("/werkplek/medewerkers/" + JAN + "/deactiveren", b.path());
            b.check("medewerker-deactiveren");
            b.click("Account deactiveren");
            assertEquals("Kies wie de signalen overneemt", b.find("#collega-fout").getText(), "the API's 409");
            assertEquals(b.find("[data-foutsamenvatting]"), b.driver().switchTo().activeElement());
            b.check("medewerker-deactiveren", "medewerker-deactiveren-fout");
            assertTrue(staff(JAN).get("active").asBoolean(), "nothing changed");
            b.find("input[name=collega][value=noord-prof-a]").click();
            b.click("Account deactiveren");
            assertEquals("/werkplek/medewerkers?gedeactiveerd=" + JAN, b.path());
            assertTrue(b.text().contains("Jan Jansen kan niet meer inloggen. Het signaal is nu van Professional A"
                    + " (noord)."), b.text());
            b.check("medewerker-lijst", "medewerker-lijst-gedeactiveerd");
            assertFalse(staff(JAN).get("active").asBoolean());

            b.click("Achterstand");
            assertTrue(b.text().contains("Professional A (noord)") && !b.text().contains("Jan Jansen"),
                    "the colleague holds the overdue match now: " + b.text());
        }
    }

    @Test
    void coordinator_zonderJavascript_voegtToeEnDeactiveertIemandZonderSignalen_enEenProfessionalMagHierNiet() {
        try (WerkplekBrowser b = new WerkplekBrowser(node.port(), false)) {
            b.signIn("noord-coord-a");
            b.open("/werkplek/medewerkers/nieuw");
            b.find("#naam").sendKeys("Piet Pieters");
            b.find("#gebruikersnaam").sendKeys("noord-piet");
            b.click("Medewerker toevoegen");
            assertEquals("Vul het e-mailadres in", b.find("#email-fout").getText());
            assertEquals("Piet Pieters", b.find("#naam").getDomProperty("value"));
            b.find("#email").sendKeys("piet@school.example");
            b.click("Medewerker toevoegen");
            assertEquals("/werkplek/medewerkers/noord-piet?toegevoegd", b.path());
            b.click("Account deactiveren");
            assertTrue(b.text().contains("Piet Pieters heeft geen signalen."), b.text());
            b.click("Account deactiveren");
            assertEquals("/werkplek/medewerkers?gedeactiveerd=noord-piet", b.path());
            assertTrue(b.text().contains("Piet Pieters kan niet meer inloggen."), b.text());
            assertFalse(staff("noord-piet").get("active").asBoolean());

            b.signOut();
            b.signIn("noord-prof-a");
            b.open("/werkplek/meldingen");
            assertEquals("Deze pagina is niet voor u", b.h1(), "a professional gets the 403 page, as from the API");
            b.open("/werkplek/medewerkers/wijzigingen");
            assertEquals("Deze pagina is niet voor u", b.h1(), "nor the change log");
        }
    }

    /** The first line of the change log holding all of {@code parts}. */
    private static int index(java.util.List<String> log, String... parts) {
        for (int i = 0; i < log.size(); i++) {
            String line = log.get(i);
            if (java.util.Arrays.stream(parts).allMatch(line::contains)) {
                return i;
            }
        }
        throw new AssertionError(String.join(", ", parts) + " not in " + log);
    }

    private static void replace(WerkplekBrowser b, String css, String value) {
        b.find(css).clear();
        b.find(css).sendKeys(value);
    }

    private static JsonNode staff(String username) {
        for (JsonNode m : node.call("GET", "/api/v1/staff", null, "coord-a").body().get("items")) {
            if (m.get("username").asText().equals(username)) {
                return m;
            }
        }
        throw new AssertionError("no account " + username);
    }

    @SuppressWarnings("unchecked")
    private static void insertMatch(UUID signal, UUID counterpart, Instant at) {
        TransactionOperations<Connection> tx = node.bean(TransactionOperations.class);
        tx.executeWrite(status -> {
            String ref;
            try (PreparedStatement select = status.getConnection().prepareStatement("SELECT ref FROM signal WHERE id = ?")) {
                select.setObject(1, counterpart);
                try (var rs = select.executeQuery()) {
                    rs.next();
                    ref = rs.getString(1);
                }
            }
            try (PreparedStatement insert = status.getConnection().prepareStatement(
                    "INSERT INTO node_match (match_id, signal_id, match_type, cross_region, counterpart_node,"
                            + " counterpart_ref, status, created_at) VALUES (?, ?, 'CHILD', FALSE, 'noord', ?, 'ACTIVE', ?)")) {
                insert.setObject(1, match);
                insert.setObject(2, signal);
                insert.setString(3, ref);
                insert.setTimestamp(4, Timestamp.from(at));
                return insert.executeUpdate();
            }
        });
    }
}
