package nl.betrokken.node.account;

import java.security.SecureRandom;

import io.micronaut.context.env.Environment;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** bcrypt (Bouncy Castle's OpenBSD implementation) for the passwords of accounts that sign in with one. */
public final class Passwords {

    private static final int COST = 10;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Checked against when the account is unknown, so that a wrong username costs as much time as a wrong password. */
    private static final String DUMMY = hash("not a password");

    private Passwords() {
    }

    /**
     * Whether accounts may sign in with a password in {@code environment}: only in {@code dev}, where the demo users
     * do ({@link PasswordAuthentication} exists only there). A production node signs in through its identity provider.
     */
    public static boolean allowed(Environment environment) {
        return environment.getActiveNames().contains(Environment.DEVELOPMENT);
    }

    /** A bcrypt hash of {@code password} with a fresh salt; bcrypt reads at most 72 bytes of it. */
    public static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate(password.toCharArray(), salt, COST);
    }

    static boolean matches(String password, String hash) {
        try {
            return OpenBSDBCrypt.checkPassword(hash == null ? DUMMY : hash, password.toCharArray()) && hash != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
