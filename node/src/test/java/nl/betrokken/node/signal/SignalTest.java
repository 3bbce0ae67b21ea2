package nl.betrokken.node.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;

import nl.betrokken.node.ClockFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;
import nl.betrokken.node.Youths;

class SignalTest {

    static NodeHarness node(Db db) {
        return NodeHarness.shared(db);
    }

    static NodeHarness.Response register(NodeHarness node, Object body) {
        return node.call("POST", "/api/v1/signals", body, "prof-a");
    }

    static void assertRefusedNaming(NodeHarness.Response r, int status, String field) {
        assertEquals(status, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        List<String> fields = new ArrayList<>();
        r.body().get("violations").forEach(v -> fields.add(v.get("field").asText()));
        assertTrue(fields.contains(field), "violations " + fields + " should name " + field);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void register_validSignal_returns201WithActiveUntilTwoYearsOn(Db db) {
        NodeHarness node = node(db);
        NodeHarness.Response r = register(node, Youths.registration(Youths.bsn(), "2014-05-01", Youths.bsn()));
        assertEquals(201, r.status(), String.valueOf(r.body()));
        assertEquals("ACTIVE", r.body().get("status").asText());
        assertEquals(LocalDate.now(ClockFactory.ZONE).plusYears(2).minusDays(1).toString(), r.body().get("activeUntil").asText());
        assertEquals(1, r.body().get("parents").asInt());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void register_youthTurning23Soon_isActiveUntilTheDayBeforeTheBirthday(Db db) {
        LocalDate birth = LocalDate.now(ClockFactory.ZONE).minusYears(22).plusMonths(3);
        NodeHarness.Response r = register(node(db), Youths.registration(Youths.bsn(), birth.toString()));
        assertEquals(201, r.status(), String.valueOf(r.body()));
        assertEquals(birth.plusYears(23).minusDays(1).toString(), r.body().get("activeUntil").asText());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void register_youthOf23_returns400NamingBirthDate(Db db) {
        String birth = LocalDate.now(ClockFactory.ZONE).minusYears(23).toString();
        assertRefusedNaming(register(node(db), Youths.registration(Youths.bsn(), birth)), 400, "youth.birthDate");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void register_birthDateInTheFuture_returns400NamingBirthDate(Db db) {
        String birth = LocalDate.now(ClockFactory.ZONE).plusDays(1).toString();
        assertRefusedNaming(register(node(db), Youths.registration(Youths.bsn(), birth)), 400, "youth.birthDate");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void register_bsnFailingElfproef_returns400NamingField(Db db) {
        assertRefusedNaming(register(node(db), Youths.registration("123456789")), 400, "youth.bsn");
        assertRefusedNaming(register(node(db), Youths.registration(Youths.bsn(), "2014-05-01", "123456789")), 400,
                "parents[0].bsn");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void register_unknownGround_returns400NamingField(Db db) {
        Map<String, Object> body = Youths.registration(Youths.bsn());
        body.put("ground", "m");
        assertRefusedNaming(register(node(db), body), 400, "ground");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void register_parentIsTheYouthOrTwice_returns400NamingField(Db db) {
        String youth = Youths.bsn();
        assertRefusedNaming(register(node(db), Youths.registration(youth, "2014-05-01", youth)), 400, "parents[0].bsn");
        String parent = Youths.bsn();
        assertRefusedNaming(register(node(db), Youths.registration(Youths.bsn(), "2014-05-01", parent, parent)), 400,
                "parents[1].bsn");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void register_parentsInformedNeitherOrBoth_returns400NamingField(Db db) {
        Map<String, Object> body = Youths.registration(Youths.bsn());
        body.put("parentsInformed", Map.of());
        assertRefusedNaming(register(node(db), body), 400, "parentsInformed");
        body.put("parentsInformed", Map.of("on", LocalDate.now(ClockFactory.ZONE).toString(), "notInformedReason", "Veilig Thuis"));
        assertRefusedNaming(register(node(db), body), 400, "parentsInformed");
        body.put("parentsInformed", Map.of("on", LocalDate.now(ClockFactory.ZONE).plusDays(3).toString()));
        assertRefusedNaming(register(node(db), body), 400, "parentsInformed.on");
        body.put("parentsInformed", Map.of("notInformedReason", "informing would endanger the child"));
        assertEquals(201, register(node(db), body).status());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void register_sameYouthTwiceBySameOrganisation_returns409WithTheFirstId(Db db) {
        NodeHarness node = node(db);
        String youth = Youths.bsn();
        NodeHarness.Response first = register(node, Youths.registration(youth));
        NodeHarness.Response second = register(node, Youths.registration(youth));
        assertRefusedNaming(second, 409, "youth.bsn");
        assertEquals(first.body().get("id").asText(), second.body().get("existingId").asText());
        NodeHarness.Response otherOrganisation = node.call("POST", "/api/v1/signals", Youths.registration(youth), "prof-b");
        assertEquals(201, otherOrganisation.status(), "another organisation may signal the same youth");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void register_retryWithIdempotencyKey_returnsTheFirstAnswer(Db db) {
        NodeHarness node = node(db);
        Map<String, Object> body = Youths.registration(Youths.bsn());
        Map<String, String> key = Map.of("Idempotency-Key", "retry-" + System.nanoTime());
        NodeHarness.Response first = node.call("POST", "/api/v1/signals", body, "prof-a", key);
        NodeHarness.Response again = node.call("POST", "/api/v1/signals", body, "prof-a", key);
        assertEquals(201, again.status());
        assertEquals(first.body().get("id"), again.body().get("id"));
        Map<String, Object> other = Youths.registration(Youths.bsn());
        assertEquals(409, node.call("POST", "/api/v1/signals", other, "prof-a", key).status(),
                "the same key for another request is refused");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void signals_ofAnotherOrganisation_areInvisibleAndCannotBeEnded(Db db) {
        NodeHarness node = node(db);
        String id = register(node, Youths.registration(Youths.bsn())).body().get("id").asText();
        assertEquals(200, node.call("GET", "/api/v1/signals/" + id, null, "prof-a").status());
        assertEquals(404, node.call("GET", "/api/v1/signals/" + id, null, "prof-b").status());
        assertEquals(404, node.call("POST", "/api/v1/signals/" + id + "/end", Map.of("reason", "x"), "prof-b").status());
        List<String> seenByB = new ArrayList<>();
        node.call("GET", "/api/v1/signals", null, "prof-b").body().get("items")
                .forEach(s -> seenByB.add(s.get("id").asText()));
        assertFalse(seenByB.contains(id));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void signals_needAProfessional(Db db) {
        NodeHarness node = node(db);
        assertEquals(401, node.call("GET", "/api/v1/signals", null, null).status());
        assertEquals(403, node.call("GET", "/api/v1/signals", null, "gemeente").status());
        assertEquals(403, node.call("POST", "/api/v1/signals", Youths.registration(Youths.bsn()), "auditor").status());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void end_withReason_endsTheSignalOnce(Db db) {
        NodeHarness node = node(db);
        String id = register(node, Youths.registration(Youths.bsn())).body().get("id").asText();
        assertRefusedNaming(node.call("POST", "/api/v1/signals/" + id + "/end", Map.of(), "prof-a"), 400, "reason");
        NodeHarness.Response ended = node.call("POST", "/api/v1/signals/" + id + "/end",
                Map.of("reason", "zorg gestart"), "prof-a");
        assertEquals(200, ended.status(), String.valueOf(ended.body()));
        assertEquals("ENDED", ended.body().get("status").asText());
        assertEquals(409, node.call("POST", "/api/v1/signals/" + id + "/end", Map.of("reason", "again"), "prof-a")
                .status());
    }

    /**
     * {@code SignalService.check} (the werkplek's check as the person types, and its form) names every broken rule at
     * once, each at the field the API names, where {@code register} stops at the first: the youth's elfproef, a parent
     * named twice (the later one), a parent's elfproef, a birth date in the future, a day told in the future. It stores
     * nothing; a right request has no violations.
     */
    @org.junit.jupiter.api.Test
    void check_namesEveryBrokenFieldAtOnce_andStoresNothing() {
        NodeHarness node = node(Db.H2);
        SignalService service = node.bean(SignalService.class);
        LocalDate today = LocalDate.now(ClockFactory.ZONE);
        String parent = Youths.bsn();
        RegisterSignalRequest wrong = new RegisterSignalRequest(
                new RegisterSignalRequest.Youth("123456789", today.plusDays(1), "Naam"),
                List.of(new RegisterSignalRequest.Parent(parent), new RegisterSignalRequest.Parent(parent),
                        new RegisterSignalRequest.Parent("111222334")),
                "c", new RegisterSignalRequest.ParentsInformed(today.plusDays(1), null));
        long before = MalformedInputTest.count(node, "signal");
        List<String> fields = service.check(wrong).stream().map(nl.betrokken.problem.Problem.Violation::field)
                .toList();
        assertEquals(List.of("youth.bsn", "parents[1].bsn", "parents[2].bsn", "youth.birthDate",
                "parentsInformed.on"), fields);
        RegisterSignalRequest right = new RegisterSignalRequest(
                new RegisterSignalRequest.Youth(Youths.bsn(), today.minusYears(5), "Naam"),
                List.of(new RegisterSignalRequest.Parent(parent)), "c",
                new RegisterSignalRequest.ParentsInformed(today, null));
        assertEquals(List.of(), service.check(right));
        assertEquals(before, MalformedInputTest.count(node, "signal"), "nothing stored");
    }
}
