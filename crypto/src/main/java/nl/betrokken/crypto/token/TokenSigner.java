package nl.betrokken.crypto.token;

/**
 * Signs token claims into a compact JWS (RFC 7515 section 7.1).
 *
 * <h2>Security guarantees</h2>
 * A token from {@link #sign(TokenClaims)} verifies under the signer's public key, and any change to its header,
 * payload or signature makes {@link TokenVerifier#verify(String)} refuse it. It is signed, not encrypted:
 * every claim can be read by whoever sees the token, so claims must not carry personal data the recipient may not
 * see. The signer adds no claims of its own and reads no clock: the token says exactly what the
 * {@link TokenClaims} say, including its times.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface TokenSigner {

    /** The compact serialisation {@code header.payload.signature}, for an {@code Authorization: Bearer} header. */
    String sign(TokenClaims claims);
}
