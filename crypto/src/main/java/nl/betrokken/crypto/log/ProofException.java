package nl.betrokken.crypto.log;

import java.security.GeneralSecurityException;

/**
 * An inclusion or consistency proof was refused. Checked, like the other verification failures of this module,
 * so that a caller cannot forget that verification fails.
 *
 * <p>The message names the values that were wrong ("index 12 out of bounds for tree size 10", "proof has 4 hashes;
 * an inclusion proof for index 0 in a tree of size 8 has 3"). Tree sizes, indexes and hashes of the log are not
 * personal data: a leaf hash reveals nothing about its entry.
 *
 * <p>A proof that is well formed but leads to another root throws the subtype {@link RootMismatchException}.
 */
public class ProofException extends GeneralSecurityException {

    private static final long serialVersionUID = 1L;

    ProofException(String message) {
        super(message);
    }
}
