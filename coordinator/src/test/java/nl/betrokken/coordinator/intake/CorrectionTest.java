package nl.betrokken.coordinator.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;

/**
 * A corrected signal ({@code POST /internal/v1/signals/correct}): a parent added gives the new family match at both
 * sides; the parent removed again withdraws it at both sides; the youth and the start cannot change, another
 * organisation reference leaves the known one.
 */
class CorrectionTest {

    private static Harness.Response correct(TestNode node, Map<String, Object> record) {
        return node.harness().call("POST", "/internal/v1/signals/correct", Map.of("signals", List.of(record)),
                node.token());
    }

    private static String outcome(Harness.Response r) {
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body().get("results").get(0).get("outcome").asText();
    }

    private static long count(TestNode node, String kind) {
        return node.allEntries().stream().filter(e -> kind.equals(e.get("kind").asText())).count();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void parentAddedThenRemoved_matchMadeThenWithdrawnAtBothSides(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        String child = People.bsn();
        String sibling = People.bsn();
        String mother = People.bsn();
        String father = People.bsn();
        noord.submit(List.of(People.record("n-1", "org", child, father)));
        oost.submit(List.of(People.record("o-1", "org", sibling, mother)));
        assertEquals(0, noord.created().size(), "no parent in common yet");

        assertEquals("CORRECTED", outcome(correct(noord, People.record("n-1", "org", child, father, mother))));
        assertEquals("UNCHANGED", outcome(correct(noord, People.record("n-1", "org", child, father, mother))),
                "the same correction again changes nothing");
        assertEquals(1, noord.created().size(), "the mother added: a family match");
        assertEquals(1, oost.created().size());
        String matchId = oost.created().get(0).get("matchId").asText();

        assertEquals("CORRECTED", outcome(correct(noord, People.record("n-1", "org", child, father))));
        for (TestNode node : List.of(noord, oost)) {
            assertEquals(1, count(node, "MATCH_WITHDRAWN"), node.id());
        }
        assertEquals(0, h.queryLong("SELECT count(*) FROM signal_match WHERE id = '" + matchId + "'"));

        // A correction that keeps a parent in common (and shortens the period) keeps the match.
        String other = People.bsn();
        noord.submit(List.of(People.record("n-2", "org", other, mother)));
        assertEquals(2, oost.created().size());
        Map<String, Object> shorter = People.record("n-2", "org", other, mother, father);
        shorter.put("activeUntil", LocalDate.now(h.clock()).plusYears(1).toString());
        assertEquals("CORRECTED", outcome(correct(noord, shorter)));
        assertEquals(1, count(oost, "MATCH_WITHDRAWN"), "the match on the mother holds");
        LocalDate until = LocalDate.now(h.clock()).plusYears(1);
        assertEquals(until.getYear() * 10000L + until.getMonthValue() * 100 + until.getDayOfMonth(), h.queryLong(
                "SELECT EXTRACT(YEAR FROM active_until) * 10000 + EXTRACT(MONTH FROM active_until) * 100"
                        + " + EXTRACT(DAY FROM active_until) FROM signal WHERE node_id = '" + noord.id()
                        + "' AND ref = 'n-2'"), "the period corrected");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void parentRemoved_aLaterSignalOnThatParent_doesNotMatchTheCorrectedSignal(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        String child = People.bsn();
        String mother = People.bsn();
        String father = People.bsn();
        noord.submit(List.of(People.record("n-1", "org", child, father, mother)));
        oost.submit(List.of(People.record("o-1", "org", People.bsn(), father)));
        assertEquals(1, noord.created().size(), "the father in common: a family match");

        assertEquals("CORRECTED", outcome(correct(noord, People.record("n-1", "org", child, father))));
        // The matcher keeps in memory which signals name each person (MatchIndex); it must forget n-1 under the mother.
        oost.submit(List.of(People.record("o-2", "org", People.bsn(), mother)));
        assertEquals(1, noord.created().size(), "n-1 no longer names the mother: no match with o-2");
        assertEquals(1, oost.created().size());
        assertEquals(1, h.queryLong("SELECT count(*) FROM signal_match"
                + " WHERE signal_low IN (SELECT id FROM signal WHERE node_id = '" + oost.id() + "')"
                + " OR signal_high IN (SELECT id FROM signal WHERE node_id = '" + oost.id() + "')"));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anotherYouthOrStart_isRefusedNamingTheField_anotherOrganisationKeepsTheKnown_andUnknownRefSaysSo(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        String child = People.bsn();
        noord.submit(List.of(People.record("n-1", "org", child)));

        Harness.Response youth = correct(noord, People.record("n-1", "org", People.bsn()));
        assertEquals(409, youth.status());
        assertEquals("signals[0].pseudonyms", youth.body().get("violations").get(0).get("field").asText());
        Map<String, Object> later = People.record("n-1", "org", LocalDate.now(h.clock()).plusDays(1),
                People.PSEUDONYMS, child);
        Harness.Response start = correct(noord, later);
        assertEquals(409, start.status());
        assertEquals("signals[0].activeFrom", start.body().get("violations").get(0).get("field").asText());
        // A signal handed to another organisation (its own removed) is corrected under the new organisation's
        // reference: not refused (that would hold up every later message of the signal), the known reference stays.
        assertEquals("UNCHANGED", outcome(correct(noord, People.record("n-1", "other", child))));
        assertEquals(1, h.queryLong("SELECT count(*) FROM signal WHERE node_id = '" + noord.id()
                + "' AND ref = 'n-1' AND organisation = 'org'"));
        assertEquals("UNKNOWN", outcome(correct(noord, People.record("never", "org", child))));
    }
}
