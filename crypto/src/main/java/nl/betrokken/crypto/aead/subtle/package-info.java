/**
 * Raw algorithms behind the AEAD primitive, in the manner of Tink's {@code subtle} packages.
 *
 * <p>Guarantees: {@link nl.betrokken.crypto.aead.subtle.AesGcm} computes exactly NIST SP 800-38D AES-256-GCM
 * with a random 96-bit nonce and a 128-bit tag (checked against the McGrew–Viega GCM test cases and Wycheproof),
 * takes no nonce from its callers, fails every decryption with one flat message, and is safe to share between
 * threads.
 *
 * <p>Not guaranteed: key epochs, a format version or key selection. Those belong to
 * {@link nl.betrokken.crypto.aead.KeyRingAead}; code outside {@code crypto} should not need this package.
 */
package nl.betrokken.crypto.aead.subtle;
