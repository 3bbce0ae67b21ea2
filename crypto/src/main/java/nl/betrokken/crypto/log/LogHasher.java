package nl.betrokken.crypto.log;

/**
 * How a Merkle tree log hashes its leaves and interior nodes.
 *
 * <h2>Security guarantees</h2>
 * A leaf hash and an interior-node hash never share an input: leaves are hashed with the prefix byte {@code 0x00}
 * and nodes with {@code 0x01} (domain separation, RFC 9162 section 2.1.1), so an interior node cannot be passed
 * off as a leaf, or the other way round, to forge an inclusion proof.
 *
 * <p>Not for: hashing anything but log leaves and nodes. The empty-tree root is the hash of the empty string,
 * which says nothing about any leaf.
 *
 * <p>Implementations are immutable and thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9162#section-2.1.1">RFC 9162 section 2.1.1</a>
 */
public interface LogHasher {

    /**
     * Returns the hasher of RFC 9162 section 2.1.1 (the same as RFC 6962 section 2.1) with SHA-256: the hasher
     * of every Betrokken audit log and of C2SP checkpoints.
     */
    static LogHasher rfc6962() {
        return Rfc6962Hasher.INSTANCE;
    }

    /** Returns the length of every hash this hasher makes, in bytes (32 for SHA-256). */
    int size();

    /** Returns MTH({}), the root of the tree with no leaves: {@code HASH()}. */
    byte[] emptyRoot();

    /** Returns the leaf hash {@code HASH(0x00 || data)} of a leaf whose entry is {@code data}. */
    byte[] hashLeaf(byte[] data);

    /** Returns the node hash {@code HASH(0x01 || left || right)} of two child hashes. */
    byte[] hashChildren(byte[] left, byte[] right);
}
