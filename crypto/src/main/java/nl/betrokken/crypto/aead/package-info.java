/**
 * Encryption of personal data at rest, so that a copy of a node's database alone reveals no identity.
 *
 * <p>Guarantees: an {@link nl.betrokken.crypto.aead.Aead} gives confidentiality and integrity, binds its
 * associated data, and never puts plaintext or key material in a message or {@code toString}.
 * {@link nl.betrokken.crypto.aead.KeyRingAead} encrypts under the key ring's primary epoch, names the epoch in an
 * authenticated 5-byte header, and keeps decrypting data of every epoch that is not disabled, so a rotation never
 * makes stored rows unreadable.
 *
 * <p>Not guaranteed: hiding plaintext lengths, look-ups (ciphertexts are randomised; see
 * {@code nl.betrokken.crypto.index}), or protection against anyone holding the node's key ring.
 */
package nl.betrokken.crypto.aead;
