package nl.betrokken.crypto.log;

import java.time.Instant;
import java.util.Optional;

/**
 * Verifies signatures on signed notes (c2sp.org/signed-note) under one trusted public key, and publishes that key
 * as a verifier key, {@code <name>+<hex key id>+<base64(type || public key)>}.
 *
 * <h2>Security guarantees</h2>
 * {@link #verify} returns only for a signature made by this key over exactly this text. A verifier is the trust
 * anchor: build it from a verifier key that came through a trusted channel (configuration, the enrolment of a
 * node), never from the note it is meant to check.
 *
 * <p>Refusal is a {@link NoteException}, never a boolean. Implementations are immutable and thread-safe.
 */
public interface NoteVerifier {

    /**
     * Parses a verifier key of type Ed25519 ({@code 0x01}, {@link Ed25519NoteVerifier}) or timestamped Ed25519
     * cosignature ({@code 0x04}, {@link CosignatureV1Verifier}). The key id in the text must match the one derived
     * from the name and the key.
     *
     * @throws IllegalArgumentException naming what is wrong: the form, the key type, the key length, the key id
     */
    static NoteVerifier parse(String verifierKey) {
        NoteKeys.VerifierKey key = NoteKeys.parseVerifierKey(verifierKey);
        return switch (key.type()) {
            case NoteKeys.TYPE_ED25519 -> Ed25519NoteVerifier.of(key.name(), key.publicKey());
            case NoteKeys.TYPE_COSIGNATURE_V1 -> CosignatureV1Verifier.of(key.name(), key.publicKey());
            default -> throw NoteKeys.unsupportedType(key.type());
        };
    }

    /** Returns the key name that signature lines by this key carry. */
    String keyName();

    /** Returns the 32-bit key id that signature lines by this key start with. */
    int keyId();

    /**
     * Verifies {@code signature} over {@code text}.
     *
     * @param text the UTF-8 bytes of the note text, ending in a newline
     * @param signature the bytes that follow the 4-byte key id on the signature line
     * @throws NoteException with {@link NoteException.Reason#BAD_SIGNATURE} if it does not verify
     */
    void verify(byte[] text, byte[] signature) throws NoteException;

    /**
     * Returns the time a signature of this key's type states, for types that carry one (cosignature/v1), or empty.
     * Read it only from a signature that {@link #verify} accepted.
     */
    default Optional<Instant> timestamp(byte[] signature) {
        return Optional.empty();
    }

    /** Returns this key in verifier-key form, {@code <name>+<hex key id>+<base64(type || public key)>}. */
    String verifierKey();
}
