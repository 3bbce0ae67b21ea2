package nl.betrokken.coordinator.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class MatchIdsTest {

    @Test
    void next_isVersion7WithTheMillisecondsInFront() {
        Instant now = Instant.parse("2026-11-24T23:30:01.123Z");
        UUID id = MatchIds.next(now);
        assertEquals(7, id.version());
        assertEquals(2, id.variant(), "RFC 9562 variant");
        assertEquals(now.toEpochMilli(), id.getMostSignificantBits() >>> 16);
    }

    @Test
    void next_laterSortsLaterAndIdsOfOneMillisecondDiffer() {
        Instant now = Instant.parse("2026-11-24T23:30:01.123Z");
        UUID first = MatchIds.next(now);
        assertNotEquals(first, MatchIds.next(now));
        for (int i = 0; i < 100; i++) {
            assertTrue(MatchIds.next(now.plusMillis(1)).compareTo(first) > 0);
        }
    }
}
