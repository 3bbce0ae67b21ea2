package nl.betrokken.coordinator.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;

class IntakeTest {

    private static List<String> outcomes(Harness.Response r) {
        assertEquals(200, r.status(), String.valueOf(r.body()));
        List<String> out = new ArrayList<>();
        r.body().get("results").forEach(i -> out.add(i.get("outcome").asText()));
        return out;
    }

    private static void assertRefusedNaming(Harness.Response r, int status, String field) {
        assertEquals(status, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        List<String> fields = new ArrayList<>();
        r.body().get("violations").forEach(v -> fields.add(v.get("field").asText()));
        assertTrue(fields.contains(field), "violations " + fields + " should name " + field + ": " + r.body());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_retriedBatch_isANoOpWithoutSecondMatch(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        String child = People.bsn();
        List<Map<String, Object>> batch = List.of(People.record("n-1", "org", child));
        assertEquals(List.of("CREATED"), outcomes(noord.submit(batch)));
        outcomes(oost.submit(List.of(People.record("o-1", "org", child))));
        assertEquals(List.of("UNCHANGED"), outcomes(noord.submit(batch)));
        assertEquals(List.of("UNCHANGED"), outcomes(noord.submit(batch)));
        assertEquals(1, noord.created().size());
        assertEquals(1, oost.created().size());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_knownRefWithOtherContent_returns409AndStoresNothingOfTheBatch(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        String child = People.bsn();
        outcomes(noord.submit(List.of(People.record("n-1", "org", child))));
        Map<String, Object> fresh = People.record("n-2", "org", People.bsn());
        Map<String, Object> changed = People.record("n-1", "org", child);
        changed.put("activeUntil", LocalDate.parse((String) changed.get("activeUntil")).minusDays(1).toString());
        assertRefusedNaming(noord.submit(List.of(fresh, changed)), 409, "signals[1].ref");
        assertEquals(List.of("CREATED"), outcomes(noord.submit(List.of(fresh))),
                "the refused batch left nothing behind");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_knownRefUnderAnotherOrganisation_isUnchanged_andKeepsTheStoredOrganisation(Db db) throws Exception {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        String child = People.bsn();
        outcomes(noord.submit(List.of(People.record("n-1", "org", child))));
        // The signal was handed to another organisation at the node (an organisation removed from the convenant).
        assertEquals(List.of("UNCHANGED"), outcomes(noord.submit(List.of(People.record("n-1", "other-org", child)))));
        try (java.sql.Connection c = h.connect();
             java.sql.PreparedStatement q = c.prepareStatement(
                     "SELECT organisation FROM signal WHERE node_id = ? AND ref = ?")) {
            q.setString(1, noord.id());
            q.setString(2, "n-1");
            try (java.sql.ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("org", rs.getString(1));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_knownRefWithOtherPseudonymUnderSameEpoch_returns409(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        outcomes(noord.submit(List.of(People.record("n-1", "org", People.bsn()))));
        assertRefusedNaming(noord.submit(List.of(People.record("n-1", "org", People.bsn()))), 409,
                "signals[0].pseudonyms");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_malformedPseudonym_returns400NamingField(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        Map<String, Object> record = People.record("n-1", "org", People.bsn());
        @SuppressWarnings("unchecked")
        Map<String, Object> epoch = new HashMap<>(((List<Map<String, Object>>) record.get("pseudonyms")).get(0));
        epoch.put("youth", "123456782");
        record.put("pseudonyms", List.of(epoch));
        assertRefusedNaming(noord.submit(List.of(record)), 400, "signals[0].pseudonyms[0].youth");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_pseudonymOfAnotherEpoch_returns400NamingField(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        Map<String, Object> record = People.record("n-1", "org", People.bsn());
        @SuppressWarnings("unchecked")
        Map<String, Object> epoch = new HashMap<>(((List<Map<String, Object>>) record.get("pseudonyms")).get(0));
        epoch.put("epoch", 7);
        record.put("pseudonyms", List.of(epoch));
        assertRefusedNaming(noord.submit(List.of(record)), 400, "signals[0].pseudonyms[0].youth");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_endBeforeStart_returns400NamingField(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        Map<String, Object> record = People.record("n-1", "org", People.bsn());
        record.put("activeUntil", "2000-01-01");
        assertRefusedNaming(noord.submit(List.of(record)), 400, "signals[0].activeUntil");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_missingAndMalformedFields_return400NamingEachField(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        Map<String, Object> record = People.record("n 1", "org", People.bsn());
        record.remove("organisation");
        assertRefusedNaming(noord.submit(List.of(record)), 400, "signals[0].organisation");
        assertRefusedNaming(noord.submit(List.of(record)), 400, "signals[0].ref");
        assertRefusedNaming(h.call("POST", "/internal/v1/signals", "{\"signals\": [", noord.token()), 400, "signals");
        assertRefusedNaming(h.call("POST", "/internal/v1/signals", "not json", noord.token()), 400, "body");
        Map<String, Object> badDate = People.record("n-2", "org", People.bsn());
        badDate.put("activeFrom", "23-11-2026");
        assertRefusedNaming(noord.submit(List.of(badDate)), 400, "activeFrom");
        Harness.Response empty = noord.submit(List.of());
        assertRefusedNaming(empty, 400, "signals");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_sameRefTwiceInOneBatch_returns400(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        assertRefusedNaming(noord.submit(List.of(People.record("n-1", "org", People.bsn()),
                People.record("n-1", "org", People.bsn()))), 400, "signals[1].ref");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_sameRefAtTwoNodes_isTwoSignals(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        String child = People.bsn();
        assertEquals(List.of("CREATED"), outcomes(noord.submit(List.of(People.record("s-1", "org", child)))));
        assertEquals(List.of("CREATED"), outcomes(oost.submit(List.of(People.record("s-1", "org", child)))));
        JsonNode entry = noord.created().get(0);
        assertEquals(oost.id(), entry.get("counterpart").get("node").asText());
    }
}
