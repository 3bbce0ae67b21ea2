package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.Youths;

/**
 * Consent and information exchange end to end (issue 13), with a real coordinator and three nodes (noord and zuid on
 * H2, oost on PostgreSQL), the citizen in a real headless Chromium at zuid's portal and the professionals through the
 * node API. A child is signalled at noord (with the mother) and at oost: a match. The noord professional asks for
 * consent; the mother (and, from 12, the youth) answer in zuid's portal; noord sends a message and oost reads it; the
 * mother withdraws in the portal, and the next message is refused with a problem naming the consent and
 * {@code consent-withdrawn}. For a child of 10 the parent decides; for a youth of 14 the parent alone is not enough;
 * for a youth of 17 the youth alone decides and the parent is neither offered the request nor able to answer it.
 */
class ConsentScenarioTest {

    private static final String PURPOSE = "Afstemmen wie de begeleiding op school en thuis doet.";

    static TestFederation federation;
    static Map<String, NodeHarness> NODES;

    @BeforeAll
    static void start() {
        federation = TestFederation.noordOostZuid();
        NODES = federation.nodes();
    }

    @AfterAll
    static void stop() {
        federation.close();
    }

    /** A match between noord's and oost's signal on one youth; the mother is named at noord. */
    record Match(String youth, String mother, String atNoord, String atOost, String id) {
    }

    @Test
    void kindVan10_ouderGeeftToestemming_berichtGaatOver_ouderTrektIn_volgendBerichtGeweigerd() {
        Match m = match(10);
        String consent = ask(m, List.of("PARENT"));

        NodeHarness.Response early = send(m, "Voor de toestemming.");
        refused(early, consent, "consent-pending");

        grantInPortal(m.mother(), consent, true);
        assertEquals("GRANTED", consentAtNoord(m).get("status").asText());

        NodeHarness.Response sent = send(m, "Wij zien Testkind elke week; bel gerust.");
        assertEquals(201, sent.status(), String.valueOf(sent.body()));
        assertEquals(consent, sent.body().get("consentId").asText());
        JsonNode read = TestFederation.await(() -> NODES.get("oost").call("GET", "/api/v1/matches/" + m.id() + "/messages", null,
                "prof-a").body(), page -> page.toString().contains("Wij zien Testkind elke week"),
                "oost reads noord's message");
        assertTrue(read.toString().contains("RECEIVED"), read.toString());

        try (PortaalBrowser b = new PortaalBrowser(NODES.get("zuid").port(), true)) {
            b.signIn(m.mother());
            b.open("/portaal/toestemmingen/" + consent);
            assertTrue(b.text().contains("Toestemming gegeven"), b.text());
            b.click("Toestemming intrekken");
            b.click("Toestemming intrekken");
            assertEquals("/portaal/toestemmingen/" + consent + "/ingetrokken", b.path(), b.text());

            // The access log of noord's signal shows the consent and the exchange in words, each with a purpose.
            b.open("/portaal/signalen/noord/" + m.atNoord());
            String log = b.text();
            for (String action : List.of("Toestemming gevraagd om informatie te delen",
                    "Antwoord gegeven op een vraag om toestemming", "Toestemming ingetrokken",
                    "Informatie gestuurd naar een andere hulpverlener")) {
                assertTrue(log.contains(action), action + " in the access log:\n" + log);
            }
            assertTrue(!log.contains("Andere handeling") && !log.contains("Geen reden vastgelegd"),
                    "every entry named and explained:\n" + log);
            b.driver().executeScript("document.querySelector('main table').scrollIntoView()");
            b.check("signaal", "signaal-toestemming");
        }
        assertEquals("WITHDRAWN", consentAtNoord(m).get("status").asText());
        refused(send(m, "Na het intrekken."), consent, "consent-withdrawn");
    }

    @Test
    void jongereVan14_ouderAlleenIsNietGenoeg_samenWel() {
        Match m = match(14);
        String consent = ask(m, List.of("PARENT", "YOUTH"));

        grantInPortal(m.mother(), consent, true);
        assertEquals("PENDING", consentAtNoord(m).get("status").asText(), "the parent alone is not enough");
        refused(send(m, "Alleen de ouder zei ja."), consent, "consent-pending");

        grantInPortal(m.youth(), consent, true);
        assertEquals("GRANTED", consentAtNoord(m).get("status").asText(), "the youth and the parent together");
        NodeHarness.Response sent = send(m, "Nu mogen wij informatie delen.");
        assertEquals(201, sent.status(), String.valueOf(sent.body()));
    }

