/**
 * Raw algorithms behind the pseudonym primitive, in the manner of Tink's {@code subtle} packages.
 *
 * <p>Guarantees: {@link nl.betrokken.crypto.pseudonym.subtle.HmacSha256} computes exactly RFC 2104
 * HMAC-SHA256 (checked against RFC 4231) and is safe to share between threads.
 *
 * <p>Not guaranteed: domain separation, key length or epoch checks. Those belong to
 * {@link nl.betrokken.crypto.pseudonym.Pseudonymizer}; code outside {@code crypto} should not need this
 * package.
 */
package nl.betrokken.crypto.pseudonym.subtle;
