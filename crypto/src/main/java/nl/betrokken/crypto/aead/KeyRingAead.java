package nl.betrokken.crypto.aead;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import nl.betrokken.crypto.aead.subtle.AesGcm;
import nl.betrokken.crypto.keys.KeyEpochException;
import nl.betrokken.crypto.keys.KeyPurpose;
import nl.betrokken.crypto.keys.KeyRing;

/**
 * An {@link Aead} over a node's {@link KeyRing}: AES-256-GCM under the {@link KeyPurpose#DATA_ENCRYPTION} key of an
 * epoch ({@link KeyRing#deriveDataAtRestKey}). A ciphertext is
 *
 * <pre>
 * header = 0x01 || epoch id (4 bytes, big-endian)                         5 bytes
 * output = header || AES-256-GCM(K_epoch, plaintext, aad = header || associatedData)
 *        = header || nonce (12) || encrypted plaintext || tag (16)         plaintext + 33 bytes
 * </pre>
 *
 * <p>Like Tink's output prefix, the header names the key, so {@link #decrypt} looks it up directly instead of
 * trying keys. The header is part of the GCM associated data, so changing its version or epoch fails
 * authentication. It is fixed-length, so {@code header || associatedData} is unambiguous.
 *
 * <p>Epochs: {@link #encrypt} uses the primary epoch. {@link #decrypt} accepts every epoch of the ring that is not
 * {@linkplain nl.betrokken.crypto.keys.KeyEpoch.State#DISABLED disabled}, including an accepted epoch whose
 * transition has ended: data at rest outlives the transition, and a rotation must not make it unreadable. Disabling
 * an epoch does; re-encrypt its rows under the primary first. Old ciphertexts keep their epoch until re-encrypted.
 *
 * <p>Immutable and thread-safe. The ring is immutable too, so build a new instance after a rotation or disable;
 * per-epoch ciphers are created once and cached.
 */
public final class KeyRingAead implements Aead {
    /** The format version, the first byte of every ciphertext. */
    public static final byte VERSION = 0x01;
    /** The length of the header: version byte and epoch id. */
    public static final int HEADER_LENGTH = 5;

    private static final int MIN_LENGTH = HEADER_LENGTH + AesGcm.NONCE_LENGTH + AesGcm.TAG_LENGTH;

    private final KeyRing ring;
    private final int primaryEpoch;
    private final AesGcm primary;
    private final Map<Integer, AesGcm> byEpoch = new ConcurrentHashMap<>();

    private KeyRingAead(KeyRing ring) throws GeneralSecurityException {
        this.ring = ring;
        this.primaryEpoch = ring.primary().id();
        this.primary = forEpoch(primaryEpoch);
    }

    /** Returns an AEAD that encrypts under {@code ring}'s primary epoch and decrypts under any enabled epoch. */
    public static KeyRingAead create(KeyRing ring) {
        Objects.requireNonNull(ring, "ring");
        try {
            return new KeyRingAead(ring);
        } catch (GeneralSecurityException e) {
            // The primary always holds a secret and derived keys are 32 bytes, so this is a broken JDK.
            throw new IllegalStateException("cannot set up AES-GCM", e);
        }
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(associatedData, "associatedData");
        byte[] header = header(primaryEpoch);
        byte[] body = primary.encrypt(plaintext, concat(header, associatedData));
        return concat(header, body);
    }

    /**
     * {@inheritDoc}
     *
     * @throws GeneralSecurityException "ciphertext too short", "unsupported ciphertext version 2", or
     *     {@code AEADBadTagException} "decryption failed"
     * @throws KeyEpochException "epoch 7 is unknown" or "epoch 7 is disabled"
     */
    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(associatedData, "associatedData");
        if (ciphertext.length < MIN_LENGTH) {
            throw new GeneralSecurityException("ciphertext too short");
        }
        if (ciphertext[0] != VERSION) {
            throw new GeneralSecurityException("unsupported ciphertext version " + (ciphertext[0] & 0xff));
        }
        int epochId = ByteBuffer.wrap(ciphertext, 1, 4).getInt();
        AesGcm aead = forEpoch(epochId);
        byte[] header = new byte[HEADER_LENGTH];
        System.arraycopy(ciphertext, 0, header, 0, HEADER_LENGTH);
        byte[] body = new byte[ciphertext.length - HEADER_LENGTH];
        System.arraycopy(ciphertext, HEADER_LENGTH, body, 0, body.length);
        return aead.decrypt(body, concat(header, associatedData));
    }

    // Only epochs the ring holds a secret for get here, so the cache is bounded by the ring's size.
    private AesGcm forEpoch(int epochId) throws GeneralSecurityException {
        AesGcm cached = byEpoch.get(epochId);
        if (cached != null) {
            return cached;
        }
        AesGcm fresh = AesGcm.create(ring.deriveDataAtRestKey(epochId, KeyPurpose.DATA_ENCRYPTION));
        AesGcm raced = byEpoch.putIfAbsent(epochId, fresh);
        return raced != null ? raced : fresh;
    }

    private static byte[] header(int epochId) {
        return ByteBuffer.allocate(HEADER_LENGTH).put(VERSION).putInt(epochId).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Returns e.g. {@code KeyRingAead[primaryEpoch=3]}. */
    @Override
    public String toString() {
        return "KeyRingAead[primaryEpoch=" + primaryEpoch + "]";
    }
}
