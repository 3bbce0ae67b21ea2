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
 * {@code {"alg":"ES256","kid":<key id>,"typ":<type>}}; the single audience is written as a JSON string.
 *
 * <p>The type names the kind of token, so that a verifier that expects one kind refuses another (explicit typing,
 * RFC 8725 section 3.11). The types Betrokken uses are listed in the package comment.
 */
public final class Es256TokenSigner implements TokenSigner {

    private final String kid;
    private final ECDSASigner signer;
    private final JWSHeader header;

    private Es256TokenSigner(String kid, ECDSASigner signer, String type) {
        this.kid = kid;
        this.signer = signer;
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).type(new JOSEObjectType(type)).build();
    }

    /**
     * A signer using {@code keyPair} whose tokens carry its kid and the generic type {@code "JWT"}. Kept for
     * callers that predate explicit typing; new callers use {@link #create(TokenKeyPair, String)}.
     */
    public static Es256TokenSigner create(TokenKeyPair keyPair) {
        return create(keyPair, JOSEObjectType.JWT.getType());
    }

    /**
     * A signer using {@code keyPair} whose tokens carry its kid and {@code "typ":type}, e.g.
     * {@code betrokken-node+jwt}.
     *
     * @throws IllegalArgumentException if {@code keyPair} is null or {@code type} is null or blank
     */
    public static Es256TokenSigner create(TokenKeyPair keyPair, String type) {
        if (keyPair == null) {
            throw new IllegalArgumentException("keyPair is null");
        }
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("type must not be blank");
        }
        try {
            ECDSASigner signer = Es256Provider.use(new ECDSASigner(keyPair.privateJwk()));
            return new Es256TokenSigner(keyPair.kid(), signer, type);
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
        return "Es256TokenSigner[kid=" + kid + ", typ=" + header.getType() + "]";
    }
}
