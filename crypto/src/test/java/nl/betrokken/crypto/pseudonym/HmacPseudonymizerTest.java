package nl.betrokken.crypto.pseudonym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.crypto.keys.KeyEpoch;
import nl.betrokken.crypto.keys.KeyEpochException;
import nl.betrokken.crypto.keys.KeyPurpose;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.keys.SecretBytes;
import nl.betrokken.crypto.keys.SecretKeyAccess;
import org.junit.jupiter.api.Test;

class HmacPseudonymizerTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TRANSITION = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Bsn CHILD = Bsn.parse("111222333");

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void pseudonymize_matchesPublishedVectors() throws Exception {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/vectors/pseudonym/betrokken-pseudonym-v1.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        HexFormat hex = HexFormat.of();
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (JsonNode t : doc.get("tests")) {
            count++;
            String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("desc").asText() + ")";
            int epoch = t.get("epoch").asInt();
            KeyRing ring = KeyRing.builder()
                    .add(KeyEpoch.primary(epoch, T0), SecretBytes.copyFrom(
                            hex.parseHex(t.get("epochSecret").asText()), SecretKeyAccess.insecure()))
                    .build();
            byte[] key = ring.deriveKey(epoch, KeyPurpose.PSEUDONYM, T0).copy(SecretKeyAccess.insecure());
            if (!hex.formatHex(key).equals(t.get("derivedKey").asText())) {
                failures.add(id + ": derived key differs");
            }
            Pseudonymizer p = HmacPseudonymizer.create(ring, Clock.fixed(T0, ZoneOffset.UTC));
            String got = p.pseudonymize(Bsn.parse(t.get("bsn").asText())).encoded();
            if (!got.equals(t.get("pseudonym").asText())) {
                failures.add(id + ": pseudonym differs");
            }
        }
        assertEquals(6, count);
        assertEquals(List.of(), failures);
    }

    @Test
    void pseudonymize_isDeterministicAcrossInstances() {
        KeyRing ring = KeyRing.generate(RANDOM, T0);
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        assertEquals(HmacPseudonymizer.create(ring, clock).pseudonymize(CHILD),
                HmacPseudonymizer.create(ring, clock).pseudonymize(Bsn.parse("111222333")));
    }

    @Test
    void pseudonymize_usesThePrimaryEpoch() {
        KeyRing ring = KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, TRANSITION);
        Pseudonym p = HmacPseudonymizer.create(ring, Clock.fixed(T0, ZoneOffset.UTC)).pseudonymize(CHILD);
        assertEquals(2, p.epoch());
    }

    @Test
    void pseudonymize_withDifferentEpoch_differs() {
        KeyRing one = KeyRing.generate(RANDOM, T0);
        KeyRing two = one.rotate(RANDOM, T0, TRANSITION);
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Pseudonym before = HmacPseudonymizer.create(one, clock).pseudonymize(CHILD);
        Pseudonym after = HmacPseudonymizer.create(two, clock).pseudonymize(CHILD);
        assertNotEquals(before.epoch(), after.epoch());
        assertFalse(Arrays.equals(before.value(), after.value()));
    }

    @Test
    void pseudonymizeForMatching_coversOldEpochDuringTransitionOnly() throws KeyEpochException {
        KeyRing one = KeyRing.generate(RANDOM, T0);
        MutableClock clock = new MutableClock(T0);
        Pseudonym beforeRotation = HmacPseudonymizer.create(one, clock).pseudonymize(CHILD);

        Instant rotatedAt = T0.plus(Duration.ofDays(90));
        clock.set(rotatedAt);
        KeyRing two = one.rotate(RANDOM, rotatedAt, TRANSITION);
        Pseudonymizer p = HmacPseudonymizer.create(two, clock);

        List<Pseudonym> during = p.pseudonymizeForMatching(CHILD);
        assertEquals(List.of(p.pseudonymize(CHILD), beforeRotation), during);
        assertEquals(1, two.requireAccepted(1, clock.instant()).id());

        clock.set(rotatedAt.plus(TRANSITION).minusNanos(1));
        assertEquals(2, p.pseudonymizeForMatching(CHILD).size());

        clock.set(rotatedAt.plus(TRANSITION));
        assertEquals(List.of(p.pseudonymize(CHILD)), p.pseudonymizeForMatching(CHILD));
        assertThrows(KeyEpochException.class, () -> two.requireAccepted(1, clock.instant()));
    }

    @Test
    void pseudonymizeForMatching_whenClockMovesBack_derivesTheEpochItNeeds() {
        Instant rotatedAt = T0.plus(Duration.ofDays(90));
        KeyRing two = KeyRing.generate(RANDOM, T0).rotate(RANDOM, rotatedAt, TRANSITION);
        MutableClock clock = new MutableClock(rotatedAt.plus(TRANSITION)); // epoch 1 expired at creation
        Pseudonymizer p = HmacPseudonymizer.create(two, clock);
        assertEquals(1, p.pseudonymizeForMatching(CHILD).size());
        clock.set(rotatedAt);
        assertEquals(List.of(2, 1), p.pseudonymizeForMatching(CHILD).stream().map(Pseudonym::epoch).toList());
    }

    @Test
    void toString_leaksNeitherBsnNorPseudonym() {
        KeyRing ring = KeyRing.generate(RANDOM, T0);
        HmacPseudonymizer p = HmacPseudonymizer.create(ring, Clock.fixed(T0, ZoneOffset.UTC));
        Pseudonym pseudonym = p.pseudonymize(CHILD);
        String all = p + " " + pseudonym + " " + p.pseudonymizeForMatching(CHILD) + " " + CHILD + " " + ring;
        assertEquals("HmacPseudonymizer[primaryEpoch=1] Pseudonym[epoch=1] [Pseudonym[epoch=1]] Bsn[redacted] "
                + "KeyRing[primary=1, epochs=[1:PRIMARY]]", all);
    }
}
