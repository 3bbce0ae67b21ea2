package nl.betrokken.crypto.token;

import java.security.GeneralSecurityException;

/**
 * A token was refused. Checked, like Tink's {@code GeneralSecurityException} which it extends, so that a caller
 * cannot forget that verification fails.
 *
 * <p>{@link #reason()} says why, for metrics and for choosing a response; the message adds values for the log.
 * Messages name claim names, key ids from the trusted set, algorithm names, times and the verifier's own
 * settings, never other token contents: a token's subject and custom claims may be personal data, and
 * everything else in a refused token is chosen by whoever sent it.
 */
public final class TokenVerificationException extends GeneralSecurityException {

    private static final long serialVersionUID = 1L;

    /** Why a token was refused; one value per kind of check. */
    public enum Reason {
        /**
         * Not a compact JWS with a JSON header and a JSON claims set; includes a header with critical parameters,
         * a registered claim of the wrong JSON type or blank, a custom claim the verifier requires that has the
         * wrong JSON type, and {@code exp} not after {@code nbf}.
         */
        MALFORMED,
        /** An unsecured token, {@code "alg":"none"} in any letter case (RFC 7519 section 6). */
        ALG_NONE,
        /** Any algorithm but ES256, e.g. HS256 (the public-key-as-HMAC-secret confusion attack) or ES384. */
        UNEXPECTED_ALGORITHM,
        /**
         * The header's {@code typ} is absent or is not the verifier's expected type (checked only when one is
         * configured; explicit typing, RFC 8725 section 3.11), e.g. a match ticket offered where a node token is
         * expected.
         */
        WRONG_TYPE,
        /** The header has no {@code kid}, or the kid is not in the trusted key set. */
        UNKNOWN_KEY_ID,
        /** The signature does not verify under the trusted key with the token's kid. */
        BAD_SIGNATURE,
        /** A registered claim, or a custom claim the verifier requires, is absent or JSON {@code null}. */
        MISSING_CLAIM,
        /** {@code iss} is not the expected issuer (checked only when one is configured). */
        WRONG_ISSUER,
        /** {@code aud} is not exactly the verifier's audience, or names more than one audience. */
        WRONG_AUDIENCE,
        /** The verifier's clock is at or past {@code exp} plus the allowed skew. */
        EXPIRED,
        /** The verifier's clock is before {@code nbf} or {@code iat} minus the allowed skew. */
        NOT_YET_VALID
    }

    private final Reason reason;

    TokenVerificationException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
