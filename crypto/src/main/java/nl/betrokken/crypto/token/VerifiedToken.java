package nl.betrokken.crypto.token;

/**
 * A token that passed every check of a {@link TokenVerifier}; see that interface for what this proves and what
 * it does not. Only the verifier creates one. Immutable.
 */
public final class VerifiedToken {

    private final String keyId;
    private final TokenClaims claims;

    VerifiedToken(String keyId, TokenClaims claims) {
        this.keyId = keyId;
        this.claims = claims;
    }

    /** The kid of the trusted key the signature verified under. */
    public String keyId() {
        return keyId;
    }

    /** The token's claims, read after the signature was verified. */
    public TokenClaims claims() {
        return claims;
    }

    @Override
    public String toString() {
        return "VerifiedToken[kid=" + keyId + ", " + claims + "]";
    }
}
