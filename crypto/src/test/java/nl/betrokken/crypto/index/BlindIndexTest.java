package nl.betrokken.crypto.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.crypto.keys.KeyEpochException;
import nl.betrokken.crypto.keys.KeyPurpose;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.pseudonym.HmacPseudonymizer;
import nl.betrokken.crypto.pseudonym.subtle.HmacSha256;
import org.junit.jupiter.api.Test;

class BlindIndexTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TRANSITION = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Bsn CHILD = Bsn.parse("111222333");

    @Test
    void of_isHmacSha256OfLabelZeroAndDigitsUnderThePrimarysBlindIndexKey() throws GeneralSecurityException {
        KeyRing ring = KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, TRANSITION);
        byte[] message = ("betrokken/blind-index/v1/bsn\0" + "111222333").getBytes(StandardCharsets.US_ASCII);
        byte[] want = HmacSha256.create(ring.deriveDataAtRestKey(2, KeyPurpose.BLIND_INDEX)).compute(message);

        byte[] got = BlindIndex.create(ring).of(CHILD);
        assertEquals(32, got.length);
        assertArrayEquals(want, got);
    }

    @Test
    void of_isDeterministicAcrossInstances() {
        KeyRing ring = KeyRing.generate(RANDOM, T0);
        assertArrayEquals(BlindIndex.create(ring).of(CHILD), BlindIndex.create(ring).of(Bsn.parse("111222333")));
        assertFalse(Arrays.equals(BlindIndex.create(ring).of(CHILD), BlindIndex.create(ring).of(
                Bsn.parse("123456782"))));
    }

    @Test
    void of_differsPerEpoch() {
        KeyRing one = KeyRing.generate(RANDOM, T0);
        KeyRing two = one.rotate(RANDOM, T0, TRANSITION);
        assertFalse(Arrays.equals(BlindIndex.create(one).of(CHILD), BlindIndex.create(two).of(CHILD)));
    }

    @Test
    void of_differsFromTheFederationPseudonym() {
        KeyRing ring = KeyRing.generate(RANDOM, T0);
        byte[] pseudonym = HmacPseudonymizer.create(ring, Clock.fixed(T0, ZoneOffset.UTC)).pseudonymize(CHILD).value();
        assertFalse(Arrays.equals(pseudonym, BlindIndex.create(ring).of(CHILD)));
    }

    @Test
    void candidates_includeTheOldEpochDuringAndAfterTransition() {
        KeyRing one = KeyRing.generate(RANDOM, T0);
        byte[] old = BlindIndex.create(one).of(CHILD);

        KeyRing during = one.rotate(RANDOM, T0, TRANSITION);
        BlindIndex index = BlindIndex.create(during);
        assertEquals(List.of(hex(index.of(CHILD)), hex(old)), hex(index.candidates(CHILD)));

        KeyRing after = one.rotate(RANDOM, T0, Duration.ZERO);
        assertThrows(KeyEpochException.class, () -> after.requireAccepted(1, T0));
        BlindIndex afterIndex = BlindIndex.create(after);
        assertEquals(List.of(hex(afterIndex.of(CHILD)), hex(old)), hex(afterIndex.candidates(CHILD)));
    }

    @Test
    void candidates_listPrimaryFirstThenNewestFirstAndSkipDisabled() {
        KeyRing one = KeyRing.generate(RANDOM, T0);
        KeyRing two = one.rotate(RANDOM, T0, TRANSITION);
        KeyRing three = two.rotate(RANDOM, T0, TRANSITION);
        List<String> want = List.of(hex(BlindIndex.create(three).of(CHILD)), hex(BlindIndex.create(two).of(CHILD)),
                hex(BlindIndex.create(one).of(CHILD)));
        assertEquals(want, hex(BlindIndex.create(three).candidates(CHILD)));
        assertEquals(List.of(want.get(0), want.get(2)), hex(BlindIndex.create(three.disable(2)).candidates(CHILD)));
    }

    @Test
    void toString_leaksNeitherBsnNorIndex() {
        BlindIndex index = BlindIndex.create(KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, TRANSITION));
        assertEquals("BlindIndex[primaryEpoch=2, epochs=2]", index.toString());
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static List<String> hex(List<byte[]> values) {
        return values.stream().map(BlindIndexTest::hex).toList();
    }
}
