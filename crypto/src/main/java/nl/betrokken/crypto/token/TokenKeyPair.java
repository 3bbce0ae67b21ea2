package nl.betrokken.crypto.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.text.ParseException;

/**
 * An ES256 signing key: a P-256 key pair with a key id ({@code kid}), for {@link Es256TokenSigner}.
 *
 * <p>The public half goes into a {@link PublicKeySet} through {@link #publicJwk()}. The private half leaves this
 * object only through {@link #toPrivateJson()}, named so that writing it to a file is a deliberate act;
 * {@link #toString()} shows the kid and curve, never key material.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class TokenKeyPair {

    private final ECKey key;

    private TokenKeyPair(ECKey key) {
        this.key = key;
    }

    /**
     * Generates a fresh P-256 key pair from the platform's {@code SecureRandom}. The JWK carries
     * {@code "alg":"ES256"} and {@code "use":"sig"}.
     *
     * @param kid the key id tokens will carry in their header; must not be blank
     */
    public static TokenKeyPair generate(String kid) {
        if (kid == null || kid.isBlank()) {
            throw new IllegalArgumentException("kid must not be blank");
        }
        try {
            return new TokenKeyPair(new ECKeyGenerator(Curve.P_256)
                    .keyID(kid)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyUse(KeyUse.SIGNATURE)
                    .generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a P-256 key pair", e);
        }
    }

    /**
     * Generates a fresh P-256 key pair whose key id is its own RFC 7638 thumbprint ({@link #thumbprint(ECKey)}), so
     * that the key id names this key and no other.
     */
    public static TokenKeyPair generate() {
        TokenKeyPair pair = generate("pending");
        return pair.withThumbprintKid();
    }

    /**
     * The RFC 7638 JWK thumbprint of {@code key} (SHA-256, base64url): computed from the public members {@code crv},
     * {@code kty}, {@code x}, {@code y} only, so the same key always has the same thumbprint whatever its kid, and
     * two keys never share one.
     */
    public static String thumbprint(ECKey key) {
        try {
            return key.toPublicJWK().computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** This key pair with its thumbprint as key id (itself when it has it already): the same key material. */
    public TokenKeyPair withThumbprintKid() {
        String thumbprint = thumbprint(key);
        if (thumbprint.equals(key.getKeyID())) {
            return this;
        }
        return new TokenKeyPair(new ECKey.Builder(key).keyID(thumbprint).build());
    }

    /** Whether the key id is the key's own thumbprint (keys made before thumbprint ids carry {@code <node>-1}). */
    public boolean hasThumbprintKid() {
        return thumbprint(key).equals(key.getKeyID());
    }

    /**
     * Parses a private JWK as written by {@link #toPrivateJson()}. Requires an EC key on P-256 with a kid and the
     * private parameter {@code d}; {@code alg} and {@code use}, when present, must be {@code ES256} and
     * {@code sig}. The private key must belong to the public point, which is checked by signing a test message.
     *
     * @throws IllegalArgumentException naming what is wrong; the message never contains the input
     */
    public static TokenKeyPair parsePrivate(String json) {
        if (json == null) {
            throw new IllegalArgumentException("private JWK JSON is null");
        }
        ECKey parsed;
        try {
            parsed = ECKey.parse(json);
        } catch (ParseException e) {
            // e's message comes from nimbus and names a parameter or a JSON position, not a value.
            throw new IllegalArgumentException("not a valid EC JWK", e);
        }
        ECKey ecKey = Es256Keys.requireEs256(parsed);
        if (!ecKey.isPrivate()) {
            throw new IllegalArgumentException(
                    "key '" + ecKey.getKeyID() + "' has no private parameter d; a public JWK cannot sign");
        }
        requireMatchingHalves(ecKey);
        return new TokenKeyPair(ecKey);
    }

    /** The key id tokens signed with this key carry in their {@code kid} header. */
    public String kid() {
        return key.getKeyID();
    }

    /** The public half as a JWK, for a {@link PublicKeySet}. Contains no private parameter. */
    public ECKey publicJwk() {
        return key.toPublicJWK();
    }

    /**
     * The full key pair, private parameter {@code d} included, as JWK JSON (RFC 7517). Meant for the service's
     * own key file; anyone holding this string can sign tokens as this service. Read back with
     * {@link #parsePrivate(String)}.
     */
    public String toPrivateJson() {
        return key.toJSONString();
    }

    /** The private JWK, for the signer in this package. */
    ECKey privateJwk() {
        return key;
    }

    @Override
    public String toString() {
        return "TokenKeyPair[kid=" + key.getKeyID() + ", alg=ES256, crv=" + key.getCurve() + "]";
    }

    private static void requireMatchingHalves(ECKey ecKey) {
        byte[] probe = "betrokken token key pair check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(ecKey.toECPrivateKey());
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(ecKey.toECPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (JOSEException | GeneralSecurityException e) {
            throw new IllegalArgumentException("key '" + ecKey.getKeyID() + "' cannot be loaded as a P-256 key", e);
        }
        if (!matches) {
            throw new IllegalArgumentException(
                    "key '" + ecKey.getKeyID() + "': private parameter d does not belong to the public point x, y");
        }
    }
}
