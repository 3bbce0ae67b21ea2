package nl.betrokken.crypto.log;

import java.util.List;
import java.util.Objects;

/**
 * Countersigns a log's checkpoints after checking that each one extends the last one it countersigned: the
 * witness of c2sp.org/tlog-witness, without the HTTP. The coordinator runs one per node log, so a node cannot show
 * one history to a parent and another to an auditor without the coordinator noticing, and every countersigned
 * checkpoint carries the coordinator's signed time.
 *
 * <h2>Security guarantees</h2>
 * {@link #cosign} returns a cosignature only for a checkpoint that (1) is signed by the log's key and names the
 * log's origin, and (2) is consistent, by a verified RFC 9162 consistency proof, with the previous checkpoint
 * that (3) carries this witness's own valid cosignature. An inconsistency is thrown as an
 * {@link InconsistencyException} carrying both signed notes and the proof, to keep as evidence.
 *
 * <p>Not guaranteed: that the caller passes the latest checkpoint it cosigned. The witness is stateless; the
 * caller stores the returned note and passes it back as {@code previous} next time, atomically with respect to
 * other cosignings for the same log.
 *
 * <p>Immutable and thread-safe.
 */
public final class CheckpointWitness {

    private final String origin;
    private final NoteVerifier logVerifier;
    private final CosignatureV1Signer cosigner;
    private final LogHasher hasher = LogHasher.rfc6962();

    private CheckpointWitness(String origin, NoteVerifier logVerifier, CosignatureV1Signer cosigner) {
        this.origin = origin;
        this.logVerifier = logVerifier;
        this.cosigner = cosigner;
    }

    /**
     * Returns a witness for the log of {@code origin}, whose checkpoints {@code logVerifier} verifies, that
     * cosigns with {@code cosigner}.
     */
    public static CheckpointWitness create(String origin, NoteVerifier logVerifier, CosignatureV1Signer cosigner) {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(logVerifier, "logVerifier");
        Objects.requireNonNull(cosigner, "cosigner");
        return new CheckpointWitness(origin, logVerifier, cosigner);
    }

    /**
     * Cosigns the first checkpoint of a log this witness has seen (trust on first use: there is nothing to
     * compare it with).
     *
     * @return the note with this witness's cosignature added
     * @throws NoteException if the note is not a checkpoint signed by the log's key for the log's origin
     */
    public String cosignFirst(String note) throws NoteException {
        return cosignature(VerifiedCheckpoint.open(note, origin, logVerifier));
    }

    /**
     * Cosigns {@code next} if it extends {@code previous}.
     *
     * @param previous the note this witness returned last time for this log, with its cosignature
     * @param next the log's new checkpoint note
     * @param consistencyProof the proof from the size of {@code previous} to the size of {@code next}, as
     *     {@link MerkleTree#consistencyProof} makes it; empty when the sizes are equal or {@code previous} is empty
     * @return {@code next} with this witness's cosignature added
     * @throws NoteException if either note is not a checkpoint of this log signed by the log's key, or
     *     {@code previous} carries no valid cosignature of this witness
     * @throws InconsistencyException if {@code next} is smaller than {@code previous}, or the proof does not show
     *     that it extends {@code previous}
     */
    public String cosign(String previous, String next, List<byte[]> consistencyProof)
            throws NoteException, InconsistencyException {
        Objects.requireNonNull(consistencyProof, "consistencyProof");
        VerifiedCheckpoint before = VerifiedCheckpoint.open(previous, origin, logVerifier);
        before.cosignedAt(cosigner.verifier()); // only a checkpoint this witness vouched for is a baseline
        VerifiedCheckpoint after = VerifiedCheckpoint.open(next, origin, logVerifier);

        Checkpoint old = before.checkpoint();
        Checkpoint now = after.checkpoint();
        if (now.size() < old.size()) {
            throw new InconsistencyException(previous, before, next, after, consistencyProof, "the tree shrank",
                    null);
        }
        if (old.size() == 0) {
            if (!consistencyProof.isEmpty()) {
                throw new InconsistencyException(previous, before, next, after, consistencyProof,
                        "a consistency proof from the empty tree must be empty, this one has "
                                + consistencyProof.size() + " hashes", null);
            }
        } else {
            try {
                ProofVerifier.verifyConsistency(hasher, old.size(), now.size(), consistencyProof, old.rootHash(),
                        now.rootHash());
            } catch (ProofException e) {
                throw new InconsistencyException(previous, before, next, after, consistencyProof, e.getMessage(),
                        e);
            }
        }
        return cosignature(after);
    }

    private String cosignature(VerifiedCheckpoint checkpoint) {
        return checkpoint.note().withSignature(cosigner).marshal();
    }

    @Override
    public String toString() {
        return "CheckpointWitness[" + origin + ", cosigner " + cosigner + "]";
    }
}
