package nl.betrokken.crypto.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import nl.betrokken.crypto.keys.SecretBytes;
import nl.betrokken.crypto.keys.SecretKeyAccess;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * What the note signers and verifiers share: key names, key ids, the verifier-key text form (c2sp.org/signed-note)
 * and Ed25519 (RFC 8032) over Bouncy Castle's implementation.
 */
final class NoteKeys {

    /** Signature type of plain Ed25519 note signatures (c2sp.org/signed-note). */
    static final byte TYPE_ED25519 = 0x01;
    /** Signature type of timestamped Ed25519 cosignatures (c2sp.org/tlog-cosignature). */
    static final byte TYPE_COSIGNATURE_V1 = 0x04;

    static final int SEED_LENGTH = 32;
    static final int PUBLIC_KEY_LENGTH = 32;
    static final int SIGNATURE_LENGTH = 64;

    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{8}");

    /** A parsed verifier key whose key id matched. */
    record VerifierKey(String name, byte type, byte[] publicKey) {
    }

    private NoteKeys() {
    }

    /**
     * The key id of c2sp.org/signed-note: the first four bytes, big-endian, of
     * {@code SHA-256(key name || 0x0A || type || public key)}.
     */
    static int keyId(String name, byte type, byte[] publicKey) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        sha256.update(name.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) '\n');
        sha256.update(type);
        return ByteBuffer.wrap(sha256.digest(publicKey)).getInt();
    }

    /** {@code name+c74f20a3}, the way Go's note package names a key in its errors. */
    static String describe(String name, int keyId) {
        return name + "+" + HexFormat.of().toHexDigits(keyId);
    }

    /**
     * Whether {@code name} may be a key name: non-empty, without Unicode spaces or '+', and (for a note that must
     * have no control characters) without control characters.
     */
    static boolean isValidKeyName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        return name.codePoints().noneMatch(c -> c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.isISOControl(c));
    }

    static String requireKeyName(String name) {
        if (!isValidKeyName(name)) {
            throw new IllegalArgumentException(
                    "key name must be non-empty, without spaces, '+' or control characters");
        }
        return name;
    }

    /** {@code <name>+<8 hex digits>+<base64(type || public key)>}. */
    static String formatVerifierKey(String name, byte type, byte[] publicKey) {
        byte[] typed = new byte[1 + publicKey.length];
        typed[0] = type;
        System.arraycopy(publicKey, 0, typed, 1, publicKey.length);
        return describe(name, keyId(name, type, publicKey)) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    /**
     * Parses {@code <name>+<8 hex digits>+<base64(type || public key)>}. Splits at the first two '+' only: the
     * base64 may contain '+' too.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static VerifierKey parseVerifierKey(String text) {
        Objects.requireNonNull(text, "verifierKey");
        int first = text.indexOf('+');
        int second = first < 0 ? -1 : text.indexOf('+', first + 1);
        if (second < 0) {
            throw new IllegalArgumentException("verifier key must have the form <name>+<key id>+<base64 key>");
        }
        String name = requireKeyName(text.substring(0, first));
        String id = text.substring(first + 1, second);
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "key id of verifier key '" + name + "' must be 8 lowercase hex digits");
        }
        byte[] typed;
        try {
            typed = Base64.getDecoder().decode(text.substring(second + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key of verifier key '" + name + "' is not base64");
        }
        if (typed.length < 2) {
            throw new IllegalArgumentException("key of verifier key '" + name + "' is empty");
        }
        byte type = typed[0];
        byte[] publicKey = Arrays.copyOfRange(typed, 1, typed.length);
        if (type != TYPE_ED25519 && type != TYPE_COSIGNATURE_V1) {
            throw unsupportedType(type);
        }
        requirePublicKey(publicKey);
        int derived = keyId(name, type, publicKey);
        if (derived != Integer.parseUnsignedInt(id, 16)) {
            throw new IllegalArgumentException("key id " + id + " of verifier key '" + name
                    + "' does not match its key, whose id is " + HexFormat.of().toHexDigits(derived));
        }
        return new VerifierKey(name, type, publicKey);
    }

    static IllegalArgumentException unsupportedType(byte type) {
        return new IllegalArgumentException("key type " + typeName(type)
                + " is not supported; Betrokken reads Ed25519 (0x01) and cosignature/v1 (0x04) keys");
    }

    /**
     * Parses a verifier key that must be of {@code type}.
     *
     * @throws IllegalArgumentException naming what is wrong, including a key of another type
     */
    static VerifierKey parseVerifierKey(String text, byte type, String kind) {
        VerifierKey key = parseVerifierKey(text);
        if (key.type() != type) {
            throw new IllegalArgumentException("verifier key '" + key.name() + "' is of type "
                    + typeName(key.type()) + "; " + kind + " key has type " + typeName(type));
        }
        return key;
    }

    static String typeName(byte type) {
        return "0x" + HexFormat.of().toHexDigits(type);
    }

    static byte[] requirePublicKey(byte[] publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.length != PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException(
                    "Ed25519 public key is " + publicKey.length + " bytes; must be " + PUBLIC_KEY_LENGTH);
        }
        return publicKey.clone();
    }

    /** The private key with this RFC 8032 seed (the 32-byte private key of section 5.1.5). */
    static Ed25519PrivateKeyParameters privateKey(SecretBytes seed) {
        Objects.requireNonNull(seed, "seed");
        if (seed.size() != SEED_LENGTH) {
            throw new IllegalArgumentException(
                    "Ed25519 seed is " + seed.size() + " bytes; must be " + SEED_LENGTH);
        }
        return new Ed25519PrivateKeyParameters(seed.copy(SecretKeyAccess.insecure()), 0);
    }

    static byte[] publicKey(Ed25519PrivateKeyParameters privateKey) {
        return privateKey.generatePublicKey().getEncoded();
    }

    static byte[] sign(Ed25519PrivateKeyParameters privateKey, byte[] message) {
        byte[] signature = new byte[SIGNATURE_LENGTH];
        privateKey.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
        return signature;
    }

    /**
     * The public key as Bouncy Castle's parameters, which decode the point once.
     *
     * @throws IllegalArgumentException if the key is not 32 bytes or not an encoded curve point
     */
    static Ed25519PublicKeyParameters publicKeyParameters(byte[] publicKey) {
        requirePublicKey(publicKey);
        try {
            return new Ed25519PublicKeyParameters(publicKey, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Ed25519 public key is not a point on the curve");
        }
    }

    static boolean verify(Ed25519PublicKeyParameters publicKey, byte[] message, byte[] signature) {
        return signature.length == SIGNATURE_LENGTH
                && publicKey.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }
}
