package nl.betrokken.crypto.log;

/**
 * Signs the text of a signed note (c2sp.org/signed-note) under one key. {@link SignedNote#sign} and
 * {@link SignedNote#withSignature} put the result on a signature line.
 *
 * <h2>Security guarantees</h2>
 * A signature binds the exact bytes of the note text (including its final newline) to the key named by
 * {@link #keyName()} and {@link #keyId()}; the verifier for the same key accepts it and refuses any other text.
 * Implementations never print key material.
 *
 * <p>Not for: anything but note text. Use one key per purpose: a log key for checkpoints, a separate cosigner key
 * for cosignatures (c2sp.org/tlog-cosignature requires distinct keys per cosigner).
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface NoteSigner {

    /** Returns the key name written on signature lines, e.g. {@code betrokken.nl/node/utrecht}. */
    String keyName();

    /** Returns the 32-bit key id written before the signature, derived from name, type and public key. */
    int keyId();

    /**
     * Returns the signature of {@code text}: the bytes that follow the 4-byte key id on a signature line.
     *
     * @param text the UTF-8 bytes of the note text, ending in a newline
     */
    byte[] sign(byte[] text);

    /** Returns the verifier of this signer's key, e.g. to publish it as a verifier key. */
    NoteVerifier verifier();
}
