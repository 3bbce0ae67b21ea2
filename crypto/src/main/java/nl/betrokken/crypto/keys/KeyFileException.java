package nl.betrokken.crypto.keys;

import java.io.IOException;

/**
 * Thrown when a file holding key material is refused: its permissions let others read it, or its content is
 * malformed.
 * The message names the path and the offending field or permissions, never a secret.
 */
public final class KeyFileException extends IOException {
    private static final long serialVersionUID = 1L;

    KeyFileException(String message) {
        super(message);
    }

    KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
