/**
 * Keyed blind indexes, so a node can look up the rows it stores encrypted by BSN.
 *
 * <p>Guarantees: a {@link nl.betrokken.crypto.index.BlindIndex} is deterministic per key epoch, keyed with the
 * node's own {@code BLIND_INDEX} key (independent of federation pseudonyms), domain-separated by a versioned
 * label, and offers candidates under every epoch that is not disabled so look-ups survive rotation. Index values
 * are personal data: nothing here prints them.
 *
 * <p>Not guaranteed: hiding that two rows concern the same person, or protection against a holder of the key ring.
 */
package nl.betrokken.crypto.index;
