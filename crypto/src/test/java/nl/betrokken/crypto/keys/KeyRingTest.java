package nl.betrokken.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyRingTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TRANSITION = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void generate_makesEpochOnePrimaryWith256BitSecret() {
        KeyRing ring = KeyRing.generate(RANDOM, T0);
        assertEquals(KeyEpoch.primary(1, T0), ring.primary());
        assertEquals(List.of(ring.primary()), ring.epochs());
        assertEquals(32, ring.secret(1).size());
    }

    @Test
    void rotate_makesNewPrimaryAndOldOneAcceptedForTheTransition() {
        KeyRing one = KeyRing.generate(RANDOM, T0);
        Instant t1 = T0.plus(Duration.ofDays(100));
        KeyRing two = one.rotate(RANDOM, t1, TRANSITION);

        assertEquals(KeyEpoch.primary(2, t1), two.primary());
        assertEquals(KeyEpoch.accepted(1, T0, t1.plus(TRANSITION)), two.epochs().get(0));
        assertTrue(two.secret(1).equalsSecretBytes(one.secret(1)));
        assertFalse(two.secret(2).equalsSecretBytes(one.secret(1)));
        assertEquals(KeyEpoch.primary(1, T0), one.primary(), "rotate must not change the original ring");
    }

    @Test
    void rotate_keepsTheStateOfOlderEpochs() {
        KeyRing ring = KeyRing.generate(RANDOM, T0)
                .rotate(RANDOM, T0.plusSeconds(10), TRANSITION)
                .rotate(RANDOM, T0.plusSeconds(20), TRANSITION);
        assertEquals(List.of(
                KeyEpoch.accepted(1, T0, T0.plusSeconds(10).plus(TRANSITION)),
                KeyEpoch.accepted(2, T0.plusSeconds(10), T0.plusSeconds(20).plus(TRANSITION)),
                KeyEpoch.primary(3, T0.plusSeconds(20))), ring.epochs());
    }

    @Test
    void rotate_withNegativeTransition_throws() {
        KeyRing ring = KeyRing.generate(RANDOM, T0);
        assertThrows(IllegalArgumentException.class, () -> ring.rotate(RANDOM, T0, Duration.ofSeconds(-1)));
    }

    @Test
    void acceptedEpochs_listsPrimaryFirstThenAcceptedNewestFirst() {
        Instant t1 = T0.plusSeconds(10);
        Instant t2 = T0.plusSeconds(20);
        KeyRing ring = KeyRing.generate(RANDOM, T0).rotate(RANDOM, t1, TRANSITION).rotate(RANDOM, t2, TRANSITION);
        assertEquals(List.of(3, 2, 1), ids(ring.acceptedEpochs(t2)));
        assertEquals(List.of(3, 2), ids(ring.acceptedEpochs(t1.plus(TRANSITION))));
        assertEquals(List.of(3), ids(ring.acceptedEpochs(t2.plus(TRANSITION))));
    }

    @Test
    void requireAccepted_withOldEpochDuringTransition_passes() throws KeyEpochException {
        KeyRing ring = KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, TRANSITION);
        assertEquals(1, ring.requireAccepted(1, T0.plus(TRANSITION).minusNanos(1)).id());
    }

    @Test
    void requireAccepted_withOldEpochAfterTransition_throwsNamingTheInstant() {
        KeyRing ring = KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, TRANSITION);
        KeyEpochException e = assertThrows(KeyEpochException.class,
                () -> ring.requireAccepted(1, T0.plus(TRANSITION)));
        assertEquals("epoch 1 was accepted until 2026-01-31T00:00:00Z", e.getMessage());
        assertEquals(1, e.epochId());
    }

    @Test
    void requireAccepted_withUnknownEpoch_throws() {
        KeyRing ring = KeyRing.generate(RANDOM, T0);
        assertEquals("epoch 7 is unknown",
                assertThrows(KeyEpochException.class, () -> ring.requireAccepted(7, T0)).getMessage());
    }

    @Test
    void requireAccepted_withDisabledEpoch_throws() {
        KeyRing ring = KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, TRANSITION).disable(1);
        assertEquals("epoch 1 is disabled",
                assertThrows(KeyEpochException.class, () -> ring.requireAccepted(1, T0)).getMessage());
        assertEquals(List.of(2), ids(ring.acceptedEpochs(T0)));
    }

    @Test
    void disable_dropsTheSecretAndKeepsTheOthers() {
        KeyRing before = KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, TRANSITION);
        KeyRing after = before.disable(1);
        assertEquals(KeyEpoch.disabled(1, T0), after.epochs().get(0));
        assertNull(after.secret(1));
        assertThrows(KeyEpochException.class, () -> after.deriveKey(1, KeyPurpose.PSEUDONYM, T0));
        assertTrue(after.secret(2).equalsSecretBytes(before.secret(2)));
        assertEquals(32, before.secret(1).size(), "disable must not change the original ring");
    }

    @Test
    void builder_addDisabled_addsAnEpochWithoutSecret() {
        KeyRing ring = KeyRing.builder()
                .addDisabled(KeyEpoch.disabled(1, T0))
                .add(KeyEpoch.primary(2, T0), SecretBytes.random(32, RANDOM))
                .build();
        assertEquals(List.of(KeyEpoch.disabled(1, T0), KeyEpoch.primary(2, T0)), ring.epochs());
        assertNull(ring.secret(1));
    }

    @Test
    void builder_withSecretForDisabledEpochOrNoSecretForOthers_throws() {
        SecretBytes s = SecretBytes.random(32, RANDOM);
        assertEquals("epoch 1 is disabled and holds no secret", assertThrows(IllegalArgumentException.class,
                () -> KeyRing.builder().add(KeyEpoch.disabled(1, T0), s)).getMessage());
        assertEquals("epoch 1 is PRIMARY and needs a secret", assertThrows(IllegalArgumentException.class,
                () -> KeyRing.builder().addDisabled(KeyEpoch.primary(1, T0))).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> KeyRing.builder().addDisabled(KeyEpoch.accepted(1, T0, T0.plus(TRANSITION))));
    }

    @Test
    void disable_withPrimaryOrUnknownEpoch_throws() {
        KeyRing ring = KeyRing.generate(RANDOM, T0);
        assertThrows(IllegalArgumentException.class, () -> ring.disable(1));
        assertThrows(IllegalArgumentException.class, () -> ring.disable(2));
    }

    @Test
    void deriveKey_isHkdfSha256WithDocumentedSaltAndInfo() throws KeyEpochException {
        byte[] secret = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        KeyRing ring = KeyRing.builder()
                .add(KeyEpoch.primary(3, T0), SecretBytes.copyFrom(secret, SecretKeyAccess.insecure()))
                .build();
        for (KeyPurpose purpose : KeyPurpose.values()) {
            byte[] want = Hkdf.sha256(secret, "betrokken/v1/hkdf-salt".getBytes(StandardCharsets.US_ASCII),
                    ("betrokken/v1/" + purpose.label() + "/epoch-3").getBytes(StandardCharsets.US_ASCII), 32);
            SecretBytes got = ring.deriveKey(3, purpose, T0);
            assertTrue(got.equalsSecretBytes(SecretBytes.copyFrom(want, SecretKeyAccess.insecure())), purpose.name());
        }
    }

    @Test
    void deriveKey_differsPerPurposeAndEpoch() throws KeyEpochException {
        KeyRing ring = KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, TRANSITION);
        SecretBytes a = ring.deriveKey(2, KeyPurpose.PSEUDONYM, T0);
        assertFalse(a.equalsSecretBytes(ring.deriveKey(2, KeyPurpose.BLIND_INDEX, T0)));
        assertFalse(a.equalsSecretBytes(ring.deriveKey(1, KeyPurpose.PSEUDONYM, T0)));
        assertTrue(a.equalsSecretBytes(ring.deriveKey(2, KeyPurpose.PSEUDONYM, T0)));
    }

    @Test
    void deriveKey_withExpiredEpoch_throws() {
        KeyRing ring = KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, TRANSITION);
        assertThrows(KeyEpochException.class, () -> ring.deriveKey(1, KeyPurpose.PSEUDONYM, T0.plus(TRANSITION)));
    }

    @Test
    void deriveDataAtRestKey_afterTheTransition_stillGivesTheEpochsKey() throws KeyEpochException {
        KeyRing during = KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, TRANSITION);
        SecretBytes key = during.deriveKey(1, KeyPurpose.DATA_ENCRYPTION, T0);
        Instant after = T0.plus(TRANSITION);
        assertThrows(KeyEpochException.class, () -> during.deriveKey(1, KeyPurpose.DATA_ENCRYPTION, after));
        assertTrue(key.equalsSecretBytes(during.deriveDataAtRestKey(1, KeyPurpose.DATA_ENCRYPTION)));
        assertFalse(key.equalsSecretBytes(during.deriveDataAtRestKey(1, KeyPurpose.BLIND_INDEX)));
    }

    @Test
    void deriveDataAtRestKey_forTheAuditLog_outlivesTheTransitionAndEndsWithDisable() throws KeyEpochException {
        KeyRing during = KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, TRANSITION);
        Instant after = T0.plus(TRANSITION);
        for (KeyPurpose purpose : new KeyPurpose[] {KeyPurpose.AUDIT_LOG, KeyPurpose.AUDIT_REFERENCE}) {
            SecretBytes key = during.deriveKey(1, purpose, T0);
            assertThrows(KeyEpochException.class, () -> during.deriveKey(1, purpose, after));
            assertTrue(key.equalsSecretBytes(during.deriveDataAtRestKey(1, purpose)), purpose.name());
            assertThrows(KeyEpochException.class, () -> during.disable(1).deriveDataAtRestKey(1, purpose));
        }
        assertFalse(during.deriveDataAtRestKey(1, KeyPurpose.AUDIT_LOG)
                .equalsSecretBytes(during.deriveDataAtRestKey(1, KeyPurpose.AUDIT_REFERENCE)));
        assertThrows(IllegalArgumentException.class, () -> during.deriveDataAtRestKey(1, KeyPurpose.AUDIT_COSIGN));
    }

    @Test
    void deriveDataAtRestKey_withDisabledOrUnknownEpoch_throws() {
        KeyRing ring = KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, TRANSITION).disable(1);
        assertEquals("epoch 1 is disabled", assertThrows(KeyEpochException.class,
                () -> ring.deriveDataAtRestKey(1, KeyPurpose.DATA_ENCRYPTION)).getMessage());
        assertEquals("epoch 7 is unknown", assertThrows(KeyEpochException.class,
                () -> ring.deriveDataAtRestKey(7, KeyPurpose.BLIND_INDEX)).getMessage());
    }

    @Test
    void deriveDataAtRestKey_withFederationPurpose_throws() {
        KeyRing ring = KeyRing.generate(RANDOM, T0);
        assertEquals("purpose PSEUDONYM is not for data at rest; use deriveKey", assertThrows(
                IllegalArgumentException.class, () -> ring.deriveDataAtRestKey(1, KeyPurpose.PSEUDONYM)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ring.deriveDataAtRestKey(1, KeyPurpose.REKEY));
    }

    @Test
    void builder_refusesBadRings() {
        SecretBytes s = SecretBytes.random(32, RANDOM);
        assertThrows(IllegalArgumentException.class, () -> KeyRing.builder().build());
        assertThrows(IllegalArgumentException.class, () -> KeyRing.builder()
                .add(KeyEpoch.primary(1, T0), s).add(KeyEpoch.primary(2, T0), s).build());
        assertThrows(IllegalArgumentException.class, () -> KeyRing.builder()
                .add(KeyEpoch.primary(1, T0), s).addDisabled(KeyEpoch.disabled(1, T0)));
        assertThrows(IllegalArgumentException.class, () -> KeyRing.builder()
                .add(KeyEpoch.primary(1, T0), SecretBytes.random(16, RANDOM)));
        assertThrows(IllegalArgumentException.class, () -> KeyEpoch.primary(0, T0));
    }

    @Test
    void toString_namesEpochsButNoSecret() {
        KeyRing ring = KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, TRANSITION);
        String hex = HexFormat.of().formatHex(ring.secret(2).copy(SecretKeyAccess.insecure()));
        assertEquals("KeyRing[primary=2, epochs=[1:ACCEPTED, 2:PRIMARY]]", ring.toString());
        assertFalse(ring.toString().contains(hex));
    }

    private static List<Integer> ids(List<KeyEpoch> epochs) {
        return epochs.stream().map(KeyEpoch::id).toList();
    }

    @Test
    void acceptedEpochs_returnsThePrimaryInstance() {
        KeyRing ring = KeyRing.generate(RANDOM, T0);
        assertSame(ring.primary(), ring.acceptedEpochs(T0).get(0));
    }
}
