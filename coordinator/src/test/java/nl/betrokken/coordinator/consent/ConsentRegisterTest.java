package nl.betrokken.coordinator.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.coordinator.retention.RetentionService;
import nl.betrokken.crypto.token.Claim;
import nl.betrokken.crypto.token.Es256TokenVerifier;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.VerifiedToken;

/** The consent register's internal API, on H2 and PostgreSQL. */
public class ConsentRegisterTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

    /** A CHILD match between noord's n-1 and oost's o-1 (or a FAMILY match of two siblings). */
    private record Pair(Harness h, TestNode noord, TestNode oost, String matchId) {
    }

    private static Pair childMatch(Harness h) {
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        String child = People.bsn();
        assertEquals(200, noord.submit(List.of(People.record("n-1", "org", child))).status());
        assertEquals(200, oost.submit(List.of(People.record("o-1", "org", child))).status());
        return new Pair(h, noord, oost, noord.created().get(0).get("matchId").asText());
    }

    private static Pair familyMatch(Harness h) {
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        String parent = People.bsn();
        assertEquals(200, noord.submit(List.of(People.record("n-1", "org", People.bsn(), parent))).status());
        assertEquals(200, oost.submit(List.of(People.record("o-1", "org", People.bsn(), parent))).status());
        JsonNode created = noord.created().get(0);
        assertEquals("FAMILY", created.get("type").asText());
        return new Pair(h, noord, oost, created.get("matchId").asText());
    }

    public static String hash(String purpose) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(purpose.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, Object> registration(UUID id, String matchId, String purposeHash,
                                                    List<Map<String, String>> parts) {
        return Map.of("id", id.toString(), "matchId", matchId, "purposeHash", purposeHash, "parts", parts);
    }

    private static Map<String, String> part(TestNode node, String ref) {
        return Map.of("node", node.id(), "ref", ref);
    }

    private static Map<String, Object> answer(String ref, String status, List<String> roles, LocalDate validUntil) {
        Map<String, Object> a = new HashMap<>();
        a.put("ref", ref);
        a.put("status", status);
        a.put("roles", roles);
        a.put("validUntil", validUntil == null ? null : validUntil.toString());
        return a;
    }

    private static Harness.Response post(TestNode node, String path, Object body) {
        return node.harness().call("POST", path, body, node.token());
    }

    private static Harness.Response get(TestNode node, String path) {
        return node.harness().call("GET", path, null, node.token());
    }

    private static void assertProblem(int status, String typeEnd, Harness.Response r) {
        assertEquals(status, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertTrue(r.body().get("type").asText().endsWith("/" + typeEnd), String.valueOf(r.body()));
    }

    private static VerifiedToken verify(Harness h, String token) throws Exception {
        JsonNode jwks = h.call("GET", "/.well-known/jwks.json", null, null).body();
        return Es256TokenVerifier.builder().trustedKeys(PublicKeySet.parse(jwks.toString()))
                .expectedAudience("betrokken-node").expectedIssuer("betrokken-coordinator")
                .expectedType("betrokken-consent+jwt").clock(h.clock()).build().verify(token);
    }

    private static List<JsonNode> consentEnded(TestNode node) {
        return node.allEntries().stream().filter(e -> "CONSENT_ENDED".equals(e.get("kind").asText())).toList();
    }

    private static List<String> auditKinds(Harness h, UUID id) throws Exception {
        List<String> kinds = new ArrayList<>();
        try (var c = h.connect(); var s = c.prepareStatement(
                "SELECT kind FROM audit_entry WHERE subject = ? ORDER BY idx")) {
            s.setString(1, "consent:" + id);
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    kinds.add(rs.getString(1));
                }
            }
        }
        return kinds;
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void childMatch_askedGrantedUsedWithdrawn_withATokenThatVerifies(Db db) throws Exception {
        Harness h = Harness.shared(db);
        Pair m = childMatch(h);
        TestNode west = h.enrol("west");
        UUID id = UUID.randomUUID();
        String purpose = hash("Afstemmen van de hulp aan het gezin");
        Map<String, Object> body = registration(id, m.matchId(), purpose, List.of(part(m.noord(), "n-1")));

        Harness.Response registered = post(m.noord(), "/internal/v1/consents", body);
        assertEquals(201, registered.status(), String.valueOf(registered.body()));
        assertEquals(id.toString(), registered.body().get("id").asText());
        assertEquals("PENDING", registered.body().get("status").asText());
        Harness.Response again = post(m.noord(), "/internal/v1/consents", body);
        assertEquals(201, again.status(), "the same request again: the same answer");
        assertEquals(registered.body(), again.body());
        assertProblem(409, "consent-id-taken", post(m.noord(), "/internal/v1/consents",
                registration(id, m.matchId(), hash("iets anders"), List.of(part(m.noord(), "n-1")))));
        assertProblem(409, "consent-exists", post(m.noord(), "/internal/v1/consents",
                registration(UUID.randomUUID(), m.matchId(), purpose, List.of(part(m.noord(), "n-1")))));

        JsonNode pending = get(m.oost(), "/internal/v1/consents/" + id).body();
        assertEquals("PENDING", pending.get("status").asText());
        assertEquals(m.noord().id(), pending.get("homeNode").asText());
        assertEquals(m.matchId(), pending.get("matchId").asText());
        assertFalse(pending.has("token") && !pending.get("token").isNull(), "no token while pending");
        assertProblem(404, "consent-not-found", get(west, "/internal/v1/consents/" + id));
        assertProblem(409, "consent-pending", post(m.oost(), "/internal/v1/consents/" + id + "/use",
                Map.of("ref", "o-1")));

        assertProblem(400, "invalid-field", post(m.oost(), "/internal/v1/consents/" + id + "/parts/answer",
                answer("o-1", "GRANTED", List.of("PARENT"), null)));
        Harness.Response granted = post(m.noord(), "/internal/v1/consents/" + id + "/parts/answer",
                answer("n-1", "GRANTED", List.of("PARENT"), null));
        assertEquals(200, granted.status(), String.valueOf(granted.body()));
        assertEquals("GRANTED", granted.body().get("status").asText());
        assertEquals(200, post(m.noord(), "/internal/v1/consents/" + id + "/parts/answer",
                answer("n-1", "GRANTED", List.of("PARENT"), null)).status(), "a retried answer");

        VerifiedToken token = verify(h, granted.body().get("token").asText());
        assertEquals(m.matchId(), token.claims().subject());
        assertEquals(id.toString(), token.claims().jwtId());
        assertEquals(List.of(m.noord().id() + ":n-1", m.oost().id() + ":o-1").stream().sorted().toList(),
                token.claims().require(ConsentTokens.PARTIES));
        assertEquals(purpose, token.claims().require(Claim.string("purpose")));
        assertEquals(List.of(m.noord().id() + ":n-1:PARENT"), token.claims().require(Claim.stringList("consented")));
        assertEquals(Duration.ofDays(30), Duration.between(token.claims().issuedAt(), token.claims().expiresAt()));

        JsonNode ofMatch = get(m.oost(), "/internal/v1/matches/" + m.matchId() + "/consent").body();
        assertEquals(id.toString(), ofMatch.get("id").asText());
        assertEquals("GRANTED", ofMatch.get("status").asText());
        assertEquals("PARENT", ofMatch.get("parts").get(0).get("roles").get(0).asText());
        verify(h, ofMatch.get("token").asText());
        assertProblem(404, "consent-not-found", get(west, "/internal/v1/matches/" + m.matchId() + "/consent"));

        Harness.Response used = post(m.oost(), "/internal/v1/consents/" + id + "/use", Map.of("ref", "o-1"));
        assertEquals(200, used.status(), String.valueOf(used.body()));
        assertEquals("GRANTED", used.body().get("status").asText());
        assertProblem(400, "invalid-field", post(m.oost(), "/internal/v1/consents/" + id + "/use", Map.of("ref", "n-1")));

        Harness.Response withdrawn = post(m.oost(), "/internal/v1/consents/" + id + "/withdraw", null);
        assertEquals(200, withdrawn.status(), String.valueOf(withdrawn.body()));
        assertEquals("WITHDRAWN", withdrawn.body().get("status").asText());
        assertEquals("WITHDRAWN", withdrawn.body().get("endedReason").asText());
        assertEquals(200, post(m.noord(), "/internal/v1/consents/" + id + "/withdraw", null).status(), "idempotent");
        assertProblem(409, "consent-withdrawn", post(m.oost(), "/internal/v1/consents/" + id + "/use",
                Map.of("ref", "o-1")));
        assertProblem(404, "consent-not-found", post(west, "/internal/v1/consents/" + id + "/withdraw", null));

        for (TestNode node : List.of(m.noord(), m.oost())) {
            List<JsonNode> ended = consentEnded(node);
            assertEquals(1, ended.size(), "one entry per signal, a repeated withdrawal adds none");
            assertEquals(id.toString(), ended.get(0).get("consentId").asText());
            assertEquals("WITHDRAWN", ended.get(0).get("reason").asText());
            assertEquals(m.matchId(), ended.get(0).get("matchId").asText());
            assertFalse(ended.get(0).has("ticket"));
        }
        assertEquals(List.of("consent.registered", "consent.use-refused", "consent.answered", "consent.granted",
                "consent.used", "consent.withdrawn", "consent.use-refused"), auditKinds(h, id));
        assertEquals(1, h.queryLong("SELECT uses FROM consent WHERE id = '" + id + "'"));

        // A new request after the withdrawal is allowed.
        assertEquals(201, post(m.noord(), "/internal/v1/consents",
                registration(UUID.randomUUID(), m.matchId(), purpose, List.of(part(m.noord(), "n-1")))).status());
        JsonNode stats = h.call("GET", "/api/v1/stats?from=" + LocalDate.now(h.clock()).minusDays(1) + "&to="
                        + LocalDate.now(h.clock()).plusDays(1), null,
                m.noord().token(b -> b.claim(Claim.string("role"), "gemeente"))).body();
        JsonNode counts = stats.get("consents").get(m.noord().id());
        assertEquals(2, counts.get("asked").asLong());
        assertEquals(1, counts.get("granted").asLong());
        assertEquals(1, counts.get("withdrawn").asLong());
        assertEquals(1, counts.get("uses").asLong());
        assertTrue(stats.has("matches"), "the old members stay");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void register_refusals(Db db) throws Exception {
        Harness h = Harness.shared(db);
        Pair m = childMatch(h);
        TestNode west = h.enrol("west");
        String purpose = hash("doel");
        assertProblem(404, "match-not-found", post(m.noord(), "/internal/v1/consents",
                registration(UUID.randomUUID(), UUID.randomUUID().toString(), purpose, List.of(part(m.noord(), "n-1")))));
        assertProblem(404, "match-not-found", post(west, "/internal/v1/consents",
                registration(UUID.randomUUID(), m.matchId(), purpose, List.of(part(m.noord(), "n-1")))));
        Harness.Response notOfMatch = post(m.noord(), "/internal/v1/consents",
                registration(UUID.randomUUID(), m.matchId(), purpose, List.of(part(m.noord(), "n-2"))));
        assertProblem(400, "invalid-field", notOfMatch);
        assertEquals("parts[0]", notOfMatch.body().get("violations").get(0).get("field").asText());
        assertProblem(400, "invalid-field", post(m.noord(), "/internal/v1/consents",
                registration(UUID.randomUUID(), m.matchId(), purpose, List.of(part(m.oost(), "o-1")))));
        assertProblem(400, "invalid-field", post(m.noord(), "/internal/v1/consents",
                registration(UUID.randomUUID(), m.matchId(), purpose,
                        List.of(part(m.noord(), "n-1"), part(m.oost(), "o-1")))));
        Harness.Response badHash = post(m.noord(), "/internal/v1/consents",
                registration(UUID.randomUUID(), m.matchId(), "not a hash", List.of(part(m.noord(), "n-1"))));
        assertEquals(400, badHash.status());
        assertTrue(badHash.body().toString().contains("purposeHash"), String.valueOf(badHash.body()));
        assertEquals(401, h.call("POST", "/internal/v1/consents",
                registration(UUID.randomUUID(), m.matchId(), purpose, List.of(part(m.noord(), "n-1"))), null).status());
        assertProblem(404, "consent-not-found", get(m.noord(), "/internal/v1/consents/" + UUID.randomUUID()));
        assertProblem(404, "consent-not-found", get(m.noord(), "/internal/v1/matches/" + m.matchId() + "/consent"));
        assertEquals(0, h.queryLong("SELECT count(*) FROM consent WHERE match_id = '" + m.matchId() + "'"));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void familyMatch_grantedWhenBothPartsAre_untilTheEarliestDate_andARefusalRefuses(Db db) throws Exception {
        Harness h = Harness.shared(db);
        Pair m = familyMatch(h);
        LocalDate today = LocalDate.now(h.clock());
        UUID id = UUID.randomUUID();
        String purpose = hash("Samen plannen");
        assertProblem(400, "invalid-field", post(m.noord(), "/internal/v1/consents",
                registration(id, m.matchId(), purpose, List.of(part(m.noord(), "n-1")))));
        assertEquals(201, post(m.noord(), "/internal/v1/consents",
                registration(id, m.matchId(), purpose, List.of(part(m.noord(), "n-1"), part(m.oost(), "o-1")))).status());

        assertProblem(400, "invalid-field", post(m.noord(), "/internal/v1/consents/" + id + "/parts/answer",
                answer("n-1", "GRANTED", List.of("PARENT"), today.minusDays(1))));
        Harness.Response first = post(m.noord(), "/internal/v1/consents/" + id + "/parts/answer",
                answer("n-1", "GRANTED", List.of("YOUTH", "PARENT"), today.plusDays(10)));
        assertEquals("PENDING", first.body().get("status").asText(), "one part of two");
        assertNull(first.body().get("token"));
        Harness.Response second = post(m.oost(), "/internal/v1/consents/" + id + "/parts/answer",
                answer("o-1", "GRANTED", List.of("YOUTH"), today.plusDays(5)));
        assertEquals("GRANTED", second.body().get("status").asText(), String.valueOf(second.body()));
        assertEquals(today.plusDays(5).toString(), second.body().get("validUntil").asText());
        VerifiedToken token = verify(h, second.body().get("token").asText());
        assertEquals(today.plusDays(5).atTime(LocalTime.of(23, 59, 59)).atZone(ZONE).toInstant(),
                token.claims().expiresAt());
        assertEquals(List.of(m.noord().id() + ":n-1:PARENT", m.noord().id() + ":n-1:YOUTH", m.oost().id() + ":o-1:YOUTH")
                .stream().sorted().toList(), token.claims().require(Claim.stringList("consented")));
        assertEquals(200, post(m.noord(), "/internal/v1/consents/" + id + "/use", Map.of("ref", "n-1")).status());
        assertEquals(200, post(m.oost(), "/internal/v1/consents/" + id + "/use", Map.of("ref", "o-1")).status());
        assertProblem(409, "consent-granted", post(m.oost(), "/internal/v1/consents/" + id + "/parts/answer",
                answer("o-1", "REFUSED", List.of("YOUTH"), null)));

        assertEquals(200, post(m.noord(), "/internal/v1/consents/" + id + "/withdraw", null).status());
        UUID refusedId = UUID.randomUUID();
        assertEquals(201, post(m.oost(), "/internal/v1/consents", registration(refusedId, m.matchId(), purpose,
                List.of(part(m.noord(), "n-1"), part(m.oost(), "o-1")))).status(), "either side may ask");
        Harness.Response refused = post(m.oost(), "/internal/v1/consents/" + refusedId + "/parts/answer",
                answer("o-1", "REFUSED", List.of("PARENT"), null));
        assertEquals("REFUSED", refused.body().get("status").asText());
        assertProblem(409, "consent-refused", post(m.noord(), "/internal/v1/consents/" + refusedId + "/parts/answer",
                answer("n-1", "GRANTED", List.of("PARENT"), null)));
        assertProblem(409, "consent-refused", post(m.noord(), "/internal/v1/consents/" + refusedId + "/use",
                Map.of("ref", "n-1")));
        assertProblem(409, "consent-refused", post(m.noord(), "/internal/v1/consents/" + refusedId + "/withdraw", null));
        JsonNode newest = get(m.noord(), "/internal/v1/matches/" + m.matchId() + "/consent").body();
        assertEquals(refusedId.toString(), newest.get("id").asText(), "the newest consent of the match");
        assertEquals(m.oost().id(), newest.get("homeNode").asText());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void expire_byAPartNode_tellsBothNodes_andTheChosenDatePassing_expiresIt(Db db) throws Exception {
        try (Harness h = Harness.fresh(db)) {
            Pair m = childMatch(h);
            String purpose = hash("doel");
            UUID id = UUID.randomUUID();
            assertEquals(201, post(m.noord(), "/internal/v1/consents",
                    registration(id, m.matchId(), purpose, List.of(part(m.noord(), "n-1")))).status());
            assertEquals(200, post(m.noord(), "/internal/v1/consents/" + id + "/parts/answer",
                    answer("n-1", "GRANTED", List.of("PARENT"), null)).status());
            assertProblem(403, "forbidden", post(m.oost(), "/internal/v1/consents/" + id + "/expire",
                    Map.of("reason", "AGE")));
            assertEquals(400, post(m.noord(), "/internal/v1/consents/" + id + "/expire",
                    Map.of("reason", "BORED")).status());
            Harness.Response expired = post(m.noord(), "/internal/v1/consents/" + id + "/expire", Map.of("reason", "AGE"));
            assertEquals(200, expired.status(), String.valueOf(expired.body()));
            assertEquals("EXPIRED", expired.body().get("status").asText());
            assertEquals("AGE", expired.body().get("endedReason").asText());
            assertEquals(200, post(m.noord(), "/internal/v1/consents/" + id + "/expire",
                    Map.of("reason", "AGE")).status(), "idempotent");
            assertProblem(409, "consent-expired", post(m.noord(), "/internal/v1/consents/" + id + "/withdraw", null));
            for (TestNode node : List.of(m.noord(), m.oost())) {
                List<JsonNode> ended = consentEnded(node);
                assertEquals(1, ended.size());
                assertEquals("AGE", ended.get(0).get("reason").asText());
            }

            // Asked again, granted until tomorrow; the day after tomorrow it is expired (DATE) and told.
            UUID again = UUID.randomUUID();
            assertEquals(201, post(m.noord(), "/internal/v1/consents",
                    registration(again, m.matchId(), purpose, List.of(part(m.noord(), "n-1")))).status());
            LocalDate tomorrow = LocalDate.now(h.clock()).plusDays(1);
            assertEquals(200, post(m.noord(), "/internal/v1/consents/" + again + "/parts/answer",
                    answer("n-1", "GRANTED", List.of("PARENT"), tomorrow)).status());
            assertEquals(200, post(m.oost(), "/internal/v1/consents/" + again + "/use", Map.of("ref", "o-1")).status());
            h.clock().advance(Duration.ofDays(2));
            Harness.Response late = post(m.oost(), "/internal/v1/consents/" + again + "/use", Map.of("ref", "o-1"));
            assertProblem(409, "consent-expired", late);
            JsonNode view = get(m.oost(), "/internal/v1/consents/" + again).body();
            assertEquals("EXPIRED", view.get("status").asText());
            assertEquals("DATE", view.get("endedReason").asText());
            assertEquals(2, consentEnded(m.oost()).size());
            assertEquals("DATE", consentEnded(m.oost()).get(1).get("reason").asText());
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aSignalEndedOrErased_endsItsConsents(Db db) throws Exception {
        Harness h = Harness.shared(db);
        String purpose = hash("doel");
        for (String how : List.of("end", "erase")) {
            Pair m = childMatch(h);
            UUID id = UUID.randomUUID();
            assertEquals(201, post(m.noord(), "/internal/v1/consents",
                    registration(id, m.matchId(), purpose, List.of(part(m.noord(), "n-1")))).status());
            assertEquals(200, post(m.noord(), "/internal/v1/consents/" + id + "/parts/answer",
                    answer("n-1", "GRANTED", List.of("PARENT"), null)).status());
            assertEquals(200, ("end".equals(how) ? m.oost().end("o-1", LocalDate.now(h.clock()))
                    : m.oost().erase("o-1")).status());
            assertEquals("EXPIRED", h.call("GET", "/internal/v1/consents/" + id, null, m.noord().token()).body()
                    .get("status").asText(), how);
            assertProblem(409, "consent-ended", post(m.noord(), "/internal/v1/consents/" + id + "/use",
                    Map.of("ref", "n-1")));
            JsonNode view = get(m.noord(), "/internal/v1/consents/" + id).body();
            assertEquals("SIGNAL_ENDED", view.get("endedReason").asText());
            assertTrue(auditKinds(h, id).contains("consent.expired"));
            assertProblem("end".equals(how) ? 409 : 404, "end".equals(how) ? "signal-not-active" : "match-not-found",
                    post(m.noord(), "/internal/v1/consents", registration(UUID.randomUUID(), m.matchId(), purpose,
                            List.of(part(m.noord(), "n-1")))));
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void retention_endsTheConsentsOfArchivedSignals_andDeletesThemFiveYearsOnWithTheirSignals(Db db) throws Exception {
        try (Harness h = Harness.fresh(db)) {
            Pair m = childMatch(h);
            UUID id = UUID.randomUUID();
            assertEquals(201, post(m.noord(), "/internal/v1/consents",
                    registration(id, m.matchId(), hash("doel"), List.of(part(m.noord(), "n-1")))).status());
            assertEquals(200, post(m.noord(), "/internal/v1/consents/" + id + "/parts/answer",
                    answer("n-1", "GRANTED", List.of("PARENT"), null)).status());
            RetentionService retention = h.bean(RetentionService.class);
            retention.run();
            String where = " FROM consent WHERE id = '" + id + "'";
            assertEquals(1, h.queryLong("SELECT count(*)" + where + " AND status = 'GRANTED'"));
            h.clock().advance(Duration.ofDays(2 * 366)); // past the signals' end: archived
            retention.run();
            assertEquals(1, h.queryLong("SELECT count(*)" + where + " AND status = 'EXPIRED'"
                    + " AND ended_reason = 'SIGNAL_ENDED'"));
            assertTrue(auditKinds(h, id).contains("consent.expired"));
            h.clock().advance(Duration.ofDays(5 * 366)); // the signals are deleted, and the consent with them
            retention.run();
            assertEquals(0, h.queryLong("SELECT count(*)" + where));
            assertEquals(0, h.queryLong("SELECT count(*) FROM consent_part WHERE consent_id = '" + id + "'"));
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void usesAndAWithdrawal_areSerialised(Db db) throws Exception {
        Harness h = Harness.shared(db);
        Pair m = childMatch(h);
        UUID id = UUID.randomUUID();
        assertEquals(201, post(m.noord(), "/internal/v1/consents",
                registration(id, m.matchId(), hash("doel"), List.of(part(m.noord(), "n-1")))).status());
        assertEquals(200, post(m.noord(), "/internal/v1/consents/" + id + "/parts/answer",
                answer("n-1", "GRANTED", List.of("PARENT"), null)).status());
        // Users keep using the consent until refused; the withdrawal comes once uses have begun to count.
        int users = 8;
        ExecutorService pool = Executors.newFixedThreadPool(users + 1);
        try {
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch someUsed = new CountDownLatch(3);
            List<Future<Integer>> uses = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                TestNode node = i % 2 == 0 ? m.oost() : m.noord();
                String ref = i % 2 == 0 ? "o-1" : "n-1";
                uses.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int k = 0; k < 500; k++) {
                        Harness.Response r = post(node, "/internal/v1/consents/" + id + "/use", Map.of("ref", ref));
                        if (r.status() != 200) {
                            assertProblem(409, "consent-withdrawn", r);
                            return ok;
                        }
                        ok++;
                        someUsed.countDown();
                    }
                    throw new AssertionError("never refused after the withdrawal");
                }));
            }
            Future<Harness.Response> withdrawal = pool.submit(() -> {
                start.await();
                someUsed.await();
                return post(m.noord(), "/internal/v1/consents/" + id + "/withdraw", null);
            });
            start.countDown();
            int ok = 0;
            for (Future<Integer> f : uses) {
                ok += f.get();
            }
            assertEquals(200, withdrawal.get().status());
            assertTrue(ok >= 3, "uses counted before the withdrawal: " + ok);
            assertEquals(ok, h.queryLong("SELECT uses FROM consent WHERE id = '" + id + "'"),
                    "every use answered 200 was counted, none other");
            // In the audit log's order (appended under the consent's lock): every use before the withdrawal, every
            // refused use after it.
            List<String> kinds = auditKinds(h, id);
            int withdrawnAt = kinds.indexOf("consent.withdrawn");
            assertTrue(withdrawnAt > 0);
            assertEquals(ok, kinds.subList(0, withdrawnAt).stream().filter("consent.used"::equals).count());
            assertFalse(kinds.subList(0, withdrawnAt).contains("consent.use-refused"));
            assertFalse(kinds.subList(withdrawnAt, kinds.size()).contains("consent.used"));
            assertEquals(users, kinds.subList(withdrawnAt, kinds.size()).stream()
                    .filter("consent.use-refused"::equals).count(), "each user refused once, after the withdrawal");
        } finally {
            pool.shutdownNow();
        }
    }
}