    @Test
    void jongereVan17_beslistZelf_ouderKrijgtDeVraagNiet() {
        Match m = match(17);
        String consent = ask(m, List.of("YOUTH"));

        // The parent is not offered the request, in the portal nor in the API, and the API refuses their grant.
        try (PortaalBrowser b = new PortaalBrowser(NODES.get("zuid").port(), true)) {
            b.signIn(m.mother());
            b.open("/portaal/toestemmingen");
            assertTrue(b.all("a[href='/portaal/toestemmingen/" + consent + "']").isEmpty(), b.text());
        }
        String parentToken = token("zuid", m.mother());
        NodeHarness.Response offered = NODES.get("zuid").call("GET", "/api/v1/citizen/consent-requests", null, null,
                Map.of("Authorization", "Bearer " + parentToken));
        assertEquals(200, offered.status(), String.valueOf(offered.body()));
        assertTrue(!offered.body().toString().contains(consent), offered.body().toString());
        NodeHarness.Response grant = NODES.get("zuid").call("POST", "/api/v1/consent-requests/" + consent + "/grant",
                Map.of(), null, Map.of("Authorization", "Bearer " + parentToken));
        assertTrue(grant.status() == 404 || grant.status() == 403, "the parent's grant refused: " + grant.status()
                + " " + grant.body());
        assertEquals("PENDING", consentAtNoord(m).get("status").asText());

        grantInPortal(m.youth(), consent, false);
        assertEquals("GRANTED", consentAtNoord(m).get("status").asText(), "the youth alone");
        NodeHarness.Response sent = send(m, "De jongere zei zelf ja.");
        assertEquals(201, sent.status(), String.valueOf(sent.body()));
    }

    /** A youth of {@code age} (not a birthday today), signalled at noord with the mother and at oost: their match. */
    private static Match match(int age) {
        String youth = Youths.bsn();
        String mother = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(age).minusDays(40).toString();
        String atNoord = register("noord", Youths.registration(youth, born, mother));
        String atOost = register("oost", Youths.registration(youth, born));
        String id = federation.matchOn("noord", atNoord);
        assertEquals(id, federation.matchOn("oost", atOost), "one match, one id at both nodes");
        // zuid's portal finds the signal through the coordinator: for the mother under 16, for the youth from 12.
        if (age < 16) {
            TestFederation.await(() -> signals("zuid", mother), page -> page.toString().contains(atNoord), "the mother's inzage");
        }
        if (age >= 12) {
            TestFederation.await(() -> signals("zuid", youth), page -> page.toString().contains(atNoord), "the youth's inzage");
        }
        return new Match(youth, mother, atNoord, atOost, id);
    }

    /** The noord professional asks for consent (API); the request needs {@code needs}. */
    private static String ask(Match m, List<String> needs) {
        NodeHarness.Response r = NODES.get("noord").call("POST", "/api/v1/matches/" + m.id() + "/consent-requests",
                Map.of("purpose", PURPOSE), "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        assertEquals("PENDING", r.body().get("status").asText());
        List<String> got = new ArrayList<>();
        r.body().get("needs").forEach(n -> got.add(n.asText()));
        assertEquals(needs.stream().sorted().toList(), got.stream().sorted().toList(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    /**
     * {@code bsn} signs in at zuid's portal, finds the request in the overview, reads it (who asks, for whom, what no
     * means) and says yes without an end date; with JavaScript on or off.
     */
    private static void grantInPortal(String bsn, String consent, boolean javascript) {
        try (PortaalBrowser b = new PortaalBrowser(NODES.get("zuid").port(), javascript)) {
            b.signIn(bsn);
            b.click("Naar de vragen om toestemming");
            assertEquals(1, b.all("a[href='/portaal/toestemmingen/" + consent + "']").size(), b.text());
            b.open("/portaal/toestemmingen/" + consent);
            String text = b.text();
            for (String fact : List.of("Testkind", "noord-org-a", "oost-org-a", PURPOSE, "krijgt gewoon hulp")) {
                assertTrue(text.contains(fact), fact + " on the page:\n" + text);
            }
            b.click("Ja, ik geef toestemming");
            b.click("Toestemming geven");
            assertEquals("/portaal/toestemmingen/" + consent + "/beantwoord", b.path(), b.text());
            assertTrue(b.text().contains("U heeft ja gezegd"), b.text());
        }
    }

    private static NodeHarness.Response send(Match m, String text) {
        return NODES.get("noord").call("POST", "/api/v1/matches/" + m.id() + "/messages", Map.of("text", text),
                "prof-a");
    }

    /** A message refused: 403 problem+json whose type ends in {@code reason}, naming the consent. */
    private static void refused(NodeHarness.Response r, String consent, String reason) {
        assertEquals(403, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertTrue(r.body().get("type").asText().endsWith(reason), String.valueOf(r.body()));
        assertEquals(consent, r.body().path("consent").asText(), String.valueOf(r.body()));
        assertNotEquals("", r.body().path("detail").asText(""), "the professional is told why");
    }

    private static JsonNode consentAtNoord(Match m) {
        NodeHarness.Response r = NODES.get("noord").call("GET", "/api/v1/matches/" + m.id() + "/consent", null,
                "prof-a");
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body();
    }

    private static String register(String node, Map<String, Object> body) {
        NodeHarness.Response r = NODES.get(node).call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }
    private static String token(String node, String bsn) {
        NodeHarness.Response token = NODES.get(node).call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        assertEquals(200, token.status(), String.valueOf(token.body()));
        return token.body().get("access_token").asText();
    }

    private static JsonNode signals(String node, String bsn) {
        NodeHarness.Response r = NODES.get(node).call("GET", "/api/v1/citizen/signals", null, null,
                Map.of("Authorization", "Bearer " + token(node, bsn)));
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body();
    }
}
