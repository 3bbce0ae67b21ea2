package nl.betrokken.coordinator.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;

/**
 * A node's clock a little ahead at midnight dates a signal tomorrow by the coordinator's clock: it is matched when
 * that day comes. A date further ahead, or a period longer than the law's two years, is refused naming the field.
 */
class ActiveFromTest {

    private static void ok(Harness.Response r) {
        assertEquals(200, r.status(), String.valueOf(r.body()));
    }

    private static void assertRefusedNaming(Harness.Response r, String field) {
        assertEquals(400, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        List<String> fields = new ArrayList<>();
        r.body().get("violations").forEach(v -> fields.add(v.get("field").asText()));
        assertTrue(fields.contains(field), "violations " + fields + " should name " + field + ": " + r.body());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void signal_queuedBeforeItsFirstDay_byAnInstanceWhoseClockIsAhead_isMatchedWhenThatDayComes(Db db) throws Exception {
        try (Harness h = Harness.fresh(db)) {
            TestNode noord = h.enrol("noord");
            TestNode oost = h.enrol("oost");
            String child = People.bsn();
            ok(oost.submit(List.of(People.record("o-1", "org", child))));
            assertEquals(0, oost.created().size(), "alone: no match");
            LocalDate tomorrow = LocalDate.now(h.clock()).plusDays(1);
            ok(noord.submit(List.of(People.record("n-1", "org", tomorrow, People.PSEUDONYMS, child))));
            // What an instance whose clock is already on tomorrow does with it: queue it for matching at once.
            try (java.sql.Connection c = h.connect(); java.sql.Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO match_queue (signal_id) SELECT signal_id FROM match_later");
                s.executeUpdate("DELETE FROM match_later");
            }
            h.awaitMatching();
            assertEquals(0, noord.created().size(), "not active yet on this instance's today: no match");
            assertEquals(1, h.queryLong("SELECT count(*) FROM match_later"), "it waits for its first day");

            nextDayMatches(h, noord);
            assertEquals(1, oost.created().size());
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void signal_activeFromTomorrow_isMatchedWhenThatDayComes(Db db) {
        try (Harness h = Harness.fresh(db)) {
            TestNode noord = h.enrol("noord");
            TestNode oost = h.enrol("oost");
            String child = People.bsn();
            LocalDate tomorrow = LocalDate.now(h.clock()).plusDays(1);
            ok(noord.submit(List.of(People.record("n-1", "org", tomorrow, People.PSEUDONYMS, child))));
            ok(oost.submit(List.of(People.record("o-1", "org", tomorrow, People.PSEUDONYMS, child))));
            assertEquals(0, noord.created().size(), "not active yet: no match today");

            nextDayMatches(h, noord);
            assertEquals(1, oost.created().size());
            assertEquals(noord.created().get(0).get("matchId"), oost.created().get(0).get("matchId"));
            sleep(600); // a few more passes of the matcher: still one match
            assertEquals(1, noord.created().size());
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_activeFromMoreThanADayAheadOrPeriodOverTwoYears_isRefusedNamingTheField(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        LocalDate today = LocalDate.now(h.clock());

        Map<String, Object> farAhead = People.record("n-1", "org", today.plusDays(2), People.PSEUDONYMS, People.bsn());
        assertRefusedNaming(noord.submit(List.of(farAhead)), "signals[0].activeFrom");

        Map<String, Object> tooLong = People.record("n-2", "org", today, People.PSEUDONYMS, People.bsn());
        tooLong.put("activeUntil", today.plusYears(2).toString());
        assertRefusedNaming(noord.submit(List.of(People.record("n-3", "org", People.bsn()), tooLong)),
                "signals[1].activeUntil");
        assertEquals(0, noord.created().size());

        ok(noord.submit(List.of(People.record("n-4", "org", today.plusDays(1), People.PSEUDONYMS, People.bsn()))));
        ok(noord.submit(List.of(People.record("n-5", "org", today.minusYears(1), People.PSEUDONYMS, People.bsn()))));
    }

    /** Moves the clock to the next day and waits up to 30 s for {@code node}'s one match of that day. */
    private static void nextDayMatches(Harness h, TestNode node) {
        h.clock().advance(Duration.ofDays(1));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (node.created().isEmpty() && System.nanoTime() < deadline) {
            sleep(50);
        }
        assertEquals(1, node.created().size(), "matched on its first active day");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
