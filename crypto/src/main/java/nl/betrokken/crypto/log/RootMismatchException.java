package nl.betrokken.crypto.log;

import java.util.HexFormat;

/**
 * A proof had the right shape but hashed to a root other than the one expected: the leaf is not in the tree
 * with that root, the two tree heads are not consistent, or the proof was tampered with.
 *
 * <p>Carries both roots, so that a caller can keep them as evidence.
 */
public final class RootMismatchException extends ProofException {

    private static final long serialVersionUID = 1L;

    private final byte[] expectedRoot;
    private final byte[] calculatedRoot;

    /**
     * @param what which root is meant, e.g. "root" or "root of size 6"
     */
    RootMismatchException(String what, byte[] expectedRoot, byte[] calculatedRoot) {
        super("calculated " + what + " " + HexFormat.of().formatHex(calculatedRoot) + " does not match expected "
                + what + " " + HexFormat.of().formatHex(expectedRoot));
        this.expectedRoot = expectedRoot.clone();
        this.calculatedRoot = calculatedRoot.clone();
    }

    /** Returns a copy of the root the caller expected. */
    public byte[] expectedRoot() {
        return expectedRoot.clone();
    }

    /** Returns a copy of the root the proof hashed to. */
    public byte[] calculatedRoot() {
        return calculatedRoot.clone();
    }
}
