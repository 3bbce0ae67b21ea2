package nl.betrokken.coordinator.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.coordinator.stats.StatsService;

class RetentionTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void retention_archivesAfterTheActivePeriodAndDeletesFiveYearsLaterKeepingCounts(Db db) {
        try (Harness h = Harness.fresh(db)) {
            TestNode noord = h.enrol("noord");
            TestNode oost = h.enrol("oost");
            String child = People.bsn();
            noord.submit(List.of(People.record("n-1", "org", child)));
            oost.submit(List.of(People.record("o-1", "org", child)));
            LocalDate today = LocalDate.now(h.clock());

            assertEquals(new RetentionService.Report(today, 0, 0), h.bean(RetentionService.class).run());

            h.clock().advance(Duration.ofDays(2 * 366));
            RetentionService.Report archived = h.bean(RetentionService.class).run();
            assertEquals(2, archived.archived());
            assertEquals(0, archived.deleted());
            TestNode zuid = h.enrol("zuid");
            Map<String, Object> late = People.record("z-1", "org", LocalDate.now(h.clock()), People.PSEUDONYMS, child);
            zuid.submit(List.of(late));
            assertEquals(0, zuid.created().size(), "archived signals no longer match");

            h.clock().advance(Duration.ofDays(5 * 366));
            RetentionService.Report deleted = h.bean(RetentionService.class).run();
            assertEquals(2, deleted.deleted(), "the two archived signals are gone; zuid's is archived now");
            assertEquals(1, deleted.archived());
            assertEquals(0, h.bean(RetentionService.class).run().deleted(), "a second run finds nothing more");
            assertEquals(0, h.queryLong("SELECT count(*) FROM signal_match"), "the deleted signals' match is gone");
            assertEquals(0, h.queryLong("SELECT count(*) FROM signal_person sp"
                    + " WHERE NOT EXISTS (SELECT 1 FROM signal s WHERE s.id = sp.signal_id)"), "no links of deleted signals");
            assertEquals(1, h.queryLong("SELECT count(*) FROM signal_person"), "zuid's link to the child stays");
            assertEquals(1, h.queryLong("SELECT count(DISTINCT pseudonym) FROM signal_person"),
                    "the child's pseudonym is held once more, by zuid's link; no other pseudonym is left");

            var stats = h.bean(StatsService.class).between(today, today);
            assertEquals(2, stats.signalsRegistered(), "counts outlive the deleted records");
            assertEquals(1, stats.matches().childAcross());
        }
    }
}
