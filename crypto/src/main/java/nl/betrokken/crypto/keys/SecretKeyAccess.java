package nl.betrokken.crypto.keys;

/**
 * A token that must be passed to read or create secret key material, so that every such place in the code
 * is a visible, greppable, deliberate act (compare Tink's {@code SecretKeyAccess}).
 *
 * <p>Code that obtains the token with {@link #insecure()} takes responsibility for keeping the bytes out of
 * logs, exception text and anything that leaves the process other than the key ring file.
 */
public final class SecretKeyAccess {
    private static final SecretKeyAccess INSTANCE = new SecretKeyAccess();

    private SecretKeyAccess() {}

    /**
     * Returns the access token. Calling this is a deliberate act: it marks the caller as code that handles
     * raw key bytes (the key ring file, test vectors). Search for it when auditing key handling.
     */
    public static SecretKeyAccess insecure() {
        return INSTANCE;
    }
}
