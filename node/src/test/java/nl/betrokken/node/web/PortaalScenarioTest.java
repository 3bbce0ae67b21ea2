package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.Youths;
import nl.betrokken.node.account.OidcProviderProcess;

/**
 * The portal's end-to-end scenario (issue 12), in a real headless Chromium, with a real coordinator and three nodes
 * (noord and zuid on H2, oost on PostgreSQL). A professional at noord registers a child with both parents, one at oost
 * the same child, one at zuid a sibling with the mother; another at oost (organisation b) the child under the Veilig
 * Thuis exception. The mother signs in at zuid and sees all three, with their
 * access logs, including that oost fetched noord's contact data; a stranger sees nothing; a Veilig Thuis signal at oost
 * stays out of sight until oost's gemeente releases it. The mother objects to noord's signal in the portal, noord's
 * gemeente upholds it, and the signal is gone from noord, from the coordinator's look-up and from oost's matches; the
 * mother sees the outcome in the portal. Twice: once signing in through the dev sign-in page, once through a real
 * OpenID provider (the npm package {@code oidc-provider}, {@link OidcProviderProcess}) that zuid trusts for its
 * "Inloggen met DigiD".
 */
class PortaalScenarioTest {

    static TestFederation federation;
    static Map<String, NodeHarness> NODES;
    static OidcProviderProcess provider;
    /** The people the OpenID provider signs in, by the login name typed at it. */
    static final String MOTHER_AT_PROVIDER = Youths.bsn();
    static final String STRANGER_AT_PROVIDER = Youths.bsn();

