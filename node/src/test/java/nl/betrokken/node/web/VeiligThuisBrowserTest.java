package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.Youths;
import nl.betrokken.node.archive.ArchiveService;
import nl.betrokken.node.keys.NodeKeys;

/**
 * The Veilig Thuis look-up (docs/werkplek.md, "Veilig Thuis: looking up a youth across regions") in headless
 * Chromium, on a real coordinator process and two nodes (noord on H2, oost on PostgreSQL): a youth with an active
 * signal at noord and an archived one at oost. A professional gets the 403 page; the Veilig Thuis worker at noord gets
 * the errors at the fields, then finds both regions, and "nothing found" for a stranger. Each holding node logged the
 * look-up with its reason, held back: the parent does not see it until noord's gemeente releases it on its
 * Achtergehouden page; oost's stays held. The coordinator's data and log hold neither the BSN nor the reason. With oost
 * stopped, the page names it as a region that did not answer. axe on every page and error state.
 */
class VeiligThuisBrowserTest {

    private static final String REASON = "Onderzoek na een melding over mogelijke verwaarlozing thuis";
    private static TestFederation federation;
    private static Map<String, NodeHarness> nodes;

    @BeforeAll
    static void start() {
        federation = TestFederation.noordAndOost();
        nodes = federation.nodes();
    }

    @AfterAll
    static void stop() {
        if (federation != null) {
            federation.close();
        }
    }

