/**
 * Short-lived signed tokens: compact JWS (RFC 7515) carrying JWT claims (RFC 7519), signed with ES256, and the
 * JWK set (RFC 7517) that publishes the public keys.
 *
 * <p>Regional nodes sign the tokens they send to the coordinator; the coordinator signs match tickets, and later
 * consent tokens, in the same format. The pieces:
 *
 * <ul>
 *   <li>{@link nl.betrokken.crypto.token.TokenKeyPair}: a P-256 key pair with a key id ({@code kid}).</li>
 *   <li>{@link nl.betrokken.crypto.token.PublicKeySet}: public keys only, as {@code {"keys":[...]}}.</li>
 *   <li>{@link nl.betrokken.crypto.token.TokenClaims} and {@link nl.betrokken.crypto.token.Claim}: the seven
 *       registered claims plus typed custom claims.</li>
 *   <li>{@link nl.betrokken.crypto.token.TokenSigner} / {@link nl.betrokken.crypto.token.Es256TokenSigner}.</li>
 *   <li>{@link nl.betrokken.crypto.token.TokenVerifier} / {@link nl.betrokken.crypto.token.Es256TokenVerifier},
 *       which throw {@link nl.betrokken.crypto.token.TokenVerificationException} with one
 *       {@link nl.betrokken.crypto.token.TokenVerificationException.Reason} per refusal.</li>
 * </ul>
 *
 * <h2>Token types</h2>
 * Every kind of token gets its own header {@code typ} (explicit typing, RFC 8725 section 3.11), so that a token
 * minted for one purpose cannot be replayed as another even when the same key signs both:
 *
 * <table>
 *   <caption>Intended types</caption>
 *   <tr><th>Token</th><th>Signed by</th><th>{@code typ}</th></tr>
 *   <tr><td>node token</td><td>a regional node, for the coordinator</td><td>{@code betrokken-node+jwt}</td></tr>
 *   <tr><td>match ticket</td><td>the coordinator</td><td>{@code betrokken-ticket+jwt}</td></tr>
 *   <tr><td>inzage ticket</td><td>the coordinator, for the node holding one signal (single use)</td><td>{@code betrokken-inzage+jwt}</td></tr>
 *   <tr><td>consent token</td><td>the coordinator</td><td>{@code betrokken-consent+jwt}</td></tr>
 * </table>
 *
 * A signer sets the type with {@link nl.betrokken.crypto.token.Es256TokenSigner#create(TokenKeyPair, String)};
 * the one-argument {@code create} writes the generic {@code JWT} for compatibility. A verifier checks it only
 * when given {@link nl.betrokken.crypto.token.Es256TokenVerifier.Builder#expectedType(String)}; without one it
 * accepts any {@code typ}, so a verifier for a key that signs more than one kind of token should always set it.
 *
 * <h2>Why ES256</h2>
 * ECDSA over P-256 with SHA-256 (RFC 7518 section 3.4) runs through nimbus-jose-jwt on Bouncy Castle's provider
 * ({@link nl.betrokken.crypto.token.Es256Provider}), which is several times faster than the JDK 17 one.
 * Ed25519 would be the more modern choice, but nimbus only signs Ed25519 with Google Tink as an extra
 * dependency, so Betrokken uses ES256. Exactly one algorithm is accepted; there is no negotiation.
 *
 * <h2>Security guarantees</h2>
 * When {@link nl.betrokken.crypto.token.TokenVerifier#verify(String)} returns, the caller knows that:
 * <ul>
 *   <li>the token was signed with ES256 by the private key whose public half is in the trusted
 *       {@link nl.betrokken.crypto.token.PublicKeySet} under the token's {@code kid}, and no byte of the header
 *       or payload has changed since;</li>
 *   <li>its audience is exactly the verifier's audience and, when configured, its issuer is the expected issuer
 *       and its header {@code typ} is the expected type;</li>
 *   <li>the verifier's clock, give or take the allowed skew, lies within {@code [nbf, exp)}, and {@code iat} is
 *       not in the future;</li>
 *   <li>all seven registered claims and every custom claim the verifier requires are present with the right
 *       JSON type.</li>
 * </ul>
 * Before any signature work the header's {@code alg} is checked: unsecured tokens ({@code "alg":"none"}), HMAC
 * tokens (the classic key-confusion attack that uses a public key as an HMAC secret) and any other algorithm are
 * refused. No claim is read before the signature has been verified.
 *
 * <p>A verified token does <em>not</em> prove:
 * <ul>
 *   <li>that it is fresh: the same token verifies again until it expires. Replay protection by {@code jti} is the
 *       caller's job (the coordinator keeps the {@code jti}s it has seen until they expire);</li>
 *   <li>that the signer is still allowed to act: revoking a node means removing its key from the trusted set and
 *       building a new verifier;</li>
 *   <li>anything about the confidentiality of the payload: a JWS is signed, not encrypted, and anyone who sees a
 *       token can read its claims. Put no personal data in a token that the recipient may not see.</li>
 * </ul>
 */
package nl.betrokken.crypto.token;
