package nl.betrokken.coordinator.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;

class LifecycleTest {

    private static String outcome(Harness.Response r) {
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body().get("results").get(0).get("outcome").asText();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void end_stopsMatchingAndKeepsExistingMatches(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        TestNode zuid = h.enrol("zuid");
        String child = People.bsn();
        noord.submit(List.of(People.record("n-1", "org", child)));
        oost.submit(List.of(People.record("o-1", "org", child)));
        h.awaitMatching();
        assertEquals("ENDED", outcome(noord.end("n-1", LocalDate.now(h.clock()))));
        assertEquals("UNCHANGED", outcome(noord.end("n-1", LocalDate.now(h.clock()))), "a retried end is a no-op");
        zuid.submit(List.of(People.record("z-1", "org", child)));

        assertEquals(1, noord.created().size(), "the match made before the end stays");
        List<JsonNode> atZuid = zuid.created();
        assertEquals(1, atZuid.size(), "zuid matches oost's signal only");
        assertEquals(oost.id(), atZuid.get(0).get("counterpart").get("node").asText());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void erase_withdrawsItsMatchesAndTellsBothSides(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        String child = People.bsn();
        noord.submit(List.of(People.record("n-1", "org", child)));
        oost.submit(List.of(People.record("o-1", "org", child)));
        String matchId = noord.created().get(0).get("matchId").asText();

        assertEquals("ERASED", outcome(noord.erase("n-1")));
        assertEquals("UNKNOWN", outcome(noord.erase("n-1")), "a retried erase finds nothing left");
        assertEquals(0, h.queryLong("SELECT count(*) FROM signal_match WHERE id = '" + matchId + "'"), "match deleted");
        assertEquals(0, h.queryLong("SELECT count(*) FROM signal_person sp"
                + " WHERE NOT EXISTS (SELECT 1 FROM signal s WHERE s.id = sp.signal_id)"), "no links of an erased signal");
        for (TestNode node : List.of(noord, oost)) {
            List<JsonNode> withdrawn = node.allEntries().stream()
                    .filter(e -> "MATCH_WITHDRAWN".equals(e.get("kind").asText())).toList();
            assertEquals(1, withdrawn.size(), node.id());
            assertEquals(matchId, withdrawn.get(0).get("matchId").asText());
            assertTrue(withdrawn.get(0).get("ticket") == null, "a withdrawn match carries no ticket");
        }
        TestNode zuid = h.enrol("zuid");
        zuid.submit(List.of(People.record("z-1", "org", child)));
        assertEquals(1, zuid.created().size(), "the erased signal no longer matches; oost's still does");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void end_ofUnknownRef_saysUnknown(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        assertEquals("UNKNOWN", outcome(noord.end("never", LocalDate.now(h.clock()))));
    }
}
