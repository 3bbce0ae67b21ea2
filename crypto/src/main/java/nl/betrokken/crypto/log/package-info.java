/**
 * The cryptography of Betrokken's tamper-evident audit log, cut the way transparency-dev cuts its logs: a hasher,
 * pure proof functions, a compact frontier, and signed checkpoints in the C2SP formats. Nothing here stores
 * anything; the node and coordinator services keep the leaves, the frontier and the notes.
 *
 * <h2>The pieces</h2>
 * <ul>
 *   <li>{@link nl.betrokken.crypto.log.LogHasher}: RFC 9162 section 2.1.1 hashing, {@code 0x00} for leaves and
 *       {@code 0x01} for nodes.</li>
 *   <li>{@link nl.betrokken.crypto.log.MerkleTree}: root hash, inclusion and consistency proofs from a list of
 *       leaf hashes (RFC 9162 sections 2.1.1, 2.1.3.1, 2.1.4.1).</li>
 *   <li>{@link nl.betrokken.crypto.log.ProofVerifier}: verification of both proofs (sections 2.1.3.2, 2.1.4.2),
 *       throwing {@link nl.betrokken.crypto.log.ProofException} or
 *       {@link nl.betrokken.crypto.log.RootMismatchException}.</li>
 *   <li>{@link nl.betrokken.crypto.log.MerkleFrontier}: the right edge of the tree, O(log n) hashes, so a service
 *       appends and signs without reloading its leaves.</li>
 *   <li>{@link nl.betrokken.crypto.log.Checkpoint} (c2sp.org/tlog-checkpoint) inside a
 *       {@link nl.betrokken.crypto.log.SignedNote} (c2sp.org/signed-note), signed by a
 *       {@link nl.betrokken.crypto.log.NoteSigner} and checked by a {@link nl.betrokken.crypto.log.NoteVerifier}:
 *       plain Ed25519 ({@code 0x01}) or timestamped cosignature/v1 ({@code 0x04}, c2sp.org/tlog-cosignature).
 *       {@link nl.betrokken.crypto.log.VerifiedCheckpoint#open} verifies the signature before it parses the body,
 *       and refuses with a {@link nl.betrokken.crypto.log.NoteException} that names its reason.</li>
 *   <li>{@link nl.betrokken.crypto.log.CheckpointWitness}: the coordinator's countersignature, given only after a
 *       verified consistency proof from the previous countersigned checkpoint; otherwise an
 *       {@link nl.betrokken.crypto.log.InconsistencyException} that keeps both notes as evidence.</li>
 *   <li>{@link nl.betrokken.crypto.log.SealedEntry}: a hiding, binding commitment as leaf data for an entry that is
 *       held back for a while (the "Veilig Thuis" exception) but provably in the log from the start.</li>
 * </ul>
 *
 * <h2>Security guarantees</h2>
 * A verified inclusion proof shows a leaf is in the tree with a given root; a verified consistency proof shows one
 * tree extends another; a verified checkpoint shows the log's key signed that root for that size. Together with a
 * witness that countersigns only consistent checkpoints, a log cannot rewrite history, or show different histories
 * to different readers, without producing two signed checkpoints that prove it.
 *
 * <p>Not guaranteed: that a log appends what it should. The log can leave an entry out; auditors find that by
 * comparing the log with what happened. Timestamps are the signer's clock, signed but not proven.
 *
 * <p>Published vectors: RFC 6962 reference tree and the proofs of Certificate Transparency and transparency-dev
 * in {@code src/test/resources/vectors/merkle/}; notes, checkpoints and cosignatures of Go's note package, the C2SP
 * specs and live logs in {@code src/test/resources/vectors/log/}.
 */
package nl.betrokken.crypto.log;
