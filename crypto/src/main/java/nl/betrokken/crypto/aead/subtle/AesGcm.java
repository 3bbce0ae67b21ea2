package nl.betrokken.crypto.aead.subtle;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import nl.betrokken.crypto.aead.Aead;
import nl.betrokken.crypto.keys.SecretBytes;
import nl.betrokken.crypto.keys.SecretKeyAccess;

/**
 * Raw AES-256-GCM (<a href="https://doi.org/10.6028/NIST.SP.800-38D">NIST SP 800-38D</a>) over the JDK's
 * {@code AES/GCM/NoPadding}: a random 96-bit nonce from {@link SecureRandom} and a 128-bit tag. A ciphertext is
 * {@code nonce (12 bytes) || encrypted plaintext || tag (16 bytes)}, so it is 28 bytes longer than its plaintext.
 *
 * <p>This is a building block: it knows one key, no epochs and no format version. Use
 * {@code KeyRingAead} instead. Every decryption failure throws {@link AEADBadTagException} with the one message
 * {@code "decryption failed"}, whatever went wrong and whatever the input was.
 *
 * <p>Thread-safe: each call uses its own {@link Cipher}, because a GCM cipher must be initialised with a new nonce
 * for every message anyway.
 */
public final class AesGcm implements Aead {
    /** The key length in bytes (AES-256). */
    public static final int KEY_LENGTH = 32;
    /** The nonce length in bytes (96 bits, the length SP 800-38D §8.2 recommends). */
    public static final int NONCE_LENGTH = 12;
    /** The tag length in bytes (128 bits). */
    public static final int TAG_LENGTH = 16;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final String FAILED = "decryption failed";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private AesGcm(SecretKeySpec key) {
        this.key = key;
    }

    /**
     * Returns AES-256-GCM under {@code key}.
     *
     * @throws InvalidKeyException if {@code key} is not 32 bytes ("AES-GCM key is 16 bytes; must be 32"), or the
     *     JDK refuses it
     */
    public static AesGcm create(SecretBytes key) throws GeneralSecurityException {
        Objects.requireNonNull(key, "key");
        if (key.size() != KEY_LENGTH) {
            throw new InvalidKeyException("AES-GCM key is " + key.size() + " bytes; must be " + KEY_LENGTH);
        }
        SecretKeySpec spec = new SecretKeySpec(key.copy(SecretKeyAccess.insecure()), "AES");
        cipher(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(TAG_LENGTH * 8, new byte[NONCE_LENGTH])); // fail now
        return new AesGcm(spec);
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        return encrypt(nonce, plaintext, associatedData);
    }

    /**
     * Encrypts under a given nonce. Package-private so that tests can replay published vectors: a caller that
     * picks nonces can repeat one, which breaks GCM, so no public method takes a nonce.
     */
    byte[] encrypt(byte[] nonce, byte[] plaintext, byte[] associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(associatedData, "associatedData");
        if (nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce is " + nonce.length + " bytes; must be " + NONCE_LENGTH);
        }
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            c.updateAAD(associatedData);
            byte[] out = new byte[NONCE_LENGTH + plaintext.length + TAG_LENGTH];
            System.arraycopy(nonce, 0, out, 0, NONCE_LENGTH);
            c.doFinal(plaintext, 0, plaintext.length, out, NONCE_LENGTH);
            return out;
        } catch (GeneralSecurityException e) {
            // The key passed the same initialisation in create(), so this is a broken JDK.
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Decrypts {@code nonce || ciphertext || tag}.
     *
     * @throws AEADBadTagException "decryption failed", if the input is shorter than 28 bytes, or it or
     *     {@code associatedData} is not exactly what {@link #encrypt} authenticated under this key
     */
    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(associatedData, "associatedData");
        if (ciphertext.length < NONCE_LENGTH + TAG_LENGTH) {
            throw new AEADBadTagException(FAILED);
        }
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_LENGTH * 8, ciphertext, 0, NONCE_LENGTH));
            c.updateAAD(associatedData);
            return c.doFinal(ciphertext, NONCE_LENGTH, ciphertext.length - NONCE_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new AEADBadTagException(FAILED); // flat: no cause, no detail about which check failed
        }
    }

    private static Cipher cipher(int mode, SecretKeySpec key, GCMParameterSpec params)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(TRANSFORMATION);
        c.init(mode, key, params);
        return c;
    }

    /** Returns {@code AesGcm[256-bit key]}; never the key. */
    @Override
    public String toString() {
        return "AesGcm[256-bit key]";
    }
}
