package nl.betrokken.node.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.MutableClock;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;
import nl.betrokken.node.Youths;
import nl.betrokken.node.archive.ArchiveService;

/**
 * 29 February: a youth born on it turns 23 on 1 March in a common year, so is under 23 through 28 February; a
 * signal registered on it is active through 28 February two years later (its second anniversary is 1 March).
 */
class LeapDayTest {

    @Test
    void dates_countTwentyNinthOfFebruaryOnToFirstOfMarchInACommonYear() {
        assertEquals(LocalDate.of(2027, 2, 28), ActivePeriod.lastDayUnder23(LocalDate.of(2004, 2, 29)));
        assertEquals(LocalDate.of(2028, 2, 27), ActivePeriod.lastDayUnder23(LocalDate.of(2005, 2, 28)),
                "a birthday on 28 February stays there");
        assertEquals(LocalDate.of(2028, 2, 29), ActivePeriod.lastDayUnder23(LocalDate.of(2005, 3, 1)));
        assertEquals(LocalDate.of(2030, 2, 28), ActivePeriod.lastDayOfTwoYears(LocalDate.of(2028, 2, 29)));
        assertEquals(LocalDate.of(2030, 2, 27), ActivePeriod.lastDayOfTwoYears(LocalDate.of(2028, 2, 28)));
        assertEquals(LocalDate.of(2032, 2, 29), ActivePeriod.lastDayOfTwoYears(LocalDate.of(2030, 3, 1)),
                "registered 1 March: through the day before, a leap day when there is one");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void youthBornOnTheTwentyNinth_isUnder23ThroughTheTwentyEighth_andASignalOnTheTwentyNinthLastsTwoYears(Db db) {
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(db, "noord", null, null));
        p.put(MutableClock.PROPERTY, true);
        try (NodeHarness node = NodeHarness.start(p)) {
            MutableClock clock = (MutableClock) node.bean(Clock.class);
            String youth = Youths.bsn();

            NodeHarness.Response early = register(node, "prof-a", youth, "2004-02-29", clock);
            assertEquals(201, early.status(), String.valueOf(early.body()));
            assertEquals("2027-02-28", early.body().get("activeUntil").asText(), "the day before 1 March 2027");

            clock.advanceTo(LocalDate.of(2027, 2, 28));
            NodeHarness.Response lastDay = register(node, "prof-b", youth, "2004-02-29", clock);
            assertEquals(201, lastDay.status(), "on 28 February 2027 the youth is still 22: " + lastDay.body());
            assertEquals("2027-02-28", lastDay.body().get("activeUntil").asText());

            clock.advanceTo(LocalDate.of(2027, 3, 1));
            NodeHarness.Response turned23 = register(node, "prof-a", Youths.bsn(), "2004-02-29", clock);
            SignalTest.assertRefusedNaming(turned23, 400, "youth.birthDate");
            assertEquals(2, node.bean(ArchiveService.class).run().archived(), "both signals end with 28 February");

            clock.advanceTo(LocalDate.of(2028, 2, 29));
            NodeHarness.Response leapDay = register(node, "prof-a", Youths.bsn(), "2014-05-01", clock);
            assertEquals(201, leapDay.status(), String.valueOf(leapDay.body()));
            assertEquals("2028-02-29", leapDay.body().get("registeredOn").asText());
            assertEquals("2030-02-28", leapDay.body().get("activeUntil").asText(), "two years: through 28 February 2030");
        }
    }

    private static NodeHarness.Response register(NodeHarness node, String user, String bsn, String birth, Clock clock) {
        Map<String, Object> body = Youths.registration(bsn, birth);
        body.put("parentsInformed", Map.of("on", LocalDate.now(clock).toString()));
        return node.call("POST", "/api/v1/signals", body, user);
    }
}
