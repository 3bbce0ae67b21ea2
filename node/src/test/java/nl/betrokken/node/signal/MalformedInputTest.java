package nl.betrokken.node.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;

import nl.betrokken.node.ClockFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.micronaut.transaction.TransactionOperations;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;

/**
 * Bad input never reaches storage half-way: every body of the corpus (malformed JSON, wrong types, missing,
 * oversized and out-of-range values) is answered 4xx as application/problem+json naming a field, and afterwards the
 * node holds exactly as many signals, parents and outbox messages as before.
 */
class MalformedInputTest {

    static final String VALID_YOUTH = "{\"bsn\":\"111222333\",\"birthDate\":\"2014-05-01\",\"name\":\"Testkind\"}";
    static final String INFORMED = "{\"on\":\"" + LocalDate.now(ClockFactory.ZONE) + "\"}";

    static String body(String youth, String parents, String ground, String informed) {
        return "{\"youth\":" + youth + ",\"parents\":" + parents + ",\"ground\":" + ground
                + ",\"parentsInformed\":" + informed + "}";
    }

    /** Each case: a description, the body, and the field the refusal must name. */
    record Case(String desc, String body, String field) {
    }

    static List<Case> corpus() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("empty body", "", "body"));
        c.add(new Case("not JSON", "youth=123", "body"));
        c.add(new Case("truncated JSON", "{\"youth\": {\"bsn\": \"1112", "bsn"));
        c.add(new Case("JSON array", "[]", "body"));
        c.add(new Case("no youth", "{\"ground\":\"c\",\"parentsInformed\":" + INFORMED + "}", "youth"));
        // The decoder does not say where an object stands for a string or a list: these name the body.
        c.add(new Case("youth is a string", body("\"111222333\"", "[]", "\"c\"", INFORMED), "body"));
        c.add(new Case("bsn of 8 digits", body("{\"bsn\":\"11122233\",\"birthDate\":\"2014-05-01\",\"name\":\"X\"}",
                "[]", "\"c\"", INFORMED), "youth.bsn"));
        c.add(new Case("bsn with letters", body("{\"bsn\":\"11122233a\",\"birthDate\":\"2014-05-01\",\"name\":\"X\"}",
                "[]", "\"c\"", INFORMED), "youth.bsn"));
        c.add(new Case("bsn failing the elfproef", body("{\"bsn\":\"123456789\",\"birthDate\":\"2014-05-01\",\"name\":\"X\"}",
                "[]", "\"c\"", INFORMED), "youth.bsn"));
        c.add(new Case("bsn of zeros", body("{\"bsn\":\"000000000\",\"birthDate\":\"2014-05-01\",\"name\":\"X\"}",
                "[]", "\"c\"", INFORMED), "youth.bsn"));
        c.add(new Case("birth date not a date", body("{\"bsn\":\"111222333\",\"birthDate\":\"01-05-2014\",\"name\":\"X\"}",
                "[]", "\"c\"", INFORMED), "birthDate"));
        c.add(new Case("birth date 31 February", body("{\"bsn\":\"111222333\",\"birthDate\":\"2014-02-31\",\"name\":\"X\"}",
                "[]", "\"c\"", INFORMED), "birthDate"));
        c.add(new Case("born in 1900", body("{\"bsn\":\"111222333\",\"birthDate\":\"1900-01-01\",\"name\":\"X\"}",
                "[]", "\"c\"", INFORMED), "youth.birthDate"));
        c.add(new Case("name empty", body("{\"bsn\":\"111222333\",\"birthDate\":\"2014-05-01\",\"name\":\"\"}",
                "[]", "\"c\"", INFORMED), "youth.name"));
        c.add(new Case("name of 10,000 characters", body("{\"bsn\":\"111222333\",\"birthDate\":\"2014-05-01\",\"name\":\""
                + "x".repeat(10_000) + "\"}", "[]", "\"c\"", INFORMED), "youth.name"));
        c.add(new Case("ground missing", "{\"youth\":" + VALID_YOUTH + ",\"parents\":[],\"parentsInformed\":" + INFORMED
                + "}", "ground"));
        c.add(new Case("ground m", body(VALID_YOUTH, "[]", "\"m\"", INFORMED), "ground"));
        c.add(new Case("ground upper case", body(VALID_YOUTH, "[]", "\"C\"", INFORMED), "ground"));
        c.add(new Case("ground a number", body(VALID_YOUTH, "[]", "3", INFORMED), "ground"));
        c.add(new Case("parents an object", body(VALID_YOUTH, "{\"bsn\":\"111222333\"}", "\"c\"", INFORMED), "body"));
        c.add(new Case("bsn a number with a leading zero lost", body("{\"bsn\":12345674,\"birthDate\":\"2014-05-01\","
                + "\"name\":\"X\"}", "[]", "\"c\"", INFORMED), "youth.bsn"));
        c.add(new Case("five parents", body(VALID_YOUTH, "[{\"bsn\":\"123456782\"},{\"bsn\":\"100000009\"},"
                + "{\"bsn\":\"999999990\"},{\"bsn\":\"111222333\"},{\"bsn\":\"123456782\"}]", "\"c\"", INFORMED), "parents"));
        c.add(new Case("parent without bsn", body(VALID_YOUTH, "[{}]", "\"c\"", INFORMED), "parents[0].bsn"));
        c.add(new Case("parent failing the elfproef", body(VALID_YOUTH, "[{\"bsn\":\"123456789\"}]", "\"c\"", INFORMED),
                "parents[0].bsn"));
        c.add(new Case("parent is the youth", body(VALID_YOUTH, "[{\"bsn\":\"111222333\"}]", "\"c\"", INFORMED),
                "parents[0].bsn"));
        c.add(new Case("parentsInformed missing", "{\"youth\":" + VALID_YOUTH + ",\"parents\":[],\"ground\":\"c\"}",
                "parentsInformed"));
        c.add(new Case("parentsInformed empty", body(VALID_YOUTH, "[]", "\"c\"", "{}"), "parentsInformed"));
        c.add(new Case("informed in the future", body(VALID_YOUTH, "[]", "\"c\"",
                "{\"on\":\"" + LocalDate.now(ClockFactory.ZONE).plusYears(1) + "\"}"), "parentsInformed.on"));
        c.add(new Case("reason empty", body(VALID_YOUTH, "[]", "\"c\"", "{\"notInformedReason\":\"\"}"),
                "parentsInformed.notInformedReason"));
        c.add(new Case("oversized body", body(VALID_YOUTH, "[]", "\"c\"", "{\"notInformedReason\":\""
                + "x".repeat(9_000_000) + "\"}"), "body"));
        return c;
    }

    static long count(NodeHarness node, String table) {
        @SuppressWarnings("unchecked")
        TransactionOperations<java.sql.Connection> tx = node.bean(TransactionOperations.class);
        return tx.executeRead(status -> {
            try (var s = status.getConnection().createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void corpus_everyBadBody_isRefusedNamingAFieldAndStoresNothing(Db db) {
        NodeHarness node = SignalTest.node(db);
        long signals = count(node, "signal");
        long parents = count(node, "signal_parent");
        long outbox = count(node, "outbox");
        List<String> failures = new ArrayList<>();
        for (Case c : corpus()) {
            NodeHarness.Response r = node.call("POST", "/api/v1/signals", c.body(), "prof-a");
            if (r.status() < 400 || r.status() >= 500) {
                failures.add(c.desc() + ": status " + r.status());
                continue;
            }
            if (!r.contentType().startsWith("application/problem+json")) {
                failures.add(c.desc() + ": content type " + r.contentType());
                continue;
            }
            List<String> fields = new ArrayList<>();
            JsonNode violations = r.body().get("violations");
            if (violations != null) {
                violations.forEach(v -> fields.add(v.get("field").asText()));
            }
            if (r.status() != 413 && !fields.contains(c.field())) {
                failures.add(c.desc() + ": named " + fields + ", not " + c.field());
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(signals, count(node, "signal"));
        assertEquals(parents, count(node, "signal_parent"));
        assertEquals(outbox, count(node, "outbox"));
        assertTrue(corpus().size() >= 30, "the corpus has " + corpus().size() + " cases");
    }

    /** An id in the path that is no UUID is a 400 naming that parameter, whatever the body (none, or a good one). */
    @ParameterizedTest
    @EnumSource(Db.class)
    void pathIdThatIsNoUuid_isRefusedNamingTheParameter(Db db) {
        NodeHarness node = SignalTest.node(db);
        List<String> failures = new ArrayList<>();
        for (String[] call : List.of(new String[] {"GET", "/api/v1/signals/geen-id", "id"},
                new String[] {"POST", "/api/v1/signals/geen-id/end", "id"},
                new String[] {"GET", "/api/v1/matches/geen-id/messages", "matchId"},
                new String[] {"POST", "/api/v1/matches/geen-id/messages", "matchId"},
                new String[] {"PUT", "/api/v1/matches/geen-id/follow-up", "matchId"})) {
            Object body = call[0].equals("GET") ? null : Map.of("text", "x", "reason", "x", "outcome", "CONTACT_MADE");
            NodeHarness.Response r = node.call(call[0], call[1], body, "prof-a");
            JsonNode violations = r.body() == null ? null : r.body().get("violations");
            String named = violations == null || violations.isEmpty() ? null : violations.get(0).get("field").asText();
            if (r.status() != 400 || !call[2].equals(named)) {
                failures.add(call[0] + " " + call[1] + ": " + r.status() + " " + r.body());
            }
        }
        assertEquals(List.of(), failures);
    }

    /**
     * Only a message to a match may be longer than 64 KB (exchange/BodyLimit): any other body, signed in or not, is a
     * 413 problem+json before it is read; a long message body gets through to its own checks (400 naming text).
     */
    @ParameterizedTest
    @EnumSource(Db.class)
    void bodiesOver64Kb_areRefused_butAMessageMayBeLonger(Db db) throws Exception {
        NodeHarness node = SignalTest.node(db);
        String text = "x".repeat(100_000);
        for (String[] call : List.of(new String[] {"/api/v1/signals", "prof-a"}, new String[] {"/dev/idp/token", null},
                new String[] {"/federation/v1/contacts", null})) {
            NodeHarness.Response r = node.call("POST", call[0], Map.of("reason", text), call[1]);
            assertEquals(413, r.status(), call[0] + ": " + r.body());
            assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
            assertEquals("body", r.body().get("violations").get(0).get("field").asText());
        }
        // A body sent in chunks, without its length, is refused as well.
        java.net.http.HttpResponse<String> chunked = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + node.port()
                                + "/dev/idp/token")).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() ->
                                new java.io.ByteArrayInputStream("{\"bsn\":\"111222333\"}".getBytes()))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        NodeHarness.Response message = node.call("POST", "/api/v1/matches/" + java.util.UUID.randomUUID()
                + "/messages", Map.of("text", text), "prof-a");
        assertEquals(400, message.status(), String.valueOf(message.body()));
        assertEquals("text", message.body().get("violations").get(0).get("field").asText(), message.body().toString());
    }

    /**
     * The werkplek's message form (multipart, exchange/BodyLimit) with a body over the node's request limit (8 MB) is
     * sent back to the match page with the error at the file field (303 to {@code ?bestand=te-groot}), not left without
     * an answer or given a bare 413; one under the limit is read (here: no session, so the sign-in page).
     */
    @Test
    void werkplekBerichtOverDeLimiet_terugNaarDeMatchpagina() throws Exception {
        NodeHarness node = SignalTest.node(Db.H2);
        String match = java.util.UUID.randomUUID().toString();
        for (int size : new int[] {6 * 1024 * 1024, 9 * 1024 * 1024}) {
            byte[] head = ("--grens\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"a.pdf\"\r\n"
                    + "Content-Type: application/pdf\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] tail = "\r\n--grens--\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] body = new byte[head.length + size + tail.length];
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(tail, 0, body, head.length + size, tail.length);
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + node.port()
                                    + "/werkplek/matches/" + match + "/berichten"))
                            .timeout(java.time.Duration.ofSeconds(30))
                            .header("Content-Type", "multipart/form-data; boundary=grens")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(303, r.statusCode(), size + ": " + r.body());
            assertEquals(size > 8 * 1024 * 1024 ? "/werkplek/matches/" + match + "?bestand=te-groot#berichten"
                    : "/werkplek/inloggen", r.headers().firstValue("Location").orElse(""), String.valueOf(size));
        }
    }
}
