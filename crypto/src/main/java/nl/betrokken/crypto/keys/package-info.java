/**
 * Key material and its lifecycle: {@link nl.betrokken.crypto.keys.SecretBytes}, key epochs, the federation
 * {@link nl.betrokken.crypto.keys.KeyRing} and its file.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Key bytes are only readable through a {@link nl.betrokken.crypto.keys.SecretKeyAccess} token, no
 *       {@code toString} or exception message in this package contains key material, and secrets are compared
 *       in constant time.
 *   <li>A {@link nl.betrokken.crypto.keys.KeyRing} is immutable and always has exactly one primary epoch.
 *       Rotation returns a new ring; the old primary stays accepted for a stated transition and is refused
 *       from then on, with an error naming the epoch and the instant. Keys for a node's own data at rest
 *       ({@code DATA_ENCRYPTION}, {@code BLIND_INDEX}) stay derivable after the transition, because stored rows
 *       outlive it. A disabled epoch holds no secret: disabling drops it from the ring and from every ring file
 *       written afterwards, so data encrypted under it can no longer be read.
 *   <li>Epoch secrets are never used directly: every key is derived with HKDF-SHA256 (RFC 5869) under an
 *       {@code info} string that names its {@link nl.betrokken.crypto.keys.KeyPurpose} and its epoch, so keys
 *       for different purposes or epochs are independent.
 *   <li>{@link nl.betrokken.crypto.keys.KeyRingFile} writes atomically with mode {@code rw-------} and refuses
 *       to read a symbolic link, a file that anyone but its owner may access, or content that does not follow
 *       its format exactly (no duplicate, unknown or unparsable lines).
 * </ul>
 *
 * <p>Not guaranteed: that key bytes are wiped from memory. The JVM may copy them, so we do not pretend to.
 */
package nl.betrokken.crypto.keys;