    @Test
    void veiligThuis_vindtEenJongereInTweeRegios_gelogdEnAchtergehoudenTotDeGemeenteVrijgeeft() throws Exception {
        String youth = Youths.bsn();
        String parent = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(9).toString();
        String atNoord = register("noord", Youths.registration(youth, born, parent));
        String atOost = register("oost", Youths.registration(youth, born, parent));
        // oost's signal ended yesterday and went to the archive in the night (the archive run, by oost's clock).
        assertEquals(200, nodes.get("oost").call("POST", "/api/v1/signals/" + atOost + "/end",
                Map.of("reason", "De hulp is afgerond"), "prof-a").status());
        execute("oost", "UPDATE signal SET ended_on = ? WHERE id = ?", LocalDate.now(ClockFactory.ZONE).minusDays(1),
                UUID.fromString(atOost));
        nodes.get("oost").bean(ArchiveService.class).run();
        // The parent sees both (so the coordinator holds both), and no look-up yet.
        JsonNode before = TestFederation.await(() -> citizenSignals(parent), p -> p.get("items").size() == 2,
                "both signals in the parent's inzage");
        assertFalse(before.toString().contains("veiligthuis"), before.toString());

        long asked = count("noord", "SELECT count(*) FROM veilig_thuis_lookup");
        try (WerkplekBrowser b = new WerkplekBrowser(nodes.get("noord").port(), true)) {
            b.signIn("noord-prof-a");
            b.open("/werkplek/veilig-thuis");
            assertEquals("Deze pagina is niet voor u", b.h1(), "a professional may not look a youth up");
            b.check("geweigerd", "veilig-thuis-geweigerd");
            b.signOut();

            b.signIn("noord-veiligthuis");
            assertEquals("/werkplek/veilig-thuis", b.path(), "the role's start");
            assertEquals(List.of("Opzoeken"), b.all("header nav a").stream().map(a -> a.getText()).toList());
            assertTrue(b.text().contains("De ouders zien dat later in hun overzicht"), b.text());
            b.check("veilig-thuis-zoeken");

            b.click("Signalen opzoeken");
            assertTrue(b.title().startsWith("Fout: "), b.title());
            assertEquals("Vul het BSN van het kind of de jongere in", b.find("#bsn-fout").getText());
            assertEquals("Schrijf waarom u dit kind opzoekt", b.find("#reden-fout").getText());
            assertEquals("true", b.find("#bsn").getDomAttribute("aria-invalid"));
            assertEquals(List.of("#bsn", "#reden"), b.all("[data-foutsamenvatting] a").stream()
                    .map(a -> a.getDomAttribute("href")).toList());
            b.check("veilig-thuis-zoeken", "veilig-thuis-fout");

            b.find("#bsn").sendKeys("123456789");
            b.find("#reden").sendKeys("kort");
            b.click("Signalen opzoeken");
            assertTrue(b.find("#bsn-fout").getText().startsWith("Dit BSN bestaat niet"), b.text());
            assertEquals("Schrijf de reden in 10 tot 500 tekens", b.find("#reden-fout").getText());
            assertEquals("123456789", b.find("#bsn").getDomProperty("value"), "the answers are kept");
            assertEquals(asked, count("noord", "SELECT count(*) FROM veilig_thuis_lookup"), "nothing asked");

            b.find("#bsn").clear();
            b.find("#bsn").sendKeys(youth);
            b.find("#reden").clear();
            b.find("#reden").sendKeys(REASON);
            b.click("Signalen opzoeken");
            assertEquals("Gevonden signalen", b.h1());
            assertEquals("/werkplek/veilig-thuis", b.path(), "no BSN in the address");
            List<String> regions = b.all("main section h2").stream().map(h -> h.getText()).toList();
            assertEquals(List.of("Regio noord", "Regio oost"), regions);
            List<String> rows = b.all("main tbody tr").stream().map(r -> r.getText()).toList();
            assertEquals(2, rows.size(), rows.toString());
            assertTrue(rows.get(0).contains("noord-org-a") && rows.get(0).contains("Actief"), rows.get(0));
            assertTrue(rows.get(1).contains("oost-org-a") && rows.get(1).contains("In het archief"), rows.get(1));
            assertFalse(b.text().contains("Ernstige problemen bij het opvoeden"), "no legal ground (c) shown");
            assertFalse(b.text().contains("Testkind"), "no name shown");
            b.check("veilig-thuis-resultaat");

            b.click("Nog een kind of jongere opzoeken");
            b.find("#bsn").sendKeys(Youths.bsn());
            b.find("#reden").sendKeys("Onderzoek na een melding bij Veilig Thuis");
            b.click("Signalen opzoeken");
            assertEquals("Er zijn geen signalen over dit kind gevonden.", b.find("#niets-gevonden").getText());
            b.check("veilig-thuis-resultaat", "veilig-thuis-niets-gevonden");

            // Each holding node logged the look-up with its reason, held back from the parents.
            for (String node : List.of("noord", "oost")) {
                assertEquals(REASON, servedReason(node), node + ": the reason, sealed at the node");
                assertEquals(1, count(node, "SELECT count(*) FROM audit_sealed WHERE kind = 'veiligthuis.lookup'"
                        + " AND actor = 'veiligthuis:noord-veiligthuis' AND details LIKE '%\"reasonRef\":\"%'"
                        + " AND details NOT LIKE ?", "%" + sha256(REASON) + "%"),
                        node + ": the entry, sealed, with a keyed reference of the reason, not a hash anyone can check");
                assertEquals(1, held(node).size(), node + ": one look-up held: " + held(node));
            }
            assertEquals(asked + 2, count("noord", "SELECT count(*) FROM audit_entry"
                    + " WHERE kind = 'veiligthuis.lookup-asked' AND actor = 'veiligthuis:noord-veiligthuis'"),
                    "the asking node's own entries");
            assertTrue(count("noord", "SELECT count(*) FROM audit_entry WHERE kind = 'access.veilig_thuis'"
                    + " AND subject = 'werkplek:/werkplek/veilig-thuis'") >= 3, "each page request");
            assertFalse(citizenSignals(parent).toString().contains("veiligthuis"), "not in the parent's access log");

            // noord's gemeente releases its hold on its Achtergehouden page; oost's stays held.
            String reference = held("noord").get(0);
            b.signOut();
            b.signIn("noord-gemeente");
            b.open("/werkplek/achtergehouden");
            assertTrue(b.text().contains("Opzoeking door Veilig Thuis") && b.text().contains(reference), b.text());
            b.click(reference);
            b.click("Vrijgeven");
            assertEquals("/werkplek/achtergehouden?melding=vrijgegeven", b.path());
            assertEquals(List.of(), held("noord"));

            JsonNode after = citizenSignals(parent);
            JsonNode lookup = access(after, "noord", atNoord, "veiligthuis.lookup");
            assertEquals("veiligthuis", lookup.get("role").asText(), lookup.toString());
            assertEquals("noord", lookup.get("node").asText(), lookup.toString());
            assertEquals("Veilig Thuis zocht tijdens een onderzoek op of er signalen over dit kind zijn",
                    lookup.get("purpose").asText());
            assertEquals(null, access(after, "oost", atOost, "veiligthuis.lookup"), "oost's is still held");

            // The coordinator never had the BSN or the reason: not in its database, not in its log.
            try (Stream<Path> files = Files.walk(federation.coordinatorDataDir())) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    assertFalse(content.contains(youth), "a BSN in " + f);
                    assertFalse(content.contains("verwaarlozing"), "the reason in " + f);
                }
            }

