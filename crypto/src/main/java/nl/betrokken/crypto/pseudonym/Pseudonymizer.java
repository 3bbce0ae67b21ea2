package nl.betrokken.crypto.pseudonym;

import java.util.List;
import nl.betrokken.crypto.bsn.Bsn;

/**
 * Turns a person's BSN into a {@link Pseudonym} that every node of the federation computes identically, so the
 * coordinator can find matches without holding identities.
 *
 * <h2>Security guarantees</h2>
 *
 * <ul>
 *   <li>Deterministic and federation-wide: the same BSN under the same epoch gives the same pseudonym on every
 *       node that holds the federation key ring.
 *   <li>Keyed: without the epoch's key, a pseudonym reveals nothing about the BSN and cannot be recomputed,
 *       even though the BSN space (about 10<sup>8</sup> valid numbers) is small enough to enumerate. Anyone
 *       who holds the key ring <em>can</em> enumerate it; that is why the ring never leaves the nodes, and why
 *       the coordinator applies its own second keyed hash (purpose {@code REKEY}).
 *   <li>One person space: the input carries no role. A youth and a parent with the same BSN get the same
 *       pseudonym, so a youth who is also a parent is recognised as one person. This holds by construction,
 *       since no method takes a role, so there is no unit test for it; the published vectors
 *       ({@code vectors/pseudonym/betrokken-pseudonym-v1.json}) pin the MAC input as a fixed label and the BSN
 *       alone, so an implementation that mixed in a role would fail them.
 *   <li>Epoch-bound: each pseudonym carries its epoch, and pseudonyms of different epochs are unlinkable
 *       without the key ring.
 * </ul>
 *
 * <p>Not for: encryption (a pseudonym cannot be reversed, even by the key holder, except by enumeration),
 * authentication, or identifiers other than BSNs.
 *
 * <p>The interface is kept this small so that an oblivious PRF
 * (<a href="https://www.rfc-editor.org/rfc/rfc9497">RFC 9497</a>), where nodes no longer hold the key, can
 * replace the keyed hash at an epoch change without touching callers.
 */
public interface Pseudonymizer {

    /** Returns the pseudonym of {@code person} under the primary epoch. Use it for new records. */
    Pseudonym pseudonymize(Bsn person);

    /**
     * Returns the pseudonyms of {@code person} under every epoch accepted now, the primary first. During a key
     * transition this has one entry per accepted epoch, so records pseudonymized before the rotation still
     * match; otherwise it has one entry.
     */
    List<Pseudonym> pseudonymizeForMatching(Bsn person);
}
