package nl.betrokken.crypto.keys;

import java.security.GeneralSecurityException;

/**
 * Thrown when an epoch is unknown, disabled, or past its transition. The message names the epoch id and,
 * where relevant, the instant it stopped being accepted; it never contains key material.
 */
public final class KeyEpochException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    private final int epochId;

    KeyEpochException(int epochId, String message) {
        super(message);
        this.epochId = epochId;
    }

    /** Returns the epoch id that was refused. */
    public int epochId() {
        return epochId;
    }
}
