package nl.betrokken.node.exchange;

import static nl.betrokken.node.exchange.ExchangeFixtures.accesses;
import static nl.betrokken.node.exchange.ExchangeFixtures.count;
import static nl.betrokken.node.exchange.ExchangeFixtures.dump;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.exchange.ExchangeFixtures.Match;
import nl.betrokken.audit.AccessLogFile;
import nl.betrokken.audit.AccessLogVerifier;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.audit.NodeAudit;

/**
 * The Veilig Thuis exception across a real coordinator and two nodes (noord on H2, oost on PostgreSQL): a message with
 * a reason instead of consent is delivered node to node on the match ticket, stored sealed at both nodes (no
 * plaintext in the table), read by the counterpart (logged), and its audit entries stay out of the parent's access log
 * until the gemeente of each node releases the exchange; then the parent sees them with their purpose. Refusals of
 * bad input name the field and store nothing; a professional of another match is not told the match exists.
 */
class VeiligThuisExchangeTest {

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

    @Test
    void exception_isDeliveredSealedAtRestAndHeldUntilTheGemeenteReleasesIt() throws Exception {
        Match m = match();
        String text = "Vader dreigt; school ziet blauwe plekken " + UUID.randomUUID();
        String reason = "Vragen zou het kind in gevaar brengen " + UUID.randomUUID();
        byte[] file = ("verslag " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        NodeHarness.Response sent = noord.call("POST", "/api/v1/matches/" + m.id() + "/messages", Map.of("text", text,
                "file", Map.of("name", "verslag.txt", "contentType", "text/plain",
                        "content", Base64.getEncoder().encodeToString(file)),
                "exception", Map.of("reason", reason)), "prof-a");
        assertEquals(201, sent.status(), String.valueOf(sent.body()));
        assertTrue(sent.body().get("exception").asBoolean());
        assertFalse(sent.body().hasNonNull("consentId"));
        String messageId = sent.body().get("id").asText();

        JsonNode received = oost.call("GET", "/api/v1/matches/" + m.id() + "/messages", null, "prof-a").body();
        assertEquals(1, received.get("items").size(), received.toString());
        JsonNode message = received.get("items").get(0);
        assertEquals(messageId, message.get("id").asText());
        assertEquals("RECEIVED", message.get("direction").asText());
        assertEquals(text, message.get("text").asText());
        assertEquals("noord-org-a", message.get("from").get("organisation").asText());
        assertTrue(message.get("exception").asBoolean());
        assertEquals(reason, message.get("exceptionReason").asText(), "both nodes keep the reason");
        assertEquals("verslag.txt", message.get("file").get("name").asText());
        assertEquals(file.length, message.get("file").get("size").asInt());
        assertArrayEquals(file, fileOf(oost, m.id(), messageId));

        JsonNode own = noord.call("GET", "/api/v1/matches/" + m.id() + "/messages", null, "prof-a").body();
        assertEquals("SENT", own.get("items").get(0).get("direction").asText());
        assertEquals(reason, own.get("items").get(0).get("exceptionReason").asText());

        // Sealed at rest: nothing said is in the table in plaintext, at either node.
        for (NodeHarness node : List.of(noord, oost)) {
            String rows = dump(node, "exchange_message");
            assertTrue(rows.contains(messageId), "the row is there at " + node.nodeId());
            for (String secret : List.of(text, reason, new String(file, StandardCharsets.UTF_8), "verslag.txt",
                    "noord-org-a", "text/plain")) {
                assertFalse(rows.contains(secret), secret + " in plaintext at " + node.nodeId());
            }
        }
        assertEquals(1, count(oost, "SELECT count(*) FROM notification WHERE kind = 'MESSAGE_RECEIVED' AND match_id = ?",
                UUID.fromString(m.id())), "oost's professional is told");

        // Held: the parent does not see the exchange at either node until that node's gemeente releases it.
        assertFalse(accesses(noord, m.mother(), m.atNoord()).stream().anyMatch(a -> a.startsWith("exchange.")));
        assertFalse(accesses(oost, m.mother(), m.atOost()).stream().anyMatch(a -> a.startsWith("exchange.")));
        for (NodeHarness node : List.of(noord, oost)) {
            String reference = node.bean(NodeAudit.class).exchange(UUID.fromString(messageId));
            JsonNode held = node.call("GET", "/api/v1/audit/held", null, "gemeente").body().get("items");
            List<String> references = new ArrayList<>();
            held.forEach(h -> references.add(h.get("reference").asText()));
            assertTrue(references.contains(reference), node.nodeId() + " holds " + references);
            assertEquals(403, node.call("POST", "/api/v1/audit/held/" + reference + "/release", null, "prof-a").status());
            NodeHarness.Response released = node.call("POST", "/api/v1/audit/held/" + reference + "/release", null,
                    "gemeente");
            assertEquals(200, released.status(), String.valueOf(released.body()));
            assertTrue(released.body().get("entries").asInt() >= 1, String.valueOf(released.body()));
        }
        List<String> atNoord = accesses(noord, m.mother(), m.atNoord());
        assertTrue(atNoord.containsAll(List.of("exchange.sent", "exchange.read", "audit.released")), atNoord.toString());
        List<String> atOost = accesses(oost, m.mother(), m.atOost());
        assertTrue(atOost.containsAll(List.of("exchange.received", "exchange.read", "audit.released")), atOost.toString());
        assertFalse(atOost.stream().anyMatch(a -> a.startsWith("exchange.") && a.endsWith("(no purpose)")), atOost.toString());

        // The access-log file proves that the exchange's entries were in the log while they were held back.
        AccessLogFile log = accessLog(noord, m.mother());
        Path keys = java.nio.file.Files.createTempFile("keys", ".json");
        java.nio.file.Files.writeString(keys, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                federation.coordinatorUrl() + "/.well-known/betrokken-audit-keys.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        AccessLogVerifier.Report report = AccessLogVerifier.verify(log, AccessLogFile.PublishedKeys.read(keys));
        List<String> proven = new ArrayList<>();
        log.logs().stream().flatMap(l -> l.signals().stream()).flatMap(s -> s.entries().stream())
                .filter(e -> e.proof() != null && e.proof().released() != null).forEach(e -> proven.add(e.action()));
        assertTrue(proven.containsAll(List.of("exchange.sent", "exchange.read")), proven.toString());
        assertEquals(proven.size(), report.releasedProven());
    }

    /** The access-log file of {@code bsn}, downloaded at {@code node}. */
    static AccessLogFile accessLog(NodeHarness node, String bsn) throws Exception {
        NodeHarness.Response token = node.call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + node.port() + "/api/v1/citizen/access-log"))
                .timeout(java.time.Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token.body().get("access_token").asText()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return AccessLogFile.parse(r.body());
    }

    @Test
    void fiveMegabyteFile_isAcceptedAndOneByteMoreIsRefusedNamingTheField() {
        Match m = match();
        byte[] big = new byte[5 * 1024 * 1024];
        new java.util.Random(1).nextBytes(big);
        NodeHarness.Response sent = noord.call("POST", "/api/v1/matches/" + m.id() + "/messages", Map.of("text", "bijlage",
                "file", Map.of("name", "scan.pdf", "contentType", "application/pdf",
                        "content", Base64.getEncoder().encodeToString(big)),
                "exception", Map.of("reason", "Meldcode stap 5")), "prof-a");
        assertEquals(201, sent.status(), String.valueOf(sent.body()));
        assertArrayEquals(big, fileOf(oost, m.id(), sent.body().get("id").asText()));

        byte[] tooBig = new byte[5 * 1024 * 1024 + 1];
        NodeHarness.Response refused = noord.call("POST", "/api/v1/matches/" + m.id() + "/messages", Map.of(
                "text", "bijlage", "file", Map.of("name", "scan.pdf", "contentType", "application/pdf",
                        "content", Base64.getEncoder().encodeToString(tooBig)),
                "exception", Map.of("reason", "Meldcode stap 5")), "prof-a");
        assertEquals(400, refused.status(), String.valueOf(refused.body()));
        assertEquals("file.content", refused.body().get("violations").get(0).get("field").asText());
        assertEquals(1, count(oost, "SELECT count(*) FROM exchange_message WHERE match_id = ?", UUID.fromString(m.id())));
    }

    @Test
    void badInput_isRefusedNamingTheFieldAndStoresNothing() {
        Match m = match();
        String path = "/api/v1/matches/" + m.id() + "/messages";
        Map<String, Object> reason = Map.of("reason", "Meldcode");
        List<Object[]> cases = List.of(
                new Object[] {Map.of("text", "", "exception", reason), "text"},
                new Object[] {Map.of("text", "x".repeat(10_001), "exception", reason), "text"},
                new Object[] {Map.of("exception", reason), "text"},
                new Object[] {Map.of("text", "x", "exception", Map.of("reason", "")), "exception.reason"},
                new Object[] {Map.of("text", "x", "exception", Map.of("reason", "r".repeat(501))), "exception.reason"},
                new Object[] {Map.of("text", "x", "exception", reason, "file", Map.of("name", "a", "contentType",
                        "text/plain", "content", "!!not base64!!")), "file.content"});
        for (Object[] c : cases) {
            NodeHarness.Response r = noord.call("POST", path, c[0], "prof-a");
            assertEquals(400, r.status(), c[1] + ": " + r.body());
            assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
            List<String> fields = new ArrayList<>();
            r.body().get("violations").forEach(v -> fields.add(v.get("field").asText()));
            assertTrue(fields.contains(c[1]), c[1] + " not in " + fields);
        }
        assertEquals(0, count(noord, "SELECT count(*) FROM exchange_message WHERE match_id = ?", UUID.fromString(m.id())));
        assertEquals(0, count(oost, "SELECT count(*) FROM exchange_message WHERE match_id = ?", UUID.fromString(m.id())));

        // Another organisation's professional, and a match that does not exist: not found, nothing told.
        assertEquals(404, noord.call("POST", path, Map.of("text", "x", "exception", reason), "prof-b").status());
        assertEquals(404, noord.call("GET", path, null, "prof-b").status());
        assertEquals(404, noord.call("POST", "/api/v1/matches/" + UUID.randomUUID() + "/messages",
                Map.of("text", "x", "exception", reason), "prof-a").status());
        assertEquals(403, noord.call("GET", path, null, "gemeente").status(), "professionals only");
    }

    /** The file of a message as its professional downloads it. */
    static byte[] fileOf(NodeHarness node, String matchId, String messageId) {
        try {
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + node.port() + "/api/v1/matches/" + matchId + "/messages/" + messageId
                                    + "/file"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (node.nodeId() + "-prof-a:demo").getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            return r.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
