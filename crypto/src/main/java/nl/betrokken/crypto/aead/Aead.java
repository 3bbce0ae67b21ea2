package nl.betrokken.crypto.aead;

import java.security.GeneralSecurityException;

/**
 * Authenticated encryption with associated data (AEAD), for personal data a node stores: BSNs, names, contact
 * details. Shaped like Tink's {@code Aead}.
 *
 * <h2>Security guarantees</h2>
 *
 * <ul>
 *   <li>Confidentiality: a ciphertext reveals nothing about its plaintext except its length (IND-CPA), and
 *       encryption is randomised, so equal plaintexts give unrelated ciphertexts.
 *   <li>Integrity: {@link #decrypt} returns a plaintext only if the ciphertext and the associated data are exactly
 *       as {@link #encrypt} produced them under a key this instance holds; anything else throws
 *       (INT-CTXT; together with the point above, IND-CCA2).
 *   <li>Associated data is authenticated, not encrypted. Bind every ciphertext to where it is stored (for
 *       example table, column and row id), so a ciphertext copied into another row or column fails to decrypt.
 *   <li>Limits: implementations use AES-256-GCM with a random 96-bit nonce, so one key must encrypt at most
 *       2<sup>32</sup> messages (NIST SP 800-38D §8.3): beyond that, nonce collisions, which reveal the XOR of
 *       plaintexts and allow forgeries, become more likely than 2<sup>-32</sup>. Key rotation restarts the count.
 * </ul>
 *
 * <p>Not for: look-ups or equality tests (ciphertexts are randomised; use a blind index), hiding lengths (pad
 * first where the length itself is telling), protection against someone who holds the key, or telling which of
 * several keys a ciphertext was made under by trial (AES-GCM is not key-committing; ciphertexts name their key
 * instead).
 */
public interface Aead {

    /**
     * Encrypts {@code plaintext} and authenticates it together with {@code associatedData}.
     *
     * @param associatedData authenticated but not encrypted; pass an empty array when there is none
     * @return a fresh ciphertext, different on every call
     */
    byte[] encrypt(byte[] plaintext, byte[] associatedData);

    /**
     * Decrypts {@code ciphertext} if it is authentic under {@code associatedData}.
     *
     * @throws GeneralSecurityException if it is not; the message never contains the input
     */
    byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException;
}
