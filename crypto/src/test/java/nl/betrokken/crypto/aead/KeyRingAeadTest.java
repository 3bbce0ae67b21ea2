package nl.betrokken.crypto.aead;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import nl.betrokken.crypto.aead.subtle.AesGcm;
import nl.betrokken.crypto.keys.KeyEpochException;
import nl.betrokken.crypto.keys.KeyPurpose;
import nl.betrokken.crypto.keys.KeyRing;
import org.junit.jupiter.api.Test;

class KeyRingAeadTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TRANSITION = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] NAME = "Jan Jansen".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ROW = "persons/name/row-42".getBytes(StandardCharsets.US_ASCII);

    @Test
    void decrypt_ofEncrypt_returnsThePlaintext() throws GeneralSecurityException {
        Aead aead = KeyRingAead.create(KeyRing.generate(RANDOM, T0));
        assertArrayEquals(NAME, aead.decrypt(aead.encrypt(NAME, ROW), ROW));
        assertArrayEquals(new byte[0], aead.decrypt(aead.encrypt(new byte[0], new byte[0]), new byte[0]));
    }

    @Test
    void encrypt_isHeaderThenAesGcmUnderTheEpochsDataEncryptionKey() throws GeneralSecurityException {
        KeyRing ring = KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, TRANSITION);
        byte[] c = KeyRingAead.create(ring).encrypt(NAME, ROW);

        byte[] header = Arrays.copyOf(c, 5);
        assertEquals("0100000002", HexFormat.of().formatHex(header));
        assertEquals(5 + 12 + NAME.length + 16, c.length);
        AesGcm gcm = AesGcm.create(ring.deriveDataAtRestKey(2, KeyPurpose.DATA_ENCRYPTION));
        byte[] aad = Arrays.copyOf(header, 5 + ROW.length);
        System.arraycopy(ROW, 0, aad, 5, ROW.length);
        assertArrayEquals(NAME, gcm.decrypt(Arrays.copyOfRange(c, 5, c.length), aad));
    }

    @Test
    void encrypt_twice_givesDifferentCiphertexts() {
        Aead aead = KeyRingAead.create(KeyRing.generate(RANDOM, T0));
        assertFalse(Arrays.equals(aead.encrypt(NAME, ROW), aead.encrypt(NAME, ROW)));
    }

    @Test
    void decrypt_withAnyBitFlipped_throws() {
        Aead aead = KeyRingAead.create(KeyRing.generate(RANDOM, T0));
        byte[] c = aead.encrypt(NAME, ROW);
        for (int bit = 0; bit < c.length * 8; bit++) { // header, nonce, ciphertext and tag
            byte[] tampered = c.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(GeneralSecurityException.class, () -> aead.decrypt(tampered, ROW), "bit " + bit);
        }
    }

    @Test
    void decrypt_withHeaderNamingAnotherEnabledEpoch_failsAuthentication() {
        KeyRing ring = KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, TRANSITION);
        Aead aead = KeyRingAead.create(ring);
        byte[] c = aead.encrypt(NAME, ROW);
        c[4] = 1; // epoch 2 -> 1
        assertEquals("decryption failed",
                assertThrows(AEADBadTagException.class, () -> aead.decrypt(c, ROW)).getMessage());
    }

    @Test
    void decrypt_withWrongAssociatedData_throws() {
        Aead aead = KeyRingAead.create(KeyRing.generate(RANDOM, T0));
        byte[] c = aead.encrypt(NAME, ROW);
        byte[] otherRow = "persons/name/row-43".getBytes(StandardCharsets.US_ASCII);
        assertThrows(AEADBadTagException.class, () -> aead.decrypt(c, otherRow));
        assertThrows(AEADBadTagException.class, () -> aead.decrypt(c, new byte[0]));
    }

    @Test
    void rotate_newDataUsesNewEpochAndOldDataStillDecrypts() throws GeneralSecurityException {
        KeyRing one = KeyRing.generate(RANDOM, T0);
        byte[] old = KeyRingAead.create(one).encrypt(NAME, ROW);

        KeyRing two = one.rotate(RANDOM, T0.plus(Duration.ofDays(90)), TRANSITION);
        Aead aead = KeyRingAead.create(two);
        assertEquals(2, aead.encrypt(NAME, ROW)[4]);
        assertArrayEquals(NAME, aead.decrypt(old, ROW));
    }

    @Test
    void decrypt_afterTheTransitionEnded_stillDecryptsOldData() throws GeneralSecurityException {
        KeyRing one = KeyRing.generate(RANDOM, T0);
        byte[] old = KeyRingAead.create(one).encrypt(NAME, ROW);
        KeyRing two = one.rotate(RANDOM, T0, Duration.ZERO);

        assertThrows(KeyEpochException.class, () -> two.requireAccepted(1, T0), "epoch 1 is past its transition");
        assertArrayEquals(NAME, KeyRingAead.create(two).decrypt(old, ROW));
    }

    @Test
    void decrypt_fromDisabledEpoch_throwsNamingTheEpoch() {
        KeyRing one = KeyRing.generate(RANDOM, T0);
        byte[] old = KeyRingAead.create(one).encrypt(NAME, ROW);
        Aead aead = KeyRingAead.create(one.rotate(RANDOM, T0, TRANSITION).disable(1));

        KeyEpochException e = assertThrows(KeyEpochException.class, () -> aead.decrypt(old, ROW));
        assertEquals("epoch 1 is disabled", e.getMessage());
        assertEquals(1, e.epochId());
    }

    @Test
    void decrypt_fromUnknownEpoch_throwsNamingTheEpoch() {
        Aead aead = KeyRingAead.create(KeyRing.generate(RANDOM, T0));
        byte[] c = aead.encrypt(NAME, ROW);
        c[4] = 9;
        assertEquals("epoch 9 is unknown",
                assertThrows(KeyEpochException.class, () -> aead.decrypt(c, ROW)).getMessage());
    }

    @Test
    void decrypt_withUnknownVersion_throws() {
        Aead aead = KeyRingAead.create(KeyRing.generate(RANDOM, T0));
        byte[] c = aead.encrypt(NAME, ROW);
        c[0] = 2;
        assertEquals("unsupported ciphertext version 2",
                assertThrows(GeneralSecurityException.class, () -> aead.decrypt(c, ROW)).getMessage());
    }

    @Test
    void decrypt_withTruncatedInput_throws() throws GeneralSecurityException {
        Aead aead = KeyRingAead.create(KeyRing.generate(RANDOM, T0));
        byte[] c = aead.encrypt(new byte[0], ROW);
        assertEquals(33, c.length);
        assertArrayEquals(new byte[0], aead.decrypt(c, ROW));
        for (int n = 0; n < c.length; n++) {
            byte[] truncated = Arrays.copyOf(c, n);
            assertEquals("ciphertext too short",
                    assertThrows(GeneralSecurityException.class, () -> aead.decrypt(truncated, ROW)).getMessage());
        }
        byte[] longer = aead.encrypt(NAME, ROW);
        assertThrows(AEADBadTagException.class, () -> aead.decrypt(Arrays.copyOf(longer, longer.length - 1), ROW));
    }

    @Test
    void toStringAndMessages_leakNoPlaintextOrKey() {
        KeyRing ring = KeyRing.generate(RANDOM, T0);
        Aead aead = KeyRingAead.create(ring);
        byte[] c = aead.encrypt(NAME, ROW);
        c[c.length - 1] ^= 1;
        String message = assertThrows(GeneralSecurityException.class, () -> aead.decrypt(c, ROW)).getMessage();
        assertEquals("KeyRingAead[primaryEpoch=1] decryption failed", aead + " " + message);
    }
}
