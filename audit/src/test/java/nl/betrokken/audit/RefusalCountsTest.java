package nl.betrokken.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class RefusalCountsTest {

    /** A clock a test moves by hand. */
    private static final class HandClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-03T13:00:10Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void counts_perCallerAndMinute_drainedOnceTheMinuteHasEnded() {
        HandClock clock = new HandClock();
        RefusalCounts counts = new RefusalCounts(clock);
        for (int i = 0; i < 5; i++) {
            counts.count("noord", "token-BAD_SIGNATURE");
        }
        counts.count("noord", "replayed");
        counts.count("unknown", "token-MALFORMED");
        assertEquals(List.of(), counts.drainEnded(), "the current minute keeps counting");

        clock.now = clock.now.plus(Duration.ofMinutes(1));
        counts.count("noord", "replayed");
        List<RefusalCounts.Tally> ended = counts.drainEnded();
        Instant minute = Instant.parse("2026-12-03T13:00:00Z");
        assertEquals(List.of(
                new RefusalCounts.Tally("noord", minute, 6, Map.of("replayed", 1L, "token-BAD_SIGNATURE", 5L)),
                new RefusalCounts.Tally("unknown", minute, 1, Map.of("token-MALFORMED", 1L))), ended);
        assertEquals("replayed=1,token-BAD_SIGNATURE=5", ended.get(0).reasonsText());
        assertEquals(List.of(), counts.drainEnded(), "each minute is drained once");
        assertEquals(1, counts.drainAll().get(0).count(), "at shutdown the current minute too");
    }

    @Test
    void counts_fromManyThreads_loseNothing() throws Exception {
        RefusalCounts counts = new RefusalCounts(new HandClock());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.submit(() -> {
                for (int i = 0; i < 10_000; i++) {
                    counts.count("unknown", "junk");
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        assertEquals(40_000, counts.drainAll().get(0).count());
    }
}
