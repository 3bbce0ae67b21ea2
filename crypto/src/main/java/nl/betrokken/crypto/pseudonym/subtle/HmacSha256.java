package nl.betrokken.crypto.pseudonym.subtle;

import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import nl.betrokken.crypto.keys.SecretBytes;
import nl.betrokken.crypto.keys.SecretKeyAccess;

/**
 * Raw HMAC-SHA256 (<a href="https://www.rfc-editor.org/rfc/rfc2104">RFC 2104</a>, test vectors
 * <a href="https://www.rfc-editor.org/rfc/rfc4231">RFC 4231</a>) over the JDK's {@code HmacSHA256}.
 *
 * <p>This is a building block, not an API for callers: it does no domain separation and puts no minimum on the
 * key length (RFC 4231 uses keys from 4 to 131 bytes). Use {@code Pseudonymizer} instead.
 *
 * <p>Thread-safe: each thread keeps its own initialised {@link Mac}, so {@link #compute} costs one HMAC and no
 * key setup.
 *
 * <p>Key lifetime: each per-thread {@link Mac} holds a copy of the key bytes for as long as its thread lives, and
 * may outlive this object (a {@link ThreadLocal} value is only reliably freed when its thread ends). On a
 * long-lived thread pool that is the life of the process. This is accepted: the key ring the keys are derived
 * from lives as long as the process anyway, and the JVM offers no reliable way to wipe key bytes (see the
 * {@code keys} package).
 */
public final class HmacSha256 {
    /** The output length in bytes. */
    public static final int MAC_LENGTH = 32;

    private static final String ALGORITHM = "HmacSHA256";

    private final ThreadLocal<Mac> mac;

    private HmacSha256(SecretKeySpec key) {
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                return newMac(key);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 key accepted once, refused now", e);
            }
        });
    }

    /**
     * Returns an HMAC-SHA256 under {@code key}.
     *
     * @throws GeneralSecurityException if the JDK refuses the key
     */
    public static HmacSha256 create(SecretBytes key) throws GeneralSecurityException {
        Objects.requireNonNull(key, "key");
        SecretKeySpec spec = new SecretKeySpec(key.copy(SecretKeyAccess.insecure()), ALGORITHM);
        newMac(spec); // fail here rather than on first use
        return new HmacSha256(spec);
    }

    private static Mac newMac(SecretKeySpec key) throws GeneralSecurityException {
        Mac m = Mac.getInstance(ALGORITHM);
        m.init(key);
        return m;
    }

    /** Returns the 32-byte HMAC-SHA256 of {@code data}. */
    public byte[] compute(byte[] data) {
        return mac.get().doFinal(data);
    }
}