            // A region that does not answer is named.
            federation.nodes().remove("oost").close();
            b.signOut();
            b.signIn("noord-veiligthuis");
            b.find("#bsn").sendKeys(youth);
            b.find("#reden").sendKeys(REASON);
            b.click("Signalen opzoeken");
            assertTrue(b.text().contains("Regio oost gaf geen antwoord."), b.text());
            assertEquals(List.of("Regio noord"), b.all("main section h2").stream().map(h -> h.getText()).toList());
            b.check("veilig-thuis-resultaat", "veilig-thuis-regio-onbereikbaar");
        }
    }

    @Test
    void api_refusesAWrongBsnAndReason_namingTheFields_andOtherRoles() {
        NodeHarness noord = nodes.get("noord");
        NodeHarness.Response wrong = noord.call("POST", "/api/v1/veilig-thuis/lookups",
                Map.of("bsn", "123456789", "reason", "kort"), "veiligthuis");
        assertEquals(400, wrong.status(), String.valueOf(wrong.body()));
        List<String> fields = new ArrayList<>();
        wrong.body().get("violations").forEach(v -> fields.add(v.get("field").asText()));
        assertEquals(List.of("bsn"), fields);
        NodeHarness.Response noReason = noord.call("POST", "/api/v1/veilig-thuis/lookups",
                Map.of("bsn", Youths.bsn(), "reason", "kort"), "veiligthuis");
        assertEquals(400, noReason.status(), String.valueOf(noReason.body()));
        assertEquals("reason", noReason.body().get("violations").get(0).get("field").asText());
        assertEquals(403, noord.call("POST", "/api/v1/veilig-thuis/lookups",
                Map.of("bsn", Youths.bsn(), "reason", REASON), "gemeente").status());
        NodeHarness.Response none = noord.call("POST", "/api/v1/veilig-thuis/lookups",
                Map.of("bsn", Youths.bsn(), "reason", REASON), "veiligthuis");
        assertEquals(200, none.status(), String.valueOf(none.body()));
        assertEquals(0, none.body().get("items").size());
    }

    private static String register(String node, Map<String, Object> body) {
        NodeHarness.Response r = nodes.get(node).call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    /** The parent's inzage at noord ({@code GET /api/v1/citizen/signals}, signed in by the dev identity provider). */
    private static JsonNode citizenSignals(String bsn) {
        NodeHarness noord = nodes.get("noord");
        NodeHarness.Response token = noord.call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        NodeHarness.Response r = noord.call("GET", "/api/v1/citizen/signals", null, null,
                Map.of("Authorization", "Bearer " + token.body().get("access_token").asText()));
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body();
    }

    private static JsonNode access(JsonNode page, String node, String id, String action) {
        for (JsonNode item : page.get("items")) {
            if (item.get("node").asText().equals(node) && item.get("id").asText().equals(id)) {
                for (JsonNode a : item.get("accesses")) {
                    if (a.get("action").asText().equals(action)) {
                        return a;
                    }
                }
                return null;
            }
        }
        throw new AssertionError("no signal " + node + ":" + id + " in " + page);
    }

    /** The references held at {@code node} ({@code GET /api/v1/audit/held}, as its gemeente). */
    private static List<String> held(String node) {
        List<String> out = new ArrayList<>();
        nodes.get(node).call("GET", "/api/v1/audit/held", null, "gemeente").body().get("items")
                .forEach(i -> out.add(i.get("reference").asText()));
        out.forEach(r -> assertTrue(r.startsWith("lookup:"), r));
        return out;
    }

    /** The reason of the one look-up {@code node} served, opened with its key. */
    private static String servedReason(String node) {
        return tx(node).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(
                    "SELECT row_id, reason_sealed FROM veilig_thuis_lookup WHERE kind = 'SERVED'");
                 ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), node + " served a look-up");
                UUID row = rs.getObject(1, UUID.class);
                byte[] opened = nodes.get(node).bean(NodeKeys.class).aead().decrypt(rs.getBytes(2),
                        ("betrokken/node/veilig-thuis-lookup/" + row + "/reason").getBytes(StandardCharsets.US_ASCII));
                assertFalse(rs.next(), node + " served one look-up");
                return new String(opened, StandardCharsets.UTF_8);
            }
        });
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                text.getBytes(StandardCharsets.UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static TransactionOperations<Connection> tx(String node) {
        return nodes.get(node).bean(TransactionOperations.class);
    }

    private static void execute(String node, String sql, Object... parameters) {
        tx(node).executeWrite(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    s.setObject(i + 1, parameters[i]);
                }
                return s.executeUpdate();
            }
        });
    }

    private static long count(String node, String sql, Object... parameters) {
        return tx(node).executeRead(status -> {
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
