package nl.betrokken.crypto.log;

import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * What the two Ed25519 verifiers share: a key name and an Ed25519 public key, whose key id depends on the signature
 * type (c2sp.org/signed-note). The subclasses differ only in what the signature covers.
 */
abstract sealed class Ed25519KeyVerifier implements NoteVerifier permits Ed25519NoteVerifier, CosignatureV1Verifier {

    private final String keyName;
    private final byte type;
    private final byte[] publicKey;
    private final int keyId;
    private final Ed25519PublicKeyParameters key;

    Ed25519KeyVerifier(String keyName, byte type, byte[] publicKey) {
        this.keyName = NoteKeys.requireKeyName(Objects.requireNonNull(keyName, "keyName"));
        this.type = type;
        this.publicKey = NoteKeys.requirePublicKey(publicKey);
        this.key = NoteKeys.publicKeyParameters(this.publicKey);
        this.keyId = NoteKeys.keyId(keyName, type, this.publicKey);
    }

    @Override
    public final String keyName() {
        return keyName;
    }

    @Override
    public final int keyId() {
        return keyId;
    }

    @Override
    public final String verifierKey() {
        return NoteKeys.formatVerifierKey(keyName, type, publicKey);
    }

    /** Whether {@code signature} is this key's Ed25519 signature of {@code message}. */
    final boolean verifies(byte[] message, byte[] signature) {
        return NoteKeys.verify(key, message, signature);
    }

    /** {@code name+keyid}, for messages. */
    final String describe() {
        return NoteKeys.describe(keyName, keyId);
    }

    /** Returns e.g. {@code Ed25519NoteVerifier[PeterNeumann+c74f20a3]}. */
    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + describe() + "]";
    }
}
