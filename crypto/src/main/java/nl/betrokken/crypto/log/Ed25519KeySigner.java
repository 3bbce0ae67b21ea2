package nl.betrokken.crypto.log;

import java.util.Objects;
import nl.betrokken.crypto.keys.SecretBytes;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * What the two Ed25519 signers share: a key name and an Ed25519 private key from a 32-byte seed. The subclasses
 * differ only in what they sign and which verifier matches.
 */
abstract sealed class Ed25519KeySigner implements NoteSigner permits Ed25519NoteSigner, CosignatureV1Signer {

    private final String keyName;
    private final Ed25519PrivateKeyParameters privateKey;

    Ed25519KeySigner(String keyName, SecretBytes seed) {
        this.keyName = NoteKeys.requireKeyName(Objects.requireNonNull(keyName, "keyName"));
        this.privateKey = NoteKeys.privateKey(seed);
    }

    @Override
    public final String keyName() {
        return keyName;
    }

    @Override
    public final int keyId() {
        return verifier().keyId();
    }

    /** The raw 32-byte public key, for the subclass to build its verifier from. */
    final byte[] publicKey() {
        return NoteKeys.publicKey(privateKey);
    }

    /** The Ed25519 signature of {@code message}. */
    final byte[] ed25519(byte[] message) {
        return NoteKeys.sign(privateKey, message);
    }

    /** Returns e.g. {@code Ed25519NoteSigner[PeterNeumann+c74f20a3]}; never key material. */
    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + NoteKeys.describe(keyName, keyId()) + "]";
    }
}
