package nl.betrokken.node.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micronaut.transaction.TransactionOperations;
import nl.betrokken.crypto.token.Es256TokenSigner;
import nl.betrokken.crypto.token.TokenClaims;
import nl.betrokken.crypto.token.TokenKeyPair;
import nl.betrokken.node.CoordinatorProcess;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.keys.NodeTokens;

/**
 * A whole federation: a real coordinator process and three nodes. Two signals on one youth at noord and oost and a
 * sibling's at zuid give a child match and family matches, each with the counterpart's contact data fetched from
 * the other node with the match ticket; forged, altered and foreign tickets are refused.
 */
class FederationTest {

    static CoordinatorProcess coordinator;
    static final Map<String, NodeHarness> NODES = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        coordinator = CoordinatorProcess.start();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String n : List.of("noord", "oost", "zuid")) {
            ports.put(n, NodeHarness.freePort());
        }
        StringBuilder peers = new StringBuilder();
        ports.forEach((n, p) -> peers.append(peers.isEmpty() ? "" : ",").append(n).append("=http://127.0.0.1:").append(p));
        Map<String, Map<String, Object>> prepared = new LinkedHashMap<>();
        ports.forEach((n, port) -> {
            Map<String, Object> p = new HashMap<>(NodeHarness.prepare(NodeHarness.Db.H2, n, coordinator.url(),
                    peers.toString()));
            p.put("micronaut.server.port", port);
            prepared.put(n, p);
            coordinator.enrol(n, java.nio.file.Path.of((String) p.get("betrokken.data-dir")));
        });
        prepared.forEach((n, p) -> NODES.put(n, NodeHarness.start(p)));
    }

    @AfterAll
    static void stop() {
        NODES.values().forEach(NodeHarness::close);
        coordinator.close();
    }

    static String register(String node, Map<String, Object> body) {
        NodeHarness.Response r = NODES.get(node).call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    static List<JsonNode> matchesOf(String node, String signalId, int atLeast) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            List<JsonNode> found = new ArrayList<>();
            NODES.get(node).call("GET", "/api/v1/matches", null, "prof-a").body().get("items").forEach(m -> {
                if (m.get("signalId").asText().equals(signalId) && m.has("counterpart")) {
                    found.add(m);
                }
            });
            if (found.size() >= atLeast || System.nanoTime() > deadline) {
                return found;
            }
            sleep(100);
        }
    }

    @Test
    void federation_childAndFamilyMatches_reachEveryNodeWithCounterpartContacts() {
        String child = Youths.bsn();
        String sibling = Youths.bsn();
        String mother = Youths.bsn();
        String atNoord = register("noord", Youths.registration(child, "2014-05-01", mother));
        String atOost = register("oost", Youths.registration(child, "2014-05-01", mother));
        String atZuid = register("zuid", Youths.registration(sibling, "2016-09-12", mother));

        List<JsonNode> noord = matchesOf("noord", atNoord, 2);
        assertEquals(2, noord.size(), String.valueOf(noord));
        Map<String, String> organisationByType = new HashMap<>();
        noord.forEach(m -> organisationByType.put(m.get("type").asText(), m.get("counterpart").get("organisation").asText()));
        assertEquals(Map.of("CHILD", "oost-org-a", "FAMILY", "zuid-org-a"), organisationByType);
        noord.forEach(m -> assertNotNull(m.get("counterpart").get("email")));
        assertEquals(2, matchesOf("oost", atOost, 2).size());
        List<JsonNode> zuid = matchesOf("zuid", atZuid, 2);
        assertEquals(2, zuid.size());
        zuid.forEach(m -> assertEquals("FAMILY", m.get("type").asText()));
        assertTrue(contactAccesses("oost") > 0, "oost recorded who asked for its professional's contact");
    }

    @Test
    void end_atOneNode_stopsMatchingAtTheCoordinator() {
        String child = Youths.bsn();
        String atNoord = register("noord", Youths.registration(child));
        NodeHarness.Response ended = NODES.get("noord").call("POST", "/api/v1/signals/" + atNoord + "/end",
                java.util.Map.of("reason", "hulp loopt"), "prof-a");
        assertEquals(200, ended.status());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (NODES.get("noord").call("GET", "/health", null, null).body().get("details").get("outbox")
                .get("details").get("depth").asInt() > 0 && System.nanoTime() < deadline) {
            sleep(50); // the end travels through noord's outbox
        }
        JsonNode contact = NODES.get("noord").call("GET", "/health/readiness", null, null).body().get("details")
                .get("coordinator").get("details");
        assertTrue(contact.get("reachable").asBoolean(), "the coordinator answered noord lately: " + contact);
        String atOost = register("oost", Youths.registration(child));
        String atZuid = register("zuid", Youths.registration(child));
        List<JsonNode> oost = matchesOf("oost", atOost, 1);
        assertEquals(1, oost.size(), "oost matches zuid only: " + oost);
        assertEquals("zuid-org-a", oost.get(0).get("counterpart").get("organisation").asText());
        assertEquals(List.of(), matchesOf("noord", atNoord, 1), "the ended signal got no new match");
        assertEquals(1, matchesOf("zuid", atZuid, 1).size());
    }

    /** A real ticket, as the coordinator delivered it to {@code node}. */
    static String ticketAt(String node) {
        TransactionOperations<Connection> tx = transactions(node);
        return tx.executeRead(status -> {
            try (Statement s = status.getConnection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT ticket, s.ref FROM node_match m JOIN signal s ON s.id = m.signal_id"
                         + " WHERE m.counterpart_node = 'oost' LIMIT 1")) {
                rs.next();
                return rs.getString(1) + " " + rs.getString(2);
            }
        });
    }

    @Test
    void contacts_withForgedAlteredOrForeignTicket_areRefused() {
        String child = Youths.bsn();
        String atNoord = register("noord", Youths.registration(child));
        register("oost", Youths.registration(child));
        assertEquals(1, matchesOf("noord", atNoord, 1).size());
        String[] ticketAndRef = ticketAt("noord").split(" ");
        String ticket = ticketAndRef[0];
        String ref = ticketAndRef[1];
        NodeHarness oost = NODES.get("oost");
        String noordToken = NODES.get("noord").bean(NodeTokens.class).forCall("oost");

        assertEquals(200, ask(oost, noordToken, ticket, ref).status(), "the real ticket works");
        assertEquals(401, ask(oost, null, ticket, ref).status(), "no node token");

        String[] parts = ticket.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String altered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace("\"type\":\"CHILD\"", "\"type\":\"FAMILY\"").getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        assertEquals(403, ask(oost, NODES.get("noord").bean(NodeTokens.class).forCall("oost"), altered, ref).status(),
                "an altered ticket");

        String forged = Es256TokenSigner.create(TokenKeyPair.generate("coordinator-1"), "betrokken-ticket+jwt")
                .sign(TokenClaims.builder().issuer("betrokken-coordinator").audience("betrokken-node").subject(
                                java.util.UUID.randomUUID().toString())
                        .issuedAt(java.time.Instant.now()).expiresAt(java.time.Instant.now().plusSeconds(600))
                        .claim(nl.betrokken.crypto.token.Claim.stringList("parties"),
                                List.of("noord:" + ref, "oost:" + ref))
                        .build());
        assertEquals(403, ask(oost, NODES.get("noord").bean(NodeTokens.class).forCall("oost"), forged, ref).status(),
                "a ticket signed by another key");

        String zuidToken = NODES.get("zuid").bean(NodeTokens.class).forCall("oost");
        assertEquals(403, ask(oost, zuidToken, ticket, ref).status(), "zuid is not a party to noord's match");
        assertEquals(403, ask(oost, NODES.get("noord").bean(NodeTokens.class).forCall("oost"), ticket, "s-other").status(),
                "a signal of the asker that the ticket does not name");
        String tokenForZuid = NODES.get("noord").bean(NodeTokens.class).forCall("zuid");
        assertEquals(401, ask(oost, tokenForZuid, ticket, ref).status(), "a token meant for another node");
    }

    /** A real ticket and ref of noord's, for a match with oost. */
    static String[] noordTicket() {
        String child = Youths.bsn();
        String atNoord = register("noord", Youths.registration(child));
        register("oost", Youths.registration(child));
        assertEquals(1, matchesOf("noord", atNoord, 1).size());
        return ticketAt("noord").split(" ");
    }

    /** noord's own token key, read from its data directory. */
    static TokenKeyPair noordKey() throws java.io.IOException {
        return TokenKeyPair.parsePrivate(nl.betrokken.crypto.keys.OwnerOnlyFile.read(
                NODES.get("noord").dataDir().resolve(nl.betrokken.node.keys.NodeKeys.TOKEN_KEY)));
    }

    /** A node token signed with {@code key}, claiming {@code issuer}, for {@code audience}. */
    static String nodeToken(TokenKeyPair key, String issuer, String audience, java.time.Duration lifetime) {
        java.time.Instant now = java.time.Instant.now();
        return Es256TokenSigner.create(key, nl.betrokken.node.keys.NodeKeys.TOKEN_TYPE).sign(TokenClaims.builder()
                .issuer(issuer).subject(issuer).audience(audience).jwtId(java.util.UUID.randomUUID().toString())
                .issuedAt(now).expiresAt(now.plus(lifetime)).build());
    }

    @Test
    void contacts_withANodeTokenUsedTwice_areRefusedTheSecondTime() {
        String[] ticketAndRef = noordTicket();
        String token = NODES.get("noord").bean(NodeTokens.class).forCall("oost");
        assertEquals(200, ask(NODES.get("oost"), token, ticketAndRef[0], ticketAndRef[1]).status());
        assertEquals(401, ask(NODES.get("oost"), token, ticketAndRef[0], ticketAndRef[1]).status(), "a replay");
    }

    @Test
    void contacts_withANodeTokenLivingLongerThanFiveMinutes_areRefused() throws Exception {
        String[] ticketAndRef = noordTicket();
        String longLived = nodeToken(noordKey(), "noord", "oost", java.time.Duration.ofHours(1));
        assertEquals(401, ask(NODES.get("oost"), longLived, ticketAndRef[0], ticketAndRef[1]).status());
        String fiveMinutes = nodeToken(noordKey(), "noord", "oost", java.time.Duration.ofMinutes(5));
        assertEquals(200, ask(NODES.get("oost"), fiveMinutes, ticketAndRef[0], ticketAndRef[1]).status());
    }

    /**
     * Node {@code noord-west}, enrolled with a key it named {@code noord-west-1} as nodes used to, signs a token that
     * says it comes from {@code noord}: the key belongs to noord-west, so it never passes for noord, whatever the key
     * id (it used to be checked as a prefix: {@code noord-west-1} starts with {@code noord-}).
     */
    @Test
    void contacts_withTheKeyOfANodeWhoseIdStartsWithTheAskersId_areRefused() throws Exception {
        String[] ticketAndRef = noordTicket();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("noord-west");
        TokenKeyPair west = TokenKeyPair.generate("noord-west-1");
        java.nio.file.Files.writeString(dir.resolve("node-public.jwks.json"),
                nl.betrokken.crypto.token.PublicKeySet.of(west.publicJwk()).toJson());
        coordinator.enrol("noord-west", dir);
        for (TokenKeyPair key : List.of(west, TokenKeyPair.parsePrivate(west.toPrivateJson()).withThumbprintKid())) {
            String posingAsNoord = nodeToken(key, "noord", "oost", java.time.Duration.ofMinutes(2));
            assertEquals(401, ask(NODES.get("oost"), posingAsNoord, ticketAndRef[0], ticketAndRef[1]).status(),
                    "noord-west's key " + key.kid() + " posing as noord");
        }
    }

    /**
     * A flood of junk tokens at a node leaves one audit entry per caller and minute with the count, not one per
     * call, so it never queues on the audit log's head lock.
     */
    @Test
    void floodOfJunkTokens_leavesOneAuditEntryPerCallerAndMinuteWithTheCount() throws Exception {
        NodeHarness zuid = NODES.get("zuid");
        int n = 100;
        for (int i = 0; i < n; i++) {
            assertEquals(401, ask(zuid, "junk." + i, "t", "r").status());
            assertEquals(401, ask(zuid, nodeToken(TokenKeyPair.generate(), "noord", "zuid",
                    java.time.Duration.ofMinutes(1)), "t", "r").status());
        }
        assertTrue(refusalEntries("zuid").size() <= 4,
                "refusals are counted in memory, not appended one by one: " + refusalEntries("zuid").size());
        zuid.bean(FederationRefusals.class).flushAll();
        List<String[]> entries = refusalEntries("zuid");
        assertTrue(entries.size() <= 4, "one entry per caller and minute: " + entries.size());
        Map<String, Long> perCaller = new HashMap<>();
        for (String[] e : entries) {
            perCaller.merge(e[0], NodeHarness.JSON.readTree(e[1]).get("count").asLong(), Long::sum);
        }
        assertEquals(Map.of("node:unknown", (long) n, "node:noord", (long) n), perCaller);
        // The auditor's report counts the refused calls, not the caller-minutes that hold them.
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        NodeHarness.Response report = zuid.call("GET", "/api/v1/audit/reports?from=" + today.minusDays(1) + "&to="
                + today.plusDays(1), null, "auditor");
        assertEquals(200, report.status(), String.valueOf(report.body()));
        assertTrue(report.body().get("refusedCalls").asLong() >= 2L * n, String.valueOf(report.body()));
    }

    static List<String[]> refusalEntries(String node) {
        return transactions(node).executeRead(status -> {
            List<String[]> out = new ArrayList<>();
            try (Statement s = status.getConnection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT actor, details FROM audit_entry WHERE kind = 'federation.refused'")) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            return out;
        });
    }

    static NodeHarness.Response ask(NodeHarness node, String token, String ticket, String ref) {
        Map<String, String> headers = token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
        return node.call("POST", "/federation/v1/contacts", Map.of("ticket", ticket, "ref", ref), null, headers);
    }

    @SuppressWarnings("unchecked")
    static TransactionOperations<Connection> transactions(String node) {
        return NODES.get(node).bean(TransactionOperations.class);
    }

    static long contactAccesses(String node) {
        return transactions(node).executeRead(status -> {
            try (Statement s = status.getConnection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM contact_access")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
