package nl.betrokken.crypto.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;

/** Checks shared by {@link TokenKeyPair} and {@link PublicKeySet}: a JWK fit for ES256 with a key id. */
final class Es256Keys {

    private Es256Keys() {
    }

    /**
     * Requires an EC key on P-256 with a non-blank {@code kid}, whose {@code alg} and {@code use}, when present,
     * are {@code ES256} and {@code sig}. Says nothing about whether the key is private; callers decide that.
     * Messages name the kid and the offending parameter, never key material.
     */
    static ECKey requireEs256(JWK key) {
        if (key == null) {
            throw new IllegalArgumentException("key is null");
        }
        String kid = key.getKeyID();
        if (kid == null || kid.isBlank()) {
            throw new IllegalArgumentException("key has no kid; every token key needs a key id");
        }
        if (!(key instanceof ECKey ecKey)) {
            throw new IllegalArgumentException(
                    "key '" + kid + "' has kty " + key.getKeyType() + "; only EC keys on P-256 are accepted");
        }
        if (!Curve.P_256.equals(ecKey.getCurve())) {
            throw new IllegalArgumentException(
                    "key '" + kid + "' is on curve " + ecKey.getCurve() + "; only P-256 is accepted");
        }
        if (key.getAlgorithm() != null && !JWSAlgorithm.ES256.equals(key.getAlgorithm())) {
            throw new IllegalArgumentException(
                    "key '" + kid + "' has alg " + key.getAlgorithm() + "; only ES256 is accepted");
        }
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            throw new IllegalArgumentException(
                    "key '" + kid + "' has use " + key.getKeyUse().identifier() + "; only sig is accepted");
        }
        return ecKey;
    }
}
