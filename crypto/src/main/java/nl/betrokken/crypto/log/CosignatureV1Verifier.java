package nl.betrokken.crypto.log;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link NoteVerifier} for timestamped Ed25519 cosignatures, {@code cosignature/v1} of c2sp.org/tlog-cosignature
 * (signature type {@code 0x04}; see {@link CosignatureV1Signer} for the format).
 *
 * <p>{@link #verify} checks the signature over the header line, the time line and the note text, so a verified
 * cosignature's {@link #timestamp} is signed too. It does not judge the time: refusing cosignatures from the future
 * (the spec allows it) or too old is the caller's policy.
 */
public final class CosignatureV1Verifier extends Ed25519KeyVerifier {

    private static final int LENGTH = Long.BYTES + NoteKeys.SIGNATURE_LENGTH;
    /** The spec allows timestamps up to 2^63 - 1; an {@link Instant} ends earlier, in the year 1000000000. */
    private static final long MAX_TIMESTAMP = Instant.MAX.getEpochSecond();

    private CosignatureV1Verifier(String keyName, byte[] publicKey) {
        super(keyName, NoteKeys.TYPE_COSIGNATURE_V1, publicKey);
    }

    /**
     * Returns the verifier for this cosigner name and 32-byte Ed25519 public key.
     *
     * @throws IllegalArgumentException if the name is not a valid key name or the key is not an Ed25519 public key
     */
    public static CosignatureV1Verifier of(String keyName, byte[] publicKey) {
        return new CosignatureV1Verifier(keyName, publicKey);
    }

    /**
     * Parses a verifier key of type {@code 0x04}, e.g.
     * {@code remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2}.
     *
     * @throws IllegalArgumentException naming what is wrong, including a key of another type
     */
    public static CosignatureV1Verifier parse(String verifierKey) {
        NoteKeys.VerifierKey key =
                NoteKeys.parseVerifierKey(verifierKey, NoteKeys.TYPE_COSIGNATURE_V1, "a cosignature/v1");
        return new CosignatureV1Verifier(key.name(), key.publicKey());
    }

    @Override
    public void verify(byte[] text, byte[] signature) throws NoteException {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(signature, "signature");
        String who = "cosignature by key " + describe();
        if (signature.length != LENGTH) {
            throw new NoteException(NoteException.Reason.BAD_SIGNATURE, who + " is " + signature.length
                    + " bytes; a cosignature/v1 is an 8-byte timestamp and a 64-byte Ed25519 signature");
        }
        long timestamp = ByteBuffer.wrap(signature).getLong();
        if (timestamp < 0 || timestamp > MAX_TIMESTAMP) {
            throw new NoteException(NoteException.Reason.BAD_SIGNATURE, who + " has timestamp "
                    + Long.toUnsignedString(timestamp) + ", beyond " + MAX_TIMESTAMP + " (" + Instant.MAX + ")");
        }
        byte[] ed25519 = Arrays.copyOfRange(signature, Long.BYTES, LENGTH);
        if (!verifies(CosignatureV1Signer.signedMessage(timestamp, text), ed25519)) {
            throw new NoteException(NoteException.Reason.BAD_SIGNATURE, who + " does not verify");
        }
    }

    /** Returns the signing time a cosignature/v1 states, or empty if the bytes are not one. */
    @Override
    public Optional<Instant> timestamp(byte[] signature) {
        if (signature == null || signature.length != LENGTH) {
            return Optional.empty();
        }
        long timestamp = ByteBuffer.wrap(signature).getLong();
        return timestamp < 0 || timestamp > MAX_TIMESTAMP
                ? Optional.empty()
                : Optional.of(Instant.ofEpochSecond(timestamp));
    }
}
