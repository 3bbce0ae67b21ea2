package nl.betrokken.coordinator.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;

/**
 * The coordinator agrees with the node on 29 February: a signal registered on 29 February 2028 is active through
 * 28 February 2030 (the node's {@code activeUntil}, node/signal/ActivePeriod), so it still matches that day and is
 * archived on 1 March 2030.
 */
class LeapDayTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void signalOfTheTwentyNinth_matchesThroughTheTwentyEighthTwoYearsOn_andIsArchivedOnTheFirstOfMarch(Db db) {
        try (Harness h = Harness.fresh(db)) {
            moveTo(h, LocalDate.of(2028, 2, 29));
            TestNode noord = h.enrol("noord");
            TestNode oost = h.enrol("oost");
            String child = People.bsn();
            assertEquals(200, noord.submit(List.of(leapDay("n-1", child))).status());

            moveTo(h, LocalDate.of(2030, 2, 28));
            assertEquals(200, oost.submit(List.of(People.record("o-1", "org", LocalDate.now(h.clock()),
                    People.PSEUDONYMS, child))).status());
            assertEquals(1, oost.created().size(), "on 28 February 2030 the signal of 29 February 2028 still matches");
            assertEquals(0, h.bean(RetentionService.class).run().archived());

            moveTo(h, LocalDate.of(2030, 3, 1));
            assertEquals(1, h.bean(RetentionService.class).run().archived(), "archived on 1 March 2030");
        }
    }

    /** A record as the node sends it for a registration on 29 February 2028: active through 28 February 2030. */
    private static Map<String, Object> leapDay(String ref, String child) {
        Map<String, Object> r = People.record(ref, "org", LocalDate.of(2028, 2, 29), People.PSEUDONYMS, child);
        r.put("activeUntil", "2030-02-28");
        return r;
    }

    /** Moves the coordinator's clock forward to noon of {@code day}. */
    private static void moveTo(Harness h, LocalDate day) {
        ZonedDateTime now = ZonedDateTime.now(h.clock());
        h.clock().advance(Duration.between(now, day.atTime(12, 0).atZone(h.clock().getZone())));
    }
}
