package nl.betrokken.crypto.log;

import java.util.Objects;
import nl.betrokken.crypto.keys.SecretBytes;

/**
 * {@link NoteSigner} with plain Ed25519 note signatures, signature type {@code 0x01} of c2sp.org/signed-note:
 * the signature is Ed25519 (RFC 8032) over the note text, and the key id is
 * {@code SHA-256(key name || 0x0A || 0x01 || public key)[:4]}. Go's {@code golang.org/x/mod/sumdb/note} signs the
 * same way, so the two verify each other's notes.
 *
 * <p>A log that signs its checkpoints with this signer states no time; see {@link CosignatureV1Signer} for one
 * that does.
 */
public final class Ed25519NoteSigner extends Ed25519KeySigner {

    private final Ed25519NoteVerifier verifier;

    private Ed25519NoteSigner(String keyName, SecretBytes seed) {
        super(keyName, seed);
        this.verifier = Ed25519NoteVerifier.of(keyName, publicKey());
    }

    /**
     * Returns the signer for the Ed25519 key with this seed (the 32-byte private key of RFC 8032 section 5.1.5).
     * Generate a seed with {@code SecretBytes.random(32, new SecureRandom())} and keep it with the node's other
     * keys.
     *
     * @throws IllegalArgumentException if the name is not a valid key name (empty, or with a space, '+' or a
     *     control character) or the seed is not 32 bytes
     */
    public static Ed25519NoteSigner fromSeed(String keyName, SecretBytes seed) {
        return new Ed25519NoteSigner(keyName, seed);
    }

    @Override
    public byte[] sign(byte[] text) {
        return ed25519(Objects.requireNonNull(text, "text"));
    }

    @Override
    public Ed25519NoteVerifier verifier() {
        return verifier;
    }
}
