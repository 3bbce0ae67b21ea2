package nl.betrokken.crypto.keys;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Immutable key material. Reading the bytes requires a {@link SecretKeyAccess} token; {@link #toString()}
 * shows only the length, and {@link #equalsSecretBytes(SecretBytes)} compares in constant time.
 *
 * <p>{@code equals} is deliberately not overridden (identity equality), so key material cannot end up as a map
 * key or be compared by accident in variable time.
 */
public final class SecretBytes {
    private final byte[] bytes;

    private SecretBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Wraps a copy of {@code bytes}.
     *
     * @throws IllegalArgumentException if {@code bytes} is empty
     */
    public static SecretBytes copyFrom(byte[] bytes, SecretKeyAccess access) {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        return new SecretBytes(bytes.clone());
    }

    /**
     * Returns {@code length} fresh bytes from {@code random}.
     *
     * @throws IllegalArgumentException if {@code length < 1}
     */
    public static SecretBytes random(int length, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        if (length < 1) {
            throw new IllegalArgumentException("length " + length + " must be at least 1");
        }
        byte[] b = new byte[length];
        random.nextBytes(b);
        return new SecretBytes(b);
    }

    /** Returns a copy of the key bytes. Passing {@code access} marks this as a deliberate read. */
    public byte[] copy(SecretKeyAccess access) {
        Objects.requireNonNull(access, "access");
        return bytes.clone();
    }

    /** Returns the number of bytes. */
    public int size() {
        return bytes.length;
    }

    /** Compares the bytes in constant time (for equal lengths) with {@link MessageDigest#isEqual}. */
    public boolean equalsSecretBytes(SecretBytes other) {
        return other != null && MessageDigest.isEqual(bytes, other.bytes);
    }

    /** Returns e.g. {@code SecretBytes[32 bytes]}; never the bytes. */
    @Override
    public String toString() {
        return "SecretBytes[" + bytes.length + " bytes]";
    }

    // Package-private: KeyRing feeds HKDF without an extra copy and wraps the output it owns.
    byte[] view() {
        return bytes;
    }

    static SecretBytes wrap(byte[] owned) {
        return new SecretBytes(owned);
    }
}
