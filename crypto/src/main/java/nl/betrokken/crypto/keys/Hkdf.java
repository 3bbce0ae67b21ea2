package nl.betrokken.crypto.keys;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF-SHA256 (<a href="https://www.rfc-editor.org/rfc/rfc5869">RFC 5869</a>), extract then expand, through
 * Bouncy Castle's {@link HKDFBytesGenerator}. Tested against the RFC 5869 appendix A.1–A.3 vectors.
 */
final class Hkdf {
    /** The largest output RFC 5869 §2.3 allows for SHA-256: 255 · HashLen. */
    static final int MAX_LENGTH = 255 * 32;

    private Hkdf() {}

    /**
     * Derives {@code length} bytes.
     *
     * @param ikm input keying material, non-empty
     * @param salt the extract salt; empty means HashLen zero bytes (RFC 5869 §2.2)
     * @param info context and application specific information, may be empty (RFC 5869 §2.3)
     * @param length output length L, {@code 1 <= length <= 8160}
     */
    static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        if (ikm.length == 0) {
            throw new IllegalArgumentException("ikm must not be empty");
        }
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("length " + length + " must be in [1, " + MAX_LENGTH + "]");
        }
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt, info));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }
}
