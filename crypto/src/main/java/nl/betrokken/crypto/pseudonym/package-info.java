/**
 * Pseudonyms of person identifiers, tagged with the key epoch that made them.
 *
 * <p>Guarantees: a {@link nl.betrokken.crypto.pseudonym.Pseudonymizer} is deterministic across the federation,
 * keyed (pseudonyms cannot be recomputed or reversed without the key ring), role-free (youth and parents share
 * one person space) and epoch-bound; the primary epoch computes and every accepted epoch still matches during
 * a transition. A {@link nl.betrokken.crypto.pseudonym.Pseudonym} has one canonical text form that names its
 * epoch, and neither it nor any error message here prints a BSN or a pseudonym value, because pseudonyms are
 * personal data too.
 *
 * <p>Not guaranteed: protection against a holder of the key ring, who can enumerate all BSNs. The published
 * scheme and its vectors are in {@code src/test/resources/vectors/pseudonym/betrokken-pseudonym-v1.json}.
 */
package nl.betrokken.crypto.pseudonym;
