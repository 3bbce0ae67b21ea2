package nl.betrokken.crypto.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The right edge of an append-only Merkle tree: enough to append leaves and compute the root without the leaves
 * themselves (the "compact range" [0, size) of transparency-dev/merkle).
 *
 * <p>A tree of {@code size} leaves splits into one perfect subtree per set bit of {@code size}, largest first: 13
 * leaves are the subtrees of 8, 4 and 1 leaves. The frontier keeps the root hash of each, so it holds
 * {@code Long.bitCount(size)} hashes, at most 63. Appending a leaf merges the subtrees it completes, like adding
 * one to a binary number; the root of the whole tree hashes the subtrees together from the right, which gives
 * MTH(D[n]) of RFC 9162 section 2.1.1 exactly.
 *
 * <p>A service keeps the frontier next to its latest checkpoint ({@link #nodes()} and {@link #size()}) and
 * {@link #restore}s it on start, so it never reloads all leaves to sign the next checkpoint.
 *
 * <p>Immutable and thread-safe: {@link #append} returns a new frontier (O(log n) hashes and copying).
 */
public final class MerkleFrontier {

    private final LogHasher hasher;
    private final long size;
    private final List<byte[]> nodes; // root hashes of the perfect subtrees, largest (leftmost) first

    private MerkleFrontier(LogHasher hasher, long size, List<byte[]> nodes) {
        this.hasher = hasher;
        this.size = size;
        this.nodes = nodes;
    }

    /** Returns the frontier of the tree with no leaves. */
    public static MerkleFrontier empty(LogHasher hasher) {
        return new MerkleFrontier(Objects.requireNonNull(hasher, "hasher"), 0, List.of());
    }

    /**
     * Returns the frontier of a tree of {@code size} leaves from the subtree hashes that {@link #nodes()} returned
     * for it. Requires {@code size >= 0}, exactly {@code Long.bitCount(size)} nodes, largest subtree first, each
     * {@code hasher.size()} bytes. Whether the nodes belong to that tree cannot be checked here: compare the
     * {@link #rootHash()} with the last signed checkpoint.
     *
     * @throws IllegalArgumentException naming the size and the node count, or the node of the wrong length
     */
    public static MerkleFrontier restore(LogHasher hasher, long size, List<byte[]> nodes) {
        Objects.requireNonNull(hasher, "hasher");
        Objects.requireNonNull(nodes, "nodes");
        if (size < 0) {
            throw new IllegalArgumentException("tree size " + size + " must not be negative");
        }
        if (nodes.size() != Long.bitCount(size)) {
            throw new IllegalArgumentException("a frontier of tree size " + size + " has " + Long.bitCount(size)
                    + " nodes, not " + nodes.size());
        }
        List<byte[]> copy = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            byte[] node = nodes.get(i);
            if (node == null || node.length != hasher.size()) {
                throw new IllegalArgumentException("frontier node " + i + " is "
                        + (node == null ? "null" : node.length + " bytes") + "; must be " + hasher.size());
            }
            copy.add(node.clone());
        }
        return new MerkleFrontier(hasher, size, List.copyOf(copy));
    }

    /**
     * Returns the frontier of this tree with one more leaf.
     *
     * @param leafHash the leaf hash ({@link LogHasher#hashLeaf}) of the new entry, {@code hasher.size()} bytes
     * @throws IllegalArgumentException if the leaf hash has the wrong length
     * @throws IllegalStateException if the tree already has {@code Long.MAX_VALUE} leaves
     */
    public MerkleFrontier append(byte[] leafHash) {
        Objects.requireNonNull(leafHash, "leafHash");
        if (leafHash.length != hasher.size()) {
            throw new IllegalArgumentException(
                    "leaf hash is " + leafHash.length + " bytes; must be " + hasher.size());
        }
        if (size == Long.MAX_VALUE) {
            throw new IllegalStateException("tree size " + size + " cannot grow");
        }
        List<byte[]> next = new ArrayList<>(nodes);
        byte[] node = leafHash.clone();
        // Each trailing one bit of size is a subtree of the same height as node: merge it, left of node.
        for (long s = size; (s & 1) == 1; s >>>= 1) {
            node = hasher.hashChildren(next.remove(next.size() - 1), node);
        }
        next.add(node);
        return new MerkleFrontier(hasher, size + 1, List.copyOf(next));
    }

    /** Returns the number of leaves. */
    public long size() {
        return size;
    }

    /** Returns the root hash MTH(D[size]) (RFC 9162 section 2.1.1); {@link LogHasher#emptyRoot()} for size 0. */
    public byte[] rootHash() {
        if (nodes.isEmpty()) {
            return hasher.emptyRoot();
        }
        byte[] root = nodes.get(nodes.size() - 1).clone();
        for (int i = nodes.size() - 2; i >= 0; i--) {
            root = hasher.hashChildren(nodes.get(i), root);
        }
        return root;
    }

    /** Returns copies of the subtree hashes, largest subtree first, for {@link #restore}. */
    public List<byte[]> nodes() {
        List<byte[]> copy = new ArrayList<>(nodes.size());
        for (byte[] node : nodes) {
            copy.add(node.clone());
        }
        return List.copyOf(copy);
    }

    @Override
    public String toString() {
        return "MerkleFrontier[size=" + size + "]";
    }
}
