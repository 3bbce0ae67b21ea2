package nl.betrokken.crypto.log;

import java.security.GeneralSecurityException;

/**
 * A signed note or checkpoint was refused. Checked, so that a caller cannot forget that opening fails.
 *
 * <p>{@link #reason()} says why; the message adds the values (line numbers, key names and ids, sizes, origins).
 * Notes carry no personal data: a checkpoint is an origin, a size and a hash.
 */
public final class NoteException extends GeneralSecurityException {

    private static final long serialVersionUID = 1L;

    /** Why a note was refused; one value per kind of check. */
    public enum Reason {
        /**
         * Not a signed note (c2sp.org/signed-note): a control character, a signature line that does not start
         * with an em dash, an empty or invalid key name, a signature that is not base64 or too short, too many
         * signature lines.
         */
        MALFORMED_NOTE,
        /** The note has no signature lines at all. */
        NO_SIGNATURES,
        /** None of the note's signature lines is by the expected key (name and key id). */
        UNKNOWN_KEY,
        /** A signature line by the expected key does not verify. */
        BAD_SIGNATURE,
        /**
         * The signed text is not a Betrokken checkpoint body (c2sp.org/tlog-checkpoint): missing lines, a tree size
         * that is not a decimal number, a root hash that is not 32 bytes of base64, extension lines.
         */
        MALFORMED_CHECKPOINT,
        /** The checkpoint is signed by the expected key but names another log. */
        ORIGIN_MISMATCH
    }

    private final Reason reason;

    NoteException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    /** Returns why the note was refused. */
    public Reason reason() {
        return reason;
    }
}
