package nl.betrokken.crypto.token;

/**
 * Verifies a compact JWS token and returns its claims, or refuses it.
 *
 * <h2>Security guarantees</h2>
 * When {@link #verify(String)} returns, the token was signed by a trusted key under the token's {@code kid}, has
 * not been altered since, is meant for this verifier's audience (and issuer, when one is configured), is within
 * its validity window give or take the configured clock skew, and carries every registered claim and every
 * required custom claim with the right JSON type. The algorithm is checked before any signature work, and no
 * claim is read before the signature is verified.
 *
 * <p>It does not prove that the token is fresh: the same token verifies again until it expires. Callers that must
 * not accept a token twice keep the {@code jti}s they have seen until their {@code exp} has passed.
 *
 * <p>Refusal is an exception, never a return value, so a caller cannot forget to check. Implementations are
 * immutable and thread-safe.
 */
public interface TokenVerifier {

    /**
     * @param compactJws the token, {@code header.payload.signature}; {@code null} is refused as malformed
     * @throws TokenVerificationException with the {@link TokenVerificationException.Reason} of the first check
     *     that failed
     */
    VerifiedToken verify(String compactJws) throws TokenVerificationException;
}
