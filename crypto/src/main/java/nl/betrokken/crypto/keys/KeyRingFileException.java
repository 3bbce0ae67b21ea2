package nl.betrokken.crypto.keys;

import java.io.IOException;

/**
 * Thrown when a key ring file is refused: its permissions let others read it, or its content is malformed.
 * The message names the path and the offending field or permissions, never a secret.
 */
public final class KeyRingFileException extends IOException {
    private static final long serialVersionUID = 1L;

    KeyRingFileException(String message) {
        super(message);
    }

    KeyRingFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
