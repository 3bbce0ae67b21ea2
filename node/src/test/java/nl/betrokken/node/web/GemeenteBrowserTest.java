package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

        try (WerkplekBrowser b = new WerkplekBrowser(node.port(), true)) {
            b.signIn("noord-prof-a");
            b.open("/werkplek/bezwaren");
            assertEquals("Deze pagina is niet voor u", b.h1(), "a professional does not see the objections");
            b.check("geweigerd", "bezwaar-geweigerd");
            b.signOut();

            b.signIn("noord-gemeente");
            b.open("/werkplek/bezwaren");
            assertEquals(List.of("Organisaties", "Bezwaren", "Achtergehouden"),
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
            b.find("#uitkomst").click();
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

            b.find("#uitkomst-UPHELD").click();
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

            // The Veilig Thuis hold, released after its check page.
            b.click("Achtergehouden");
            assertTrue(b.text().contains(reference), b.text());
            b.check("achtergehouden-lijst");
            b.click(reference);
            assertEquals("/werkplek/achtergehouden/" + reference, b.path());
            b.check("achtergehouden-vrijgeven");
            b.click("Vrijgeven");
            assertEquals("/werkplek/achtergehouden?melding=vrijgegeven", b.path());
            assertTrue(b.text().contains("Er zijn geen achtergehouden signalen."), b.text());
            b.check("achtergehouden-lijst", "achtergehouden-vrijgegeven");
            b.open("/werkplek/achtergehouden/" + reference);
            assertEquals("Dit is niet achtergehouden", b.h1(), "released once");
            b.check("achtergehouden-niet-gevonden");
        }
        assertEquals(0, node.call("GET", "/api/v1/audit/held", null, "gemeente").body().get("items").size());
        JsonNode objections = node.call("GET", "/api/v1/objections", null, "gemeente").body().get("items");
        assertEquals(2, objections.size());
        objections.forEach(o -> assertEquals(o.get("id").asText().equals(first) ? "UPHELD" : "REJECTED",
                o.get("status").asText()));
        for (String kind : List.of("bezwaar.advice-asked", "bezwaar.decided", "signal.erased", "audit.released")) {
            assertTrue(count("SELECT count(*) FROM audit_entry WHERE kind = ? AND actor = ?", kind,
                    "gemeente:noord-gemeente") >= 1, "recorded, by the gemeente: " + kind);
        }
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
