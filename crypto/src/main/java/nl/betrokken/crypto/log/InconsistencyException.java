package nl.betrokken.crypto.log;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * A log signed two checkpoints that cannot both be true: the newer one does not extend the older one. This is
 * evidence of a forked or rewritten log, so the exception keeps everything a third party needs to check it: both
 * signed notes exactly as received, both parsed checkpoints, and the consistency proof that failed.
 */
public final class InconsistencyException extends GeneralSecurityException {

    private static final long serialVersionUID = 1L;

    private final transient VerifiedCheckpoint previous;
    private final transient VerifiedCheckpoint next;
    private final String previousNote;
    private final String nextNote;
    private final transient List<byte[]> proof;

    InconsistencyException(String previousNote, VerifiedCheckpoint previous, String nextNote, VerifiedCheckpoint next,
            List<byte[]> proof, String reason, Throwable cause) {
        super("checkpoint of size " + next.checkpoint().size() + " is not consistent with the cosigned checkpoint"
                + " of size " + previous.checkpoint().size() + " of log '" + previous.checkpoint().origin() + "': "
                + reason, cause);
        this.previousNote = previousNote;
        this.previous = previous;
        this.nextNote = nextNote;
        this.next = next;
        this.proof = copy(proof);
    }

    /** Returns the earlier checkpoint, which this witness had cosigned. */
    public VerifiedCheckpoint previous() {
        return previous;
    }

    /** Returns the newer checkpoint, also signed by the log. */
    public VerifiedCheckpoint next() {
        return next;
    }

    /** Returns the earlier signed note exactly as received. */
    public String previousNote() {
        return previousNote;
    }

    /** Returns the newer signed note exactly as received. */
    public String nextNote() {
        return nextNote;
    }

    /** Returns copies of the hashes of the consistency proof the log offered. */
    public List<byte[]> proof() {
        return copy(proof);
    }

    private static List<byte[]> copy(List<byte[]> hashes) {
        List<byte[]> copy = new ArrayList<>(hashes.size());
        hashes.forEach(h -> copy.add(h == null ? null : h.clone()));
        return copy;
    }
}
