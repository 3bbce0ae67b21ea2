/**
 * Betrokken's cryptography, shaped like Tink: one small interface per job, final immutable implementations
 * built by factories that check their inputs, and verify methods that return {@code void} and throw.
 *
 * <ul>
 *   <li>{@code bsn}: the BSN value type and its elfproef.</li>
 *   <li>{@code keys}: secret bytes, key epochs, the key ring and its file.</li>
 *   <li>{@code pseudonym}: keyed-hash pseudonyms of person identifiers, tagged with their key epoch.</li>
 *   <li>{@code aead}: AES-256-GCM encryption of personal data at rest, tagged with its key epoch.</li>
 *   <li>{@code index}: keyed blind indexes for looking up encrypted rows by BSN.</li>
 *   <li>{@code token}: compact JWS tokens (ES256) and the JWK set that publishes their public keys.</li>
 *   <li>{@code log}: the audit log's Merkle tree (RFC 9162), its proofs, and checkpoints signed and cosigned in the
 *       C2SP note formats.</li>
 * </ul>
 */
package nl.betrokken.crypto;
