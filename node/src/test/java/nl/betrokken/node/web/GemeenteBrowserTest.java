package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.CoordinatorProcess;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.audit.NodeAudit;

/**
 * The gemeente's werkplek pages (docs/werkplek.md, "Gemeente: bezwaren en achtergehouden signalen") in headless
 * Chromium, on one node (noord, H2) enrolled at a real coordinator process, which gives the parents' inzage tickets
 * for filing and countersigns the log before a release. Two objections filed by parents through the API (one made
 * overdue), a signal registered under the Veilig Thuis exception; then the gemeente sees the open objections with their
 * deadlines, asks advice, rejects one, upholds the other after an empty motivation (the error at the field) and the
 * check page, and releases the hold after its check page. A professional gets the 403 page. axe on every page and
 * error state.
 */
class GemeenteBrowserTest {

    private static CoordinatorProcess coordinator;
    private static NodeHarness node;

    @BeforeAll
    static void start() {
        coordinator = CoordinatorProcess.start();
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(NodeHarness.Db.H2, "noord", coordinator.url(), ""));
        p.put("micronaut.server.port", NodeHarness.freePort());
        p.put("betrokken.audit.checkpoint-initial-delay", "1h");
        coordinator.enrol("noord", Path.of((String) p.get("betrokken.data-dir")));
        node = NodeHarness.start(p);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void gemeente_zietBezwarenMetTermijn_vraagtAdvies_beslist_enGeeftEenSignaalVrij() {
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(9).toString();
        String mother = Youths.bsn();
        String father = Youths.bsn();
        String erased = register(Youths.registration(Youths.bsn(), born, mother));
        String kept = register(Youths.registration(Youths.bsn(), born, father));
        String first = file(mother, erased, "Wij herkennen ons niet in deze zorgen over ons kind.");
        String late = file(father, kept, "Deze melding is gedaan zonder met ons te praten.");
        LocalDate today = LocalDate.now(ClockFactory.ZONE);
        execute("UPDATE objection SET deadline = ? WHERE id = ?", today.minusDays(3), UUID.fromString(late));
        Map<String, Object> veiligThuis = new HashMap<>(Youths.registration(Youths.bsn(), born, Youths.bsn()));
        veiligThuis.put("parentsInformed", Map.of("notInformedReason", "Veilig Thuis onderzoekt de thuissituatie"));
        String held = register(veiligThuis);
        String reference = node.bean(NodeAudit.class).signal(UUID.fromString(held));
        // A hold from before V22, 100 days ago: no review date stored, so it is reviewed three months after it began.
        Map<String, Object> veiligThuisOud = new HashMap<>(Youths.registration(Youths.bsn(), born, Youths.bsn()));
        veiligThuisOud.put("parentsInformed", Map.of("notInformedReason", "Veilig Thuis onderzoekt de thuissituatie"));
        String older = node.bean(NodeAudit.class).signal(UUID.fromString(register(veiligThuisOud)));
        execute("DELETE FROM audit_hold_review WHERE reference = ?", older);
        java.time.Instant heldAt = java.time.Instant.now().minus(Duration.ofDays(100));
        execute("UPDATE audit_hold SET held_at = ? WHERE reference = ?", java.sql.Timestamp.from(heldAt), older);
        JsonNode holds = node.call("GET", "/api/v1/audit/held", null, "gemeente").body().get("items");
        assertEquals(older, holds.get(0).get("reference").asText(), "the one due first: " + holds);
        assertEquals(LocalDate.ofInstant(heldAt, ClockFactory.ZONE).plusMonths(3).toString(),
                holds.get(0).get("reviewOn").asText(), "computed from held-since");
        assertTrue(holds.get(0).get("reviewDue").asBoolean());
        assertEquals(LocalDate.now(ClockFactory.ZONE).plusMonths(3).toString(), holds.get(1).get("reviewOn").asText(),
                "three months after it was held");
        assertFalse(holds.get(1).get("reviewDue").asBoolean());

        try (WerkplekBrowser b = new WerkplekBrowser(node.port(), true)) {
            b.signIn("noord-prof-a");
            b.open("/werkplek/bezwaren");
            assertEquals("Deze pagina is niet voor u", b.h1(), "a professional does not see the objections");
            b.check("geweigerd", "bezwaar-geweigerd");
            b.signOut();

            b.signIn("noord-gemeente");
            b.open("/werkplek/bezwaren");
            assertEquals(List.of("Organisaties", "Bezwaren", "Achtergehouden", "Cijfers"),
                    b.all("header nav a").stream().map(a -> a.getText()).toList());
            List<String> open = b.all("#open tbody tr").stream().map(r -> r.getText()).toList();
            assertEquals(2, open.size(), String.valueOf(open));
            assertTrue(open.get(0).contains("Te laat:") && open.get(0).contains("(3 dagen te laat)"),
                    "the overdue objection first, marked: " + open.get(0));
            assertTrue(open.get(1).contains("(nog 42 dagen)") && open.get(1).contains("Nog niet gevraagd"),
                    "six weeks from today: " + open.get(1));
            assertTrue(b.text().contains("Er zijn nog geen besloten bezwaren."));
            b.check("bezwaar-lijst");

            // Rejected: the signal stays.
            b.open("/werkplek/bezwaren/" + late);
            assertTrue(b.text().contains("De termijn van zes weken is voorbij"), b.text());
            b.find("#uitkomst").sendKeys(" ");
            b.find("#motivering").sendKeys("De school had terechte zorgen en heeft die met u besproken.");
            b.click("Verder");
            assertEquals("/werkplek/bezwaren/" + late + "?melding=afgewezen", b.path());
            assertTrue(b.text().contains("Het bezwaar is afgewezen. Het signaal blijft staan."), b.text());
            assertEquals(200, node.call("GET", "/api/v1/signals/" + kept, null, "prof-a").status());

            // Advice asked and given; then upheld, after an empty motivation and the check page.
            b.open("/werkplek/bezwaren/" + first);
            assertTrue(b.text().contains("Wij herkennen ons niet in deze zorgen"), "the reason: " + b.text());
            assertTrue(b.text().contains("Regio van het signaal\nnoord") || b.text().contains("noord"), b.text());
            b.check("bezwaar");
            b.click("Advies vragen");
            assertTrue(b.text().contains("De professional is om advies gevraagd."), b.text());
            assertEquals(200, node.call("POST", "/api/v1/objections/" + first + "/advice",
                    Map.of("advice", "De zorgen zijn met de ouders besproken."), "prof-a").status());
            b.open("/werkplek/bezwaren/" + first);
            assertTrue(b.text().contains("De zorgen zijn met de ouders besproken."), "the advice: " + b.text());

            b.find("#uitkomst-UPHELD").sendKeys(" ");
            b.click("Verder");
            assertTrue(b.title().startsWith("Fout: "), b.title());
            assertEquals("Schrijf een uitleg bij uw besluit", b.find("#motivering-fout").getText());
            assertEquals("true", b.find("#motivering").getDomAttribute("aria-invalid"));
            assertEquals("#motivering", b.find("[data-foutsamenvatting] a").getDomAttribute("href"));
            assertTrue(b.find("#uitkomst-UPHELD").isSelected(), "the choice is kept");
            b.check("bezwaar", "bezwaar-fout");
            assertEquals(200, node.call("GET", "/api/v1/signals/" + erased, null, "prof-a").status(),
                    "nothing decided yet");

            b.find("#motivering").sendKeys("De zorgen zijn niet genoeg onderbouwd.");
            b.click("Verder");
            assertEquals("/werkplek/bezwaren/" + first + "/controleren", b.path());
            assertTrue(b.text().contains("De zorgen zijn niet genoeg onderbouwd."), b.text());
            b.check("bezwaar-controleren");
            assertEquals(200, node.call("GET", "/api/v1/signals/" + erased, null, "prof-a").status(),
                    "the check page decides nothing");
            b.click("Bezwaar toewijzen en signaal wissen");
            assertEquals("/werkplek/bezwaren/" + first + "?melding=toegewezen", b.path());
            assertTrue(b.text().contains("Het bezwaar is toegewezen. Het signaal is gewist."), b.text());
            assertEquals(404, node.call("GET", "/api/v1/signals/" + erased, null, "prof-a").status(), "erased");

            b.open("/werkplek/bezwaren");
            assertTrue(b.text().contains("Er zijn geen open bezwaren."), b.text());
            assertEquals(2, b.all("#besloten tbody tr").size());

            b.open("/werkplek/bezwaren/" + UUID.randomUUID());
            assertEquals("Dit bezwaar is er niet", b.h1());
            b.check("bezwaar-niet-gevonden");

            // The Veilig Thuis holds: the one due first and marked; a new review date, with errors, then set.
            b.click("Achtergehouden");
            List<String> rows = b.all("#achtergehouden tbody tr").stream().map(r -> r.getText()).toList();
            assertEquals(2, rows.size(), String.valueOf(rows));
            assertTrue(rows.get(0).contains(older) && rows.get(0).contains("Nu beoordelen:")
                    && rows.get(0).contains("te laat"), "the overdue review first, marked: " + rows.get(0));
            assertTrue(rows.get(1).contains(reference) && rows.get(1).contains("(nog ")
                    && !rows.get(1).contains("Nu beoordelen"), rows.get(1));
            b.check("achtergehouden-lijst");
            b.click(reference);
            assertEquals("/werkplek/achtergehouden/" + reference, b.path());
            b.check("achtergehouden-vrijgeven");
            b.click("Datum opslaan");
            assertTrue(b.title().startsWith("Fout: "), b.title());
            assertEquals("Vul een datum in", b.find("#datum-fout").getText());
            assertEquals("Schrijf waarom u deze datum kiest", b.find("#reden-fout").getText());
            assertEquals(2, b.all("[data-foutsamenvatting] a").size());
            b.check("achtergehouden-vrijgeven", "achtergehouden-vrijgeven-fout");
            java.time.format.DateTimeFormatter typed = java.time.format.DateTimeFormatter.ofPattern("dd-MM-yyyy");
            b.find("#datum").sendKeys(today.format(typed));
            b.find("#reden").sendKeys("Veilig Thuis rondt het onderzoek binnenkort af.");
            b.click("Datum opslaan");
            assertEquals("Kies een datum na vandaag en binnen een jaar", b.find("#datum-fout").getText());
            assertEquals("true", b.find("#datum").getDomAttribute("aria-invalid"));
            assertTrue(b.find("#reden").getDomProperty("value").startsWith("Veilig Thuis rondt"), "the reason is kept");
            b.find("#datum").clear();
            b.find("#datum").sendKeys(today.plusDays(10).format(typed));
            b.click("Datum opslaan");
            assertEquals("/werkplek/achtergehouden/" + reference + "?melding=herbeoordeling", b.path());
            assertTrue(b.text().contains("De nieuwe datum is opgeslagen.") && b.text().contains("(nog 10 dagen)")
                    && b.text().contains("Veilig Thuis rondt het onderzoek binnenkort af."), b.text());

            // Through the API, with the same rules: the older hold moves back, so it now comes last.
            String path = "/api/v1/audit/held/" + older + "/review";
            assertNamed(node.call("POST", path, Map.of("on", today.toString(), "reason", "Nog niet."), "gemeente"),
                    "on");
            assertNamed(node.call("POST", path, Map.of("on", today.plusYears(1).plusDays(1).toString(),
                    "reason", "Nog niet."), "gemeente"), "on");
            assertNamed(node.call("POST", path, Map.of("on", "morgen", "reason", "Nog niet."), "gemeente"), "on");
            assertNamed(node.call("POST", path, Map.of("on", today.plusDays(200).toString(), "reason", " "),
                    "gemeente"), "reason");
            NodeHarness.Response moved = node.call("POST", path, Map.of("on", today.plusDays(200).toString(),
                    "reason", "Het gezin krijgt eerst hulp."), "gemeente");
            assertEquals(200, moved.status(), String.valueOf(moved.body()));
            assertEquals(today.plusDays(200).toString(), moved.body().get("reviewOn").asText());
            assertFalse(moved.body().get("reviewDue").asBoolean());
            assertEquals(404, node.call("POST", "/api/v1/audit/held/signal:" + "0".repeat(32) + "/review",
                    Map.of("on", today.plusDays(5).toString(), "reason", "Nog niet."), "gemeente").status());
            b.open("/werkplek/achtergehouden");
            rows = b.all("#achtergehouden tbody tr").stream().map(r -> r.getText()).toList();
            assertTrue(rows.get(0).contains(reference) && rows.get(1).contains(older), "by review date: " + rows);
            assertFalse(b.text().contains("Nu beoordelen"), b.text());

            // Released after its check.
            b.click(reference);
            b.click("Vrijgeven");
            assertEquals("/werkplek/achtergehouden?melding=vrijgegeven", b.path());
            assertEquals(1, b.all("#achtergehouden tbody tr").size(), "the other hold stays");
            b.check("achtergehouden-lijst", "achtergehouden-vrijgegeven");
            b.open("/werkplek/achtergehouden/" + reference);
            assertEquals("Dit is niet achtergehouden", b.h1(), "released once");
            b.check("achtergehouden-niet-gevonden");
        }
        assertEquals(1, node.call("GET", "/api/v1/audit/held", null, "gemeente").body().get("items").size());
        assertEquals(2, count("SELECT count(*) FROM audit_sealed WHERE kind = 'audit.review-set' AND actor = ?",
                "gemeente:noord-gemeente"), "each new review date is an entry, sealed with the hold's");
        assertEquals(1, count("SELECT count(*) FROM audit_entry WHERE kind = 'audit.review-set'"),
                "the released hold's entry opened, the other still sealed");
        JsonNode objections = node.call("GET", "/api/v1/objections", null, "gemeente").body().get("items");
        assertEquals(2, objections.size());
        objections.forEach(o -> assertEquals(o.get("id").asText().equals(first) ? "UPHELD" : "REJECTED",
                o.get("status").asText()));
        for (String kind : List.of("bezwaar.advice-asked", "bezwaar.decided", "signal.erased", "audit.released")) {
            assertTrue(count("SELECT count(*) FROM audit_entry WHERE kind = ? AND actor = ?", kind,
                    "gemeente:noord-gemeente") >= 1, "recorded, by the gemeente: " + kind);
        }
    }

