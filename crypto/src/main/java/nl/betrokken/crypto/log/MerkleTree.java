package nl.betrokken.crypto.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tree hashes and proofs computed from the full list of leaf hashes, as RFC 9162 defines them. Pure functions: no
 * storage, no state. {@link ProofVerifier} checks what these produce.
 *
 * <p>Each function hashes every leaf it is given once more than a stored tree would (O(n) hashes for a tree of n
 * leaves), so it suits trees that fit in memory and tests. A service that keeps its tree in storage maintains the
 * root with a {@link MerkleFrontier} instead, and builds proofs from stored subtree hashes.
 *
 * <p>The leaves of a tree of size {@code n} are {@code leafHashes.get(0 .. n-1)}; for an earlier size {@code m},
 * pass {@code leafHashes.subList(0, m)}.
 */
public final class MerkleTree {

    private MerkleTree() {
    }

    /**
     * Returns MTH(D[n]), the root hash of the tree with these leaves (RFC 9162 section 2.1.1); for no leaves,
     * {@link LogHasher#emptyRoot()}.
     *
     * @throws IllegalArgumentException if a leaf hash is not {@code hasher.size()} bytes
     */
    public static byte[] rootHash(LogHasher hasher, List<byte[]> leafHashes) {
        requireLeafHashes(hasher, leafHashes);
        if (leafHashes.isEmpty()) {
            return hasher.emptyRoot();
        }
        return subtreeHash(hasher, leafHashes, 0, leafHashes.size());
    }

    /**
     * Returns the inclusion proof PATH(index, D[n]) of the leaf at {@code index} in the tree of all
     * {@code leafHashes} (RFC 9162 section 2.1.3.1): the sibling hashes from the leaf up to the root, lowest first.
     * Requires {@code 0 <= index < leafHashes.size()}.
     *
     * @throws IllegalArgumentException if the index is out of bounds or a leaf hash has the wrong size
     */
    public static List<byte[]> inclusionProof(LogHasher hasher, List<byte[]> leafHashes, int index) {
        requireLeafHashes(hasher, leafHashes);
        if (index < 0 || index >= leafHashes.size()) {
            throw new IllegalArgumentException(
                    "index " + index + " out of bounds for tree size " + leafHashes.size());
        }
        List<byte[]> proof = new ArrayList<>();
        path(hasher, leafHashes, index, 0, leafHashes.size(), proof);
        return List.copyOf(proof);
    }

    /**
     * Returns the consistency proof PROOF(size1, D[n]) between the tree of the first {@code size1} leaves and the
     * tree of all {@code leafHashes} (RFC 9162 section 2.1.4.1); empty when {@code size1 == leafHashes.size()}.
     * Requires {@code 0 < size1 <= leafHashes.size()}: a proof from the empty tree proves nothing, since every tree
     * extends it.
     *
     * @throws IllegalArgumentException if {@code size1} is out of range or a leaf hash has the wrong size
     */
    public static List<byte[]> consistencyProof(LogHasher hasher, List<byte[]> leafHashes, int size1) {
        requireLeafHashes(hasher, leafHashes);
        if (size1 <= 0 || size1 > leafHashes.size()) {
            throw new IllegalArgumentException("size1 " + size1 + " must be in 1.." + leafHashes.size()
                    + " (the tree size); a consistency proof from the empty tree is meaningless");
        }
        List<byte[]> proof = new ArrayList<>();
        subproof(hasher, leafHashes, size1, 0, leafHashes.size(), true, proof);
        return List.copyOf(proof);
    }

    /** MTH(D[lo:hi]) for {@code hi > lo}. */
    private static byte[] subtreeHash(LogHasher hasher, List<byte[]> leaves, int lo, int hi) {
        int n = hi - lo;
        if (n == 1) {
            return leaves.get(lo).clone();
        }
        int k = largestPowerOfTwoBelow(n);
        return hasher.hashChildren(subtreeHash(hasher, leaves, lo, lo + k), subtreeHash(hasher, leaves, lo + k, hi));
    }

    /** Appends PATH(m, D[lo:hi]) to {@code out}, where {@code m} is an absolute leaf index in {@code [lo, hi)}. */
    private static void path(LogHasher hasher, List<byte[]> leaves, int m, int lo, int hi, List<byte[]> out) {
        int n = hi - lo;
        if (n == 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m - lo < k) {
            path(hasher, leaves, m, lo, lo + k, out);
            out.add(subtreeHash(hasher, leaves, lo + k, hi));
        } else {
            path(hasher, leaves, m, lo + k, hi, out);
            out.add(subtreeHash(hasher, leaves, lo, lo + k));
        }
    }

    /**
     * Appends SUBPROOF(m, D[lo:hi], b) to {@code out}, where {@code m} counts leaves from {@code lo}. The flag
     * {@code b} is true while the subtree is still the one whose root the verifier already has (RFC 9162 section
     * 2.1.4.1), so its hash is not repeated in the proof.
     */
    private static void subproof(LogHasher hasher, List<byte[]> leaves, int m, int lo, int hi, boolean b,
            List<byte[]> out) {
        int n = hi - lo;
        if (m == n) {
            if (!b) {
                out.add(subtreeHash(hasher, leaves, lo, hi));
            }
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(hasher, leaves, m, lo, lo + k, b, out);
            out.add(subtreeHash(hasher, leaves, lo + k, hi));
        } else {
            subproof(hasher, leaves, m - k, lo + k, hi, false, out);
            out.add(subtreeHash(hasher, leaves, lo, lo + k));
        }
    }

    /** The largest power of two smaller than {@code n}; requires {@code n >= 2}. */
    private static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    private static void requireLeafHashes(LogHasher hasher, List<byte[]> leafHashes) {
        Objects.requireNonNull(hasher, "hasher");
        Objects.requireNonNull(leafHashes, "leafHashes");
        for (int i = 0; i < leafHashes.size(); i++) {
            byte[] h = leafHashes.get(i);
            if (h == null || h.length != hasher.size()) {
                throw new IllegalArgumentException("leaf hash " + i + " is "
                        + (h == null ? "null" : h.length + " bytes") + "; must be " + hasher.size());
            }
        }
    }
}
