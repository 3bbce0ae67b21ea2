package nl.betrokken.coordinator.matching;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Match ids: UUIDs of version 7 (RFC 9562 section 5.7), a millisecond timestamp followed by random bits. Ids made
 * later sort later, so new matches append to the end of {@code signal_match}'s primary key index instead of landing
 * on a random page of it, as random (version 4) UUIDs did. An id says when a match was made and nothing else.
 */
final class MatchIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private MatchIds() {
    }

    static UUID next(Instant now) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long millis = now.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
        long high = millis << 16 | 0x7000L | (random[0] & 0x0FL) << 8 | random[1] & 0xFFL;
        long low = 0x8000_0000_0000_0000L | (random[2] & 0x3FL) << 56;
        for (int i = 3; i < 10; i++) {
            low |= (random[i] & 0xFFL) << (8 * (9 - i));
        }
        return new UUID(high, low);
    }
}
