package nl.betrokken.node.exchange;

import static nl.betrokken.node.exchange.ExchangeFixtures.accesses;
import static nl.betrokken.node.exchange.ExchangeFixtures.count;
import static nl.betrokken.node.exchange.ExchangeFixtures.dump;
import static nl.betrokken.node.exchange.ExchangeFixtures.matchOf;
import static nl.betrokken.node.exchange.ExchangeFixtures.register;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.exchange.ExchangeFixtures.Match;
import nl.betrokken.crypto.keys.OwnerOnlyFile;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.Es256TokenSigner;
import nl.betrokken.crypto.token.TokenClaims;
import nl.betrokken.crypto.token.TokenKeyPair;
import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.Youths;
import nl.betrokken.node.keys.NodeTokens;

/**
 * Exchanges under consent across a real coordinator (its consent register and tokens) and two nodes (noord on H2,
 * oost on PostgreSQL), a CHILD match on a child of 10 whose part is noord's: without consent, or while it is pending,
 * nothing is sent and the refusal names why and which consent; once the parent's consent is recorded, a message
 * reaches oost sealed, and each read is logged into the parent's access log. The receiving node refuses a consent
 * token signed by another key, one of another match, of other parties, expired, or withdrawn (also when replayed
 * after the withdrawal). A withdrawal racing exchanges leaves each message stored at both nodes or refused.
 */
class ExchangeConsentTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static TestFederation federation;
    static NodeHarness noord;
    static NodeHarness oost;

    @BeforeAll
    static void start() {
        federation = TestFederation.noordAndOost();
        noord = federation.nodes().get("noord");
        oost = federation.nodes().get("oost");
    }

    @AfterAll
    static void stop() {
        federation.close();
    }

    static Match match() {
        return ExchangeFixtures.match(noord, oost);
    }

    /** noord's professional asks consent for the match: its id. */
    static String ask(Match m) {
        NodeHarness.Response r = noord.call("POST", "/api/v1/matches/" + m.id() + "/consent-requests",
                Map.of("purpose", "Afstemmen van de hulp aan het kind"), "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    /** The parent's consent, given in person and recorded by noord's professional; waits until it is GRANTED. */
    static void grant(Match m, String consentId) {
        NodeHarness.Response r = noord.call("POST", "/api/v1/consent-requests/" + consentId + "/recorded",
                Map.of("by", "PARENT", "on", LocalDate.now(ClockFactory.ZONE).toString(), "form", "MONDELING"),
                "prof-a");
        assertEquals(204, r.status(), String.valueOf(r.body()));
        JsonNode consent = noord.call("GET", "/api/v1/matches/" + m.id() + "/consent", null, "prof-a").body();
        assertEquals("GRANTED", consent.get("status").asText(), consent.toString());
    }

    /** The parent withdraws the consent, signed in at noord. */
    static void withdraw(Match m, String consentId) {
        NodeHarness.Response token = noord.call("POST", "/dev/idp/token", Map.of("bsn", m.mother()), null, null);
        NodeHarness.Response r = noord.call("POST", "/api/v1/consents/" + consentId + "/withdraw", null, null,
                Map.of("Authorization", "Bearer " + token.body().get("access_token").asText()));
        assertEquals(204, r.status(), String.valueOf(r.body()));
    }

    static NodeHarness.Response send(Match m, String text) {
        return noord.call("POST", "/api/v1/matches/" + m.id() + "/messages", Map.of("text", text), "prof-a");
    }

    static void assertRefused(NodeHarness.Response r, String reason, String consentId) {
        assertEquals(403, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertTrue(r.body().get("type").asText().endsWith("/" + reason), r.body().toString());
        if (consentId != null) {
            assertEquals(consentId, r.body().get("consent").asText(), r.body().toString());
        }
    }

    static long stored(NodeHarness node, Match m) {
        return count(node, "SELECT count(*) FROM exchange_message WHERE match_id = ?", UUID.fromString(m.id()));
    }

    static long entries(NodeHarness node, String kind) {
        return count(node, "SELECT count(*) FROM audit_entry WHERE kind = ?", kind);
    }

    @Test
    void withoutConsentOrWhilePending_nothingIsSentAndTheRefusalNamesWhy() {
        Match m = match();
        long refusedBefore = entries(noord, "exchange.refused");
        assertRefused(send(m, "zonder toestemming"), "consent-none", null);
        String consentId = ask(m);
        assertRefused(send(m, "nog niet beantwoord"), "consent-pending", consentId);
        assertEquals(0, stored(noord, m));
        assertEquals(0, stored(oost, m));
        assertEquals(refusedBefore + 2, entries(noord, "exchange.refused"), "each refusal is logged at the sender");
    }

    @Test
    void grantedConsent_deliversSealedAndEveryReadIsLogged() {
        Match m = match();
        String consentId = ask(m);
        grant(m, consentId);
        String text = "Kind slaapt slecht sinds de verhuizing " + UUID.randomUUID();
        NodeHarness.Response sent = send(m, text);
        assertEquals(201, sent.status(), String.valueOf(sent.body()));
        assertEquals(consentId, sent.body().get("consentId").asText());
        assertFalse(sent.body().get("exception").asBoolean());

        long readsBefore = entries(oost, "exchange.read");
        JsonNode items = oost.call("GET", "/api/v1/matches/" + m.id() + "/messages", null, "prof-a").body().get("items");
        assertEquals(1, items.size());
        assertEquals(text, items.get(0).get("text").asText());
        assertEquals("RECEIVED", items.get(0).get("direction").asText());
        assertEquals(consentId, items.get(0).get("consentId").asText());
        assertEquals("noord-org-a", items.get(0).get("from").get("organisation").asText());
        assertEquals(readsBefore + 1, entries(oost, "exchange.read"), "the read is logged");
        JsonNode own = noord.call("GET", "/api/v1/matches/" + m.id() + "/messages", null, "prof-a").body().get("items");
        assertEquals("SENT", own.get(0).get("direction").asText());
        assertEquals(text, own.get(0).get("text").asText());

        for (NodeHarness node : List.of(noord, oost)) {
            String rows = dump(node, "exchange_message");
            assertFalse(rows.contains(text), "the text in plaintext at " + node.nodeId());
            assertFalse(rows.contains("noord-org-a"), "the sender in plaintext at " + node.nodeId());
        }
        List<String> atOost = accesses(oost, m.mother(), m.atOost());
        assertTrue(atOost.containsAll(List.of("exchange.received", "exchange.read")), atOost.toString());
        List<String> atNoord = accesses(noord, m.mother(), m.atNoord());
        assertTrue(atNoord.contains("exchange.sent"), atNoord.toString());
    }

    @Test
    void consentTokens_forgedOfAnotherMatchOfOtherPartiesOrExpired_areRefusedByTheReceiver() throws Exception {
        Match m = match();
        String consentId = ask(m);
        grant(m, consentId);
        String[] ticketAndRef = ticketAndRef(m);
        String ticket = ticketAndRef[0];
        String ref = ticketAndRef[1];
        String real = consentToken(consentId);
        String oostRef = oostRef(m);

        NodeHarness.Response ok = deliver(m, ticket, ref, real);
        assertEquals(201, ok.status(), "the real token works: " + ok.body());
        assertEquals(1, stored(oost, m));

        Instant now = Instant.now();
        List<String> parties = List.of("noord:" + ref, "oost:" + oostRef);
        TokenKeyPair coordinatorKey = TokenKeyPair.parsePrivate(OwnerOnlyFile.read(
                federation.coordinatorDataDir().resolve("coordinator-token.jwk")));
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("consent-forged", sign(TokenKeyPair.generate("coordinator-1"), m.id(), consentId, parties, now,
                now.plusSeconds(600)));
        cases.put("consent-other-match", sign(coordinatorKey, UUID.randomUUID().toString(), consentId, parties, now,
                now.plusSeconds(600)));
        cases.put("consent-other-parties", sign(coordinatorKey, m.id(), consentId,
                List.of("noord:" + ref, "oost:s-0123456789abcdef01234567"), now, now.plusSeconds(600)));
        cases.put("consent-expired", sign(coordinatorKey, m.id(), consentId, parties, now.minus(Duration.ofHours(2)),
                now.minus(Duration.ofHours(1))));
        long refusedBefore = entries(oost, "exchange.refused");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertRefused(deliver(m, ticket, ref, c.getValue()), c.getKey(), null);
        }
        assertRefused(deliver(m, ticket, ref, null), "consent-none", null);
        assertEquals(1, stored(oost, m), "none of them stored");
        assertEquals(refusedBefore + cases.size() + 1, entries(oost, "exchange.refused"), "each refusal is logged");
    }

    @Test
    void withdrawal_refusesTheNextMessageAndTheOldTokenReplayed() {
        Match m = match();
        String consentId = ask(m);
        grant(m, consentId);
        String token = consentToken(consentId);
        assertEquals(201, send(m, "voor het intrekken").status());
        withdraw(m, consentId);

        NodeHarness.Response refused = send(m, "na het intrekken");
        assertRefused(refused, "consent-withdrawn", consentId);
        String[] ticketAndRef = ticketAndRef(m);
        assertRefused(deliver(m, ticketAndRef[0], ticketAndRef[1], token), "consent-withdrawn", consentId);
        assertEquals(1, stored(oost, m), "only the message before the withdrawal");
        assertEquals(1, stored(noord, m));
        JsonNode consent = noord.call("GET", "/api/v1/matches/" + m.id() + "/consent", null, "prof-a").body();
        assertEquals("WITHDRAWN", consent.get("status").asText());
    }

    @Test
    void withdrawalRacingExchanges_eachMessageIsStoredAtBothNodesOrRefused() throws Exception {
        Match m = match();
        String consentId = ask(m);
        grant(m, consentId);
        int senders = 4;
        ExecutorService pool = Executors.newFixedThreadPool(senders + 1);
        CountDownLatch go = new CountDownLatch(1);
        List<NodeHarness.Response> answers = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < senders; t++) {
            int thread = t;
            running.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 6; i++) {
                    answers.add(send(m, "bericht " + thread + "/" + i));
                }
                return null;
            }));
        }
        go.countDown();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (answers.stream().noneMatch(r -> r.status() == 201) && System.nanoTime() < deadline) {
            Thread.sleep(10); // the withdrawal comes while the senders are under way, after one got through
        }
        withdraw(m, consentId);
        for (Future<?> f : running) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertRefused(send(m, "daarna"), "consent-withdrawn", consentId);

        Map<Integer, Integer> byStatus = new HashMap<>();
        List<String> accepted = new ArrayList<>();
        for (NodeHarness.Response r : answers) {
            byStatus.merge(r.status(), 1, Integer::sum);
            if (r.status() == 201) {
                accepted.add(r.body().get("id").asText());
            } else {
                assertRefused(r, "consent-withdrawn", consentId);
            }
        }
        assertEquals(senders * 6, answers.size());
        assertTrue(!accepted.isEmpty(), "some went through before the withdrawal: " + byStatus);
        for (String id : accepted) {
            assertEquals(1, count(noord, "SELECT count(*) FROM exchange_message WHERE message_id = ?", UUID.fromString(id)),
                    "sent " + id + " stored at noord");
            assertEquals(1, count(oost, "SELECT count(*) FROM exchange_message WHERE message_id = ?", UUID.fromString(id)),
                    "sent " + id + " stored at oost");
        }
        assertEquals(accepted.size(), stored(oost, m), "nothing refused was stored at oost: " + byStatus);
        assertEquals(accepted.size(), stored(noord, m), "nothing refused was stored at noord: " + byStatus);
    }

    @Test
    void counterpartAtTheSameNode_getsItThroughTheSameChecksWithoutHttp() {
        String child = Youths.bsn();
        String mother = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(10).toString();
        String ofA = register(noord, Youths.registration(child, born, mother));
        NodeHarness.Response b = noord.call("POST", "/api/v1/signals", Youths.registration(child, born, mother), "prof-b");
        assertEquals(201, b.status(), String.valueOf(b.body()));
        String matchId = matchOf(noord, ofA);
        Match m = new Match(child, mother, ofA, null, matchId);
        String path = "/api/v1/matches/" + matchId + "/messages";

        assertRefused(noord.call("POST", path, Map.of("text", "zonder"), "prof-a"), "consent-none", null);
        String consentId = ask(m);
        grant(m, consentId);
        NodeHarness.Response sent = noord.call("POST", path, Map.of("text", "binnen dezelfde node"), "prof-a");
        assertEquals(201, sent.status(), String.valueOf(sent.body()));
        JsonNode atB = noord.call("GET", path, null, "prof-b").body().get("items");
        assertEquals(1, atB.size(), atB.toString());
        assertEquals("RECEIVED", atB.get(0).get("direction").asText());
        assertEquals("binnen dezelfde node", atB.get(0).get("text").asText());
        JsonNode atA = noord.call("GET", path, null, "prof-a").body().get("items");
        assertEquals("SENT", atA.get(0).get("direction").asText());

        // The exception between two signals of one node: one hold for both copies, released at once.
        NodeHarness.Response exception = noord.call("POST", path, Map.of("text", "Meldcode",
                "exception", Map.of("reason", "Veilig Thuis onderzoekt")), "prof-b");
        assertEquals(201, exception.status(), String.valueOf(exception.body()));
        assertEquals(2, count(noord, "SELECT count(*) FROM exchange_message WHERE message_id = ?",
                UUID.fromString(exception.body().get("id").asText())));
        withdraw(m, consentId);
        assertRefused(noord.call("POST", path, Map.of("text", "na het intrekken"), "prof-b"), "consent-withdrawn",
                consentId);
    }

    @Test
    void familyMatch_needsBothPartsAndThenCarriesMessagesBothWays() {
        String child = Youths.bsn();
        String sibling = Youths.bsn();
        String mother = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(10).toString();
        String atNoord = register(noord, Youths.registration(child, born, mother));
        String atOost = register(oost, Youths.registration(sibling, LocalDate.now(ClockFactory.ZONE).minusYears(8)
                .toString(), mother));
        String matchId = matchOf(noord, atNoord);
        assertEquals(matchId, matchOf(oost, atOost));
        Match m = new Match(child, mother, atNoord, atOost, matchId);
        String consentId = ask(m);
        NodeHarness.Response noordPart = noord.call("POST", "/api/v1/consent-requests/" + consentId + "/recorded",
                Map.of("by", "PARENT", "on", LocalDate.now(ClockFactory.ZONE).toString(), "form", "SCHRIFTELIJK"),
                "prof-a");
        assertEquals(204, noordPart.status(), String.valueOf(noordPart.body()));
        assertRefused(send(m, "een deel is niet genoeg"), "consent-pending", consentId);
        NodeHarness.Response oostPart = oost.call("POST", "/api/v1/consent-requests/" + consentId + "/recorded",
                Map.of("by", "PARENT", "on", LocalDate.now(ClockFactory.ZONE).toString(), "form", "MONDELING"),
                "prof-a");
        assertEquals(204, oostPart.status(), String.valueOf(oostPart.body()));

        assertEquals(201, send(m, "van noord").status());
        NodeHarness.Response fromOost = oost.call("POST", "/api/v1/matches/" + matchId + "/messages",
                Map.of("text", "van oost"), "prof-a");
        assertEquals(201, fromOost.status(), String.valueOf(fromOost.body()));
        assertEquals(consentId, fromOost.body().get("consentId").asText());
        List<String> atNoordTexts = new ArrayList<>();
        noord.call("GET", "/api/v1/matches/" + matchId + "/messages", null, "prof-a").body().get("items")
                .forEach(i -> atNoordTexts.add(i.get("direction").asText() + ":" + i.get("text").asText()));
        assertEquals(List.of("SENT:van noord", "RECEIVED:van oost"), atNoordTexts);
    }

    // -----------------------------------------------------------------------------------------------------------------

    static String sign(TokenKeyPair key, String matchId, String consentId, List<String> parties, Instant iat, Instant exp) {
        return Es256TokenSigner.create(key, "betrokken-consent+jwt").sign(TokenClaims.builder()
                .issuer("betrokken-coordinator").audience("betrokken-node").subject(matchId).jwtId(consentId)
                .issuedAt(iat).notBefore(iat).expiresAt(exp)
                .claim(Claim.stringList("parties"), parties.stream().sorted().toList())
                .claim(Claim.stringList("consented"), List.of(parties.get(0) + ":PARENT"))
                .build());
    }

    /** The consent token as the coordinator's register gives it to noord now. */
    static String consentToken(String consentId) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(federation.coordinatorUrl()
                            + "/internal/v1/consents/" + consentId))
                    .header("Authorization", "Bearer " + noord.bean(NodeTokens.class).forCall(NodeTokens.COORDINATOR))
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return NodeHarness.JSON.readTree(r.body()).get("token").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** noord delivers a message to oost itself, with its node token, the match ticket and {@code consentToken}. */
    static NodeHarness.Response deliver(Match m, String ticket, String ref, String consentToken) {
        Map<String, Object> body = new HashMap<>();
        body.put("ticket", ticket);
        body.put("ref", ref);
        body.put("id", UUID.randomUUID().toString());
        body.put("sentAt", Instant.now().toString());
        body.put("from", Map.of("organisation", "noord-org-a", "professional", "Professional A"));
        body.put("text", "rechtstreeks");
        if (consentToken != null) {
            body.put("consentToken", consentToken);
        }
        return oost.call("POST", "/federation/v1/messages", body, null,
                Map.of("Authorization", "Bearer " + noord.bean(NodeTokens.class).forCall("oost")));
    }

    /** noord's ticket for the match and its signal's ref. */
    static String[] ticketAndRef(Match m) {
        return ExchangeFixtures.tx(noord).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(
                    "SELECT m.ticket, s.ref FROM node_match m JOIN signal s ON s.id = m.signal_id WHERE m.match_id = ?")) {
                s.setObject(1, UUID.fromString(m.id()));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return new String[] {rs.getString(1), rs.getString(2)};
                }
            }
        });
    }

    static String oostRef(Match m) {
        return ExchangeFixtures.tx(oost).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement("SELECT ref FROM signal WHERE id = ?")) {
                s.setObject(1, UUID.fromString(m.atOost()));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }
}