    private static void assertNamed(NodeHarness.Response r, String field) {
        assertEquals(400, r.status(), String.valueOf(r.body()));
        assertEquals(field, r.body().get("violations").get(0).get("field").asText(), String.valueOf(r.body()));
    }

    private static String register(Map<String, Object> body) {
        NodeHarness.Response r = node.call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    /** A parent files an objection through the API, once the coordinator lets them see the signal. */
    private static String file(String parent, String signal, String reason) {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            NodeHarness.Response r = node.call("POST", "/api/v1/objections", Map.of("node", "noord", "signalId",
                    signal, "reason", reason), null, Map.of("Authorization", "Bearer " + token(parent)));
            if (r.status() == 201) {
                return r.body().get("id").asText();
            }
            assertTrue(System.nanoTime() < until, "the parent could not object: " + r.body());
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String token(String bsn) {
        NodeHarness.Response token = node.call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        assertEquals(200, token.status(), String.valueOf(token.body()));
        return token.body().get("access_token").asText();
    }

    @SuppressWarnings("unchecked")
    private static TransactionOperations<Connection> tx() {
        return node.bean(TransactionOperations.class);
    }

    private static void execute(String sql, Object... parameters) {
        tx().executeWrite(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    s.setObject(i + 1, parameters[i]);
                }
                return s.executeUpdate();
            }
        });
    }

    private static long count(String sql, Object... parameters) {
        return tx().executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    s.setObject(i + 1, parameters[i]);
                }
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
