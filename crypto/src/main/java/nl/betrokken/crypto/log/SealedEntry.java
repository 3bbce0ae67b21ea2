package nl.betrokken.crypto.log;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import nl.betrokken.crypto.keys.SecretBytes;
import nl.betrokken.crypto.keys.SecretKeyAccess;

/**
 * An audit entry that must be in the log from the start but may not be shown yet, e.g. a "Veilig Thuis" access
 * that a parent may only see later. The log's leaf data is a commitment to the entry instead of the entry:
 *
 * <pre>
 * commitment = HMAC-SHA256(key = salt, message = "betrokken/audit/sealed-entry/v1" || 0x00 || entry bytes)
 * salt       = 32 fresh random bytes per entry
 * </pre>
 *
 * <p>Releasing the entry means publishing the entry bytes and the salt; anyone then recomputes the commitment and
 * finds it as a leaf of the log with {@link ProofVerifier#verifyInclusion}. The scheme and its vectors are published
 * in {@code src/test/resources/vectors/log/sealed-entry-v1.json}.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Hiding: until the salt is released, the commitment reveals nothing about the entry, not even whether two
 *       sealed entries are equal: each sealing draws a new salt. This rests on HMAC-SHA256 being a pseudorandom
 *       function under a 256-bit secret key (RFC 2104, and the standard analysis of HMAC). A plain hash of a
 *       guessable entry could be confirmed by trying candidates; a keyed one cannot.</li>
 *   <li>Binding: no one, not even the node that sealed, can later open the commitment to other entry bytes or
 *       another salt. With the key length fixed at 32 bytes, two different (salt, entry) pairs with the same HMAC
 *       give a SHA-256 collision in the outer or the inner hash.</li>
 *   <li>Domain separation: the versioned label, ended by 0x00, keeps these commitments apart from every other
 *       HMAC in Betrokken.</li>
 * </ul>
 *
 * <p>Why HMAC rather than SHA-256(label || salt || entry): both would do; HMAC makes the salt a key, so hiding
 * rests on the PRF property HMAC was designed and analysed for, rather than on SHA-256 behaving like a random
 * oracle, and it has no length-extension structure to reason about.
 *
 * <p>Not guaranteed: secrecy of the salt. The node keeps it, as it keeps the entry, until the release; whoever has
 * both can open the commitment early. {@link #toString()} shows only the commitment, which is public anyway.
 */
public final class SealedEntry {

    /** The domain-separation label, without its terminating 0x00. Part of the published v1 scheme. */
    public static final String LABEL = "betrokken/audit/sealed-entry/v1";
    /** The salt length in bytes. */
    public static final int SALT_LENGTH = 32;
    /** The commitment length in bytes. */
    public static final int COMMITMENT_LENGTH = 32;

    private static final byte[] PREFIX = (LABEL + "\0").getBytes(StandardCharsets.US_ASCII);

    private final byte[] commitment;
    private final SecretBytes salt;

    private SealedEntry(byte[] commitment, SecretBytes salt) {
        this.commitment = commitment;
        this.salt = salt;
    }

    /**
     * Seals {@code entry} under a fresh salt from {@code random}.
     *
     * @param entry the exact bytes that will be released later; the caller fixes their encoding
     */
    public static SealedEntry seal(byte[] entry, SecureRandom random) {
        Objects.requireNonNull(entry, "entry");
        SecretBytes salt = SecretBytes.random(SALT_LENGTH, Objects.requireNonNull(random, "random"));
        return new SealedEntry(commit(entry, salt.copy(SecretKeyAccess.insecure())), salt);
    }

    /** Returns a copy of the commitment: the leaf data the log appends for this entry. */
    public byte[] commitment() {
        return commitment.clone();
    }

    /** Returns the salt, to keep with the entry until it is released. */
    public SecretBytes salt() {
        return salt;
    }

    /**
     * Returns the commitment to {@code entry} under {@code salt}, as defined above.
     *
     * @throws IllegalArgumentException if the salt is not 32 bytes
     */
    public static byte[] commit(byte[] entry, byte[] salt) {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(salt, "salt");
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("salt is " + salt.length + " bytes; must be " + SALT_LENGTH);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            mac.update(PREFIX);
            return mac.doFinal(entry);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    /**
     * Verifies that {@code entry} and {@code salt} open {@code commitment}: that these are the bytes the log
     * committed to. Compares in constant time.
     *
     * @throws ReleaseException if the commitment or salt has the wrong length, or they do not match
     */
    public static void verifyRelease(byte[] commitment, byte[] entry, byte[] salt) throws ReleaseException {
        Objects.requireNonNull(commitment, "commitment");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(salt, "salt");
        if (commitment.length != COMMITMENT_LENGTH) {
            throw new ReleaseException(
                    "commitment is " + commitment.length + " bytes; must be " + COMMITMENT_LENGTH);
        }
        if (salt.length != SALT_LENGTH) {
            throw new ReleaseException("salt is " + salt.length + " bytes; must be " + SALT_LENGTH);
        }
        if (!MessageDigest.isEqual(commitment, commit(entry, salt))) {
            throw new ReleaseException("the released entry (" + entry.length + " bytes) and salt do not open "
                    + "commitment " + HexFormat.of().formatHex(commitment));
        }
    }

    /** Returns e.g. {@code SealedEntry[commitment=3f2a...]}: never the salt. */
    @Override
    public String toString() {
        return "SealedEntry[commitment=" + HexFormat.of().formatHex(commitment) + "]";
    }
}
