package nl.betrokken.crypto.log;

import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * Verifies inclusion and consistency proofs of an RFC 9162 Merkle tree. Pure functions: no storage, no state.
 *
 * <h2>Security guarantees</h2>
 * When {@link #verifyInclusion} returns, the leaf hash is the leaf at that index of the tree with that size and
 * root. When {@link #verifyConsistency} returns, the tree with the first size and root is a prefix of the tree with
 * the second size and root: the log only appended. Both follow the verification algorithms of RFC 9162 (sections
 * 2.1.3.2 and 2.1.4.2) step by step, and refuse a proof with one hash too many or too few before hashing anything.
 *
 * <p>Not guaranteed: that the root is the log's. A root is only worth what its signature is worth; get it from a
 * {@link VerifiedCheckpoint}.
 *
 * <p>Refusal is a {@link ProofException} (a {@link RootMismatchException} when the proof hashes to another root),
 * never a boolean. Sizes and indexes are {@code long}s and must be non-negative; a tree of 2<sup>63</sup> leaves or
 * more cannot be expressed.
 */
public final class ProofVerifier {

    private ProofVerifier() {
    }

    /**
     * Verifies that {@code leafHash} is the leaf at {@code index} in the tree of {@code size} leaves with root
     * {@code root}. Requires {@code 0 <= index < size}, and every hash to be {@code hasher.size()} bytes.
     *
     * @param proof the inclusion path, lowest sibling first, as {@link MerkleTree#inclusionProof} returns it
     * @throws ProofException if a precondition fails or the proof has the wrong number of hashes
     * @throws RootMismatchException if the proof leads to another root
     * @see <a href="https://www.rfc-editor.org/rfc/rfc9162#section-2.1.3.2">RFC 9162 section 2.1.3.2</a>
     */
    public static void verifyInclusion(LogHasher hasher, long index, long size, byte[] leafHash, List<byte[]> proof,
            byte[] root) throws ProofException {
        byte[] calculated = rootFromInclusionProof(hasher, index, size, leafHash, proof);
        requireHash(hasher, root, "root");
        requireMatch("root", root, calculated);
    }

    /**
     * Returns the root that an inclusion proof leads to, for a caller that looks the root up afterwards. Same
     * preconditions as {@link #verifyInclusion}; the caller must still compare the result with a trusted root.
     *
     * @throws ProofException if a precondition fails or the proof has the wrong number of hashes
     */
    public static byte[] rootFromInclusionProof(LogHasher hasher, long index, long size, byte[] leafHash,
            List<byte[]> proof) throws ProofException {
        Objects.requireNonNull(hasher, "hasher");
        if (index < 0 || index >= size) {
            throw new ProofException("index " + index + " out of bounds for tree size " + size);
        }
        requireHash(hasher, leafHash, "leaf hash");
        requireProof(hasher, proof, new Walk(index, size - 1).length(),
                "an inclusion proof for index " + index + " in a tree of size " + size);

        // RFC 9162 section 2.1.3.2, steps 2-5.
        Walk walk = new Walk(index, size - 1);
        byte[] r = leafHash;
        for (byte[] p : proof) {
            r = walk.nextIsLeft() ? hasher.hashChildren(p, r) : hasher.hashChildren(r, p);
            walk.up();
        }
        // sn is 0 here: requireProof allowed exactly as many hashes as the walk to the root takes.
        return r;
    }

    /**
     * Verifies that the tree of {@code size1} leaves with root {@code root1} is a prefix of the tree of
     * {@code size2} leaves with root {@code root2}. Requires {@code 0 < size1 <= size2}, or
     * {@code size1 == size2 == 0}; when the sizes are equal the proof must be empty and the roots equal. A proof
     * from the empty tree is refused as meaningless: every tree extends it, so a caller with no earlier tree head
     * has nothing to check.
     *
     * @param proof the consistency proof, as {@link MerkleTree#consistencyProof} returns it
     * @throws ProofException if a precondition fails or the proof has the wrong number of hashes
     * @throws RootMismatchException if the proof does not lead to {@code root1}, or does not lead to {@code root2}
     * @see <a href="https://www.rfc-editor.org/rfc/rfc9162#section-2.1.4.2">RFC 9162 section 2.1.4.2</a>
     */
    public static void verifyConsistency(LogHasher hasher, long size1, long size2, List<byte[]> proof, byte[] root1,
            byte[] root2) throws ProofException {
        Objects.requireNonNull(hasher, "hasher");
        Objects.requireNonNull(proof, "proof");
        if (size1 < 0 || size2 < size1) {
            throw new ProofException("size1 " + size1 + " and size2 " + size2 + " must satisfy 0 <= size1 <= size2");
        }
        requireHash(hasher, root1, "root1");
        requireHash(hasher, root2, "root2");
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new ProofException("proof has " + proof.size() + " hashes; a consistency proof between equal"
                        + " sizes " + size1 + " is empty");
            }
            requireMatch("root of size " + size2, root2, root1);
            return;
        }
        if (size1 == 0) {
            throw new ProofException("a consistency proof from the empty tree to size " + size2
                    + " is meaningless: every tree extends the empty tree");
        }

        // RFC 9162 section 2.1.4.2. Step 2 prepends root1 when size1 is a power of two; here the proof is
        // read from an offset instead, and the expected length accounts for it.
        boolean seedIsRoot1 = Long.bitCount(size1) == 1;
        Walk walk = new Walk(size1 - 1, size2 - 1);
        while ((walk.fn & 1) == 1) { // step 4
            walk.up();
        }
        int expected = walk.length() + (seedIsRoot1 ? 0 : 1);
        requireProof(hasher, proof, expected,
                "a consistency proof from size " + size1 + " to size " + size2); // also step 1: never empty

        byte[] first = seedIsRoot1 ? root1 : proof.get(0); // step 5
        byte[] fr = first;
        byte[] sr = first;
        for (byte[] c : proof.subList(seedIsRoot1 ? 0 : 1, proof.size())) { // step 6
            if (walk.nextIsLeft()) {
                fr = hasher.hashChildren(c, fr);
                sr = hasher.hashChildren(c, sr);
            } else {
                sr = hasher.hashChildren(sr, c);
            }
            walk.up();
        }
        requireMatch("root of size " + size1, root1, fr); // step 7
        requireMatch("root of size " + size2, root2, sr);
    }

    /**
     * The node pair (fn, sn) of the verification walks of RFC 9162 (section 2.1.3.2 steps 2-5, section 2.1.4.2
     * steps 3-7): fn is the node on the path, sn the last node of the tree, on the current level.
     */
    private static final class Walk {
        private long fn;
        private long sn;

        Walk(long fn, long sn) {
            this.fn = fn;
            this.sn = sn;
        }

        /**
         * Whether the next proof hash is the left sibling: LSB(fn) is set, or fn == sn. In the second case the path
         * climbs past the levels where fn has no sibling ("right-shift both fn and sn equally until either LSB(fn)
         * is set or fn is 0"). The RFC shifts after hashing; the hash does not depend on fn, so this is the same.
         */
        boolean nextIsLeft() {
            if ((fn & 1) == 1 || fn == sn) {
                while ((fn & 1) == 0 && fn != 0) {
                    up();
                }
                return true;
            }
            return false;
        }

        /** Moves both nodes one level up ("right-shift both fn and sn one time"). */
        void up() {
            fn >>>= 1;
            sn >>>= 1;
        }

        /**
         * The number of proof hashes the rest of the walk consumes: the steps until sn is 0. A proof with more
         * hashes would meet sn == 0 early, one with fewer would end with sn != 0; both fail in the RFC. Counting
         * first lets the message say what was expected. Leaves this walk where it was.
         */
        int length() {
            Walk copy = new Walk(fn, sn);
            int n = 0;
            while (copy.sn != 0) {
                copy.nextIsLeft();
                copy.up();
                n++;
            }
            return n;
        }
    }

    private static void requireProof(LogHasher hasher, List<byte[]> proof, int expected, String what)
            throws ProofException {
        Objects.requireNonNull(proof, "proof");
        if (proof.size() != expected) {
            throw new ProofException("proof has " + proof.size() + " hashes; " + what + " has " + expected);
        }
        for (int i = 0; i < proof.size(); i++) {
            requireHash(hasher, proof.get(i), "proof[" + i + "]");
        }
    }

    private static void requireHash(LogHasher hasher, byte[] hash, String what) throws ProofException {
        if (hash == null) {
            throw new ProofException(what + " is missing");
        }
        if (hash.length != hasher.size()) {
            throw new ProofException(what + " is " + hash.length + " bytes; must be " + hasher.size());
        }
    }

    private static void requireMatch(String what, byte[] expected, byte[] calculated) throws RootMismatchException {
        if (!MessageDigest.isEqual(expected, calculated)) {
            throw new RootMismatchException(what, expected, calculated);
        }
    }
}