    @BeforeAll
    static void start() throws JOSEException {
        RSAKey key = new RSAKeyGenerator(2048).keyID("provider").algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE)
                .generate();
        federation = TestFederation.noordOostZuid((id, port) -> {
            if (!id.equals("zuid")) {
                return Map.of();
            }
            String callback = "http://127.0.0.1:" + port + "/portaal/inloggen/terug";
            provider = new OidcProviderProcess(0, List.of(new OidcProviderProcess.Client("betrokken-zuid",
                    "zuid-geheim", callback, "client_secret_basic")),
                    Map.of("moeder", MOTHER_AT_PROVIDER, "vreemde", STRANGER_AT_PROVIDER), new JWKSet(key));
            return Map.of("betrokken.citizen-identity-provider.issuer", provider.issuer(),
                    "betrokken.citizen-identity-provider.client-id", "betrokken-zuid",
                    "betrokken.citizen-identity-provider.client-secret", "zuid-geheim",
                    "betrokken.citizen-identity-provider.redirect-uri", callback,
                    "betrokken.citizen-identity-provider.scopes", "openid,bsn");
        });
        NODES = federation.nodes();
    }

    @AfterAll
    static void stop() {
        federation.close();
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void ouder_ziet_drieSignalenInDrieRegios_maaktBezwaar_enDeGemeenteWistHet() {
        String mother = Youths.bsn();
        scenario(mother, b -> b.signIn(mother), b -> b.signIn(Youths.bsn()));
    }

    @Test
    void ouder_logtInBijDeEchteOpenIdProvider_ziet_drieSignalen_maaktBezwaar_enDeGemeenteWistHet() {
        scenario(MOTHER_AT_PROVIDER, b -> b.signInAtProvider("moeder"), b -> b.signInAtProvider("vreemde"));
    }

    private static void scenario(String mother, Consumer<PortaalBrowser> signInMother,
                                 Consumer<PortaalBrowser> signInStranger) {
        String child = Youths.bsn();
        String sibling = Youths.bsn();
        String father = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(9).toString();
        String atNoord = register("noord", Youths.registration(child, born, mother, father));
        String atOost = register("oost", Youths.registration(child, born));
        String atZuid = register("zuid", Youths.registration(sibling,
                LocalDate.now(ClockFactory.ZONE).minusYears(6).toString(), mother));
        Map<String, Object> veiligThuis = Youths.registration(child, born, mother);
        veiligThuis.put("parentsInformed", Map.of("notInformedReason", "informeren brengt het kind in gevaar"));
        String held = register("oost", veiligThuis, "prof-b");

        // The coordinator holds all four, and oost has fetched noord's contact data for their match.
        TestFederation.await(() -> signals("zuid", mother), page -> page.get("items").size() == 3, "three signals for the mother");
        TestFederation.await(() -> item(signals("zuid", mother), "noord", atNoord),
                item -> item.toString().contains("contact.served") && item.toString().contains("\"oost\""),
                "oost fetched noord's contact data");

        try (PortaalBrowser b = new PortaalBrowser(NODES.get("zuid").port(), true)) {
            signInMother.accept(b);
            assertEquals(3, b.all("main h2 a").size(), b.text());
            assertFalse(b.text().contains("niet compleet"), "every region answered");
            b.open("/portaal/signalen/noord/" + atNoord);
            String log = b.text();
            assertTrue(log.contains("Contactgegevens doorgegeven aan een andere hulpverlener"), log);
            assertTrue(log.contains("Verwijsindex van een andere regio van oost"), log);
            b.open("/portaal/signalen/oost/" + atOost);
            assertTrue(b.text().contains("Signaal gemaakt"), b.text());
            b.open("/portaal/signalen/zuid/" + atZuid);
            assertTrue(b.text().contains("Signaal gemaakt"), b.text());
            b.open("/portaal/signalen/oost/" + held);
            assertEquals("Dit signaal is er niet", b.h1(), "the held-back signal is out of sight");
        }
        try (PortaalBrowser stranger = new PortaalBrowser(NODES.get("zuid").port(), true)) {
            signInStranger.accept(stranger);
            assertTrue(stranger.text().contains("Er staan geen signalen over u of uw kinderen"), stranger.text());
        }

        // Released by oost's gemeente: the next inzage shows it.
        assertEquals(200, NODES.get("oost").call("POST", "/api/v1/audit/held/" + held + "/release", null,
                "gemeente", null).status());
        try (PortaalBrowser b = new PortaalBrowser(NODES.get("zuid").port(), true)) {
            signInMother.accept(b);
            assertEquals(4, b.all("main h2 a").size(), b.text());

            // The mother objects to noord's signal from zuid's portal.
            b.open("/portaal/signalen/noord/" + atNoord);
            b.click("Bezwaar maken");
            b.find("#reden").sendKeys("Wij hebben al hulp van de huisarts.");
            b.click("Verder");
            b.click("Verder"); // no e-mail address
            b.click("Bezwaar indienen");
            assertEquals("/portaal/bezwaar/verstuurd", b.path(), b.text());

            JsonNode open = NODES.get("noord").call("GET", "/api/v1/objections", null, "gemeente").body();
            String objection = null;
            for (JsonNode o : open.get("items")) {
                if (o.get("signalId").asText().equals(atNoord)) {
                    objection = o.get("id").asText();
                }
            }
            assertNotNull(objection, open.toString());
            String oostMatch = matchOn("oost", atOost, "noord-org-a");
            assertEquals(200, NODES.get("noord").call("POST", "/api/v1/objections/" + objection + "/decision",
                    Map.of("outcome", "UPHELD", "motivation", "Het signaal is niet meer nodig."), "gemeente").status());

            assertEquals(404, NODES.get("noord").call("GET", "/api/v1/signals/" + atNoord, null, "prof-a").status(),
                    "gone from noord");
            TestFederation.await(() -> signals("zuid", mother), page -> page.get("items").size() == 3
                    && item(page, "noord", atNoord) == null, "gone from the coordinator's look-up");
            TestFederation.await(() -> NODES.get("oost").call("GET", "/api/v1/matches", null, "prof-a").body(),
                    page -> "WITHDRAWN".equals(status(page, oostMatch)), "oost's match is withdrawn");

            b.open("/portaal/bezwaren");
            assertTrue(b.text().contains("U heeft gelijk gekregen. Het signaal is gewist.")
                    && b.text().contains("Het signaal is niet meer nodig."), b.text());
            b.open("/portaal/overzicht");
            assertEquals(3, b.all("main h2 a").size(), b.text());
        }
    }

    private static String register(String node, Map<String, Object> body) {
        return register(node, body, "prof-a");
    }

    private static String register(String node, Map<String, Object> body, String professional) {
        NodeHarness.Response r = NODES.get(node).call("POST", "/api/v1/signals", body, professional);
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    private static JsonNode signals(String node, String bsn) {
        NodeHarness.Response token = NODES.get(node).call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        NodeHarness.Response r = NODES.get(node).call("GET", "/api/v1/citizen/signals", null, null,
                Map.of("Authorization", "Bearer " + token.body().get("access_token").asText()));
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body();
    }

    private static JsonNode item(JsonNode page, String node, String id) {
        for (JsonNode i : page.get("items")) {
            if (i.get("node").asText().equals(node) && i.get("id").asText().equals(id)) {
                return i;
            }
        }
        return null;
    }

    /** The id of the match on {@code signal} at {@code node} with {@code counterpart}'s signal (waits for it). */
    private static String matchOn(String node, String signal, String counterpart) {
        JsonNode page = TestFederation.await(() -> NODES.get(node).call("GET", "/api/v1/matches", null, "prof-a").body(),
                p -> p.toString().contains(counterpart), "the match on " + signal + " with " + counterpart);
        for (JsonNode m : page.has("items") ? page.get("items") : page) {
            if (m.get("signalId").asText().equals(signal)
                    && m.get("counterpart").get("organisation").asText().equals(counterpart)) {
                return m.get("id").asText();
            }
        }
        throw new AssertionError("no match on " + signal + ": " + page);
    }

    private static String status(JsonNode page, String match) {
        for (JsonNode m : page.has("items") ? page.get("items") : page) {
            if (m.get("id").asText().equals(match)) {
                return m.get("status").asText();
            }
        }
        return null;
    }
}
