package nl.betrokken.crypto.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Date;
import java.util.Map;

/**
 * {@link TokenSigner} with ES256 (ECDSA on P-256 with SHA-256, RFC 7518 section 3.4). The header is
 * {@code {"alg":"ES256","kid":<key id>,"typ":"JWT"}}; the single audience is written as a JSON string.
 */
public final class Es256TokenSigner implements TokenSigner {

    private final String kid;
    private final ECDSASigner signer;
    private final JWSHeader header;

    private Es256TokenSigner(String kid, ECDSASigner signer) {
        this.kid = kid;
        this.signer = signer;
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).type(JOSEObjectType.JWT).build();
    }

    /** A signer using {@code keyPair}; tokens carry its kid. */
    public static Es256TokenSigner create(TokenKeyPair keyPair) {
        if (keyPair == null) {
            throw new IllegalArgumentException("keyPair is null");
        }
        try {
            return new Es256TokenSigner(keyPair.kid(), new ECDSASigner(keyPair.privateJwk()));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("key '" + keyPair.kid() + "' cannot sign ES256", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the JCA provider fails to sign, which a working JDK does not do
     */
    @Override
    public String sign(TokenClaims claims) {
        if (claims == null) {
            throw new IllegalArgumentException("claims are null");
        }
        JWTClaimsSet.Builder payload = new JWTClaimsSet.Builder()
                .issuer(claims.issuer())
                .subject(claims.subject())
                .audience(claims.audience())
                .jwtID(claims.jwtId())
                .issueTime(Date.from(claims.issuedAt()))
                .notBeforeTime(Date.from(claims.notBefore()))
                .expirationTime(Date.from(claims.expiresAt()));
        for (Map.Entry<String, Object> claim : claims.customClaims().entrySet()) {
            payload.claim(claim.getKey(), claim.getValue());
        }
        SignedJWT jwt = new SignedJWT(header, payload.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("ES256 signing with key '" + kid + "' failed", e);
        }
        return jwt.serialize();
    }

    @Override
    public String toString() {
        return "Es256TokenSigner[kid=" + kid + "]";
    }
}
