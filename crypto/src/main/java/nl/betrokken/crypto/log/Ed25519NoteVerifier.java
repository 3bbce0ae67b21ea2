package nl.betrokken.crypto.log;

import java.util.Objects;

/**
 * {@link NoteVerifier} for plain Ed25519 note signatures, signature type {@code 0x01} of c2sp.org/signed-note
 * (see {@link Ed25519NoteSigner}).
 */
public final class Ed25519NoteVerifier extends Ed25519KeyVerifier {

    private Ed25519NoteVerifier(String keyName, byte[] publicKey) {
        super(keyName, NoteKeys.TYPE_ED25519, publicKey);
    }

    /**
     * Returns the verifier for this key name and 32-byte Ed25519 public key.
     *
     * @throws IllegalArgumentException if the name is not a valid key name or the key is not an Ed25519 public key
     */
    public static Ed25519NoteVerifier of(String keyName, byte[] publicKey) {
        return new Ed25519NoteVerifier(keyName, publicKey);
    }

    /**
     * Parses a verifier key of type {@code 0x01}, e.g.
     * {@code PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW}.
     *
     * @throws IllegalArgumentException naming what is wrong, including a key of another type
     */
    public static Ed25519NoteVerifier parse(String verifierKey) {
        NoteKeys.VerifierKey key = NoteKeys.parseVerifierKey(verifierKey, NoteKeys.TYPE_ED25519, "an Ed25519 note");
        return new Ed25519NoteVerifier(key.name(), key.publicKey());
    }

    @Override
    public void verify(byte[] text, byte[] signature) throws NoteException {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(signature, "signature");
        if (!verifies(text, signature)) {
            throw new NoteException(NoteException.Reason.BAD_SIGNATURE,
                    "signature by key " + describe() + " does not verify");
        }
    }
}
