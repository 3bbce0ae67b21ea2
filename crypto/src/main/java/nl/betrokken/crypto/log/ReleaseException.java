package nl.betrokken.crypto.log;

import java.security.GeneralSecurityException;

/**
 * A released entry and salt do not open a sealed entry's commitment: the log did not commit to these bytes.
 * Checked, so that a caller cannot forget that a release can be false.
 *
 * <p>The message names lengths and the commitment, never the entry: an audit entry is personal data.
 */
public final class ReleaseException extends GeneralSecurityException {

    private static final long serialVersionUID = 1L;

    ReleaseException(String message) {
        super(message);
    }
}
