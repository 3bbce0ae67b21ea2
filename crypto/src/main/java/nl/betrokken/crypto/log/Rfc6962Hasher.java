package nl.betrokken.crypto.log;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * {@link LogHasher} with SHA-256, RFC 9162 section 2.1.1. Reached through {@link LogHasher#rfc6962()}.
 *
 * <p>Each thread keeps its own {@link MessageDigest}, so hashing a node costs one digest and no lookup.
 */
final class Rfc6962Hasher implements LogHasher {

    static final Rfc6962Hasher INSTANCE = new Rfc6962Hasher();

    private static final int SIZE = 32;
    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(Rfc6962Hasher::newDigest);

    private Rfc6962Hasher() {
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public byte[] emptyRoot() {
        MessageDigest md = sha256.get();
        md.reset();
        return md.digest();
    }

    @Override
    public byte[] hashLeaf(byte[] data) {
        Objects.requireNonNull(data, "data");
        MessageDigest md = sha256.get();
        md.reset();
        md.update(LEAF_PREFIX);
        return md.digest(data);
    }

    @Override
    public byte[] hashChildren(byte[] left, byte[] right) {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        MessageDigest md = sha256.get();
        md.reset();
        md.update(NODE_PREFIX);
        md.update(left);
        return md.digest(right);
    }

    @Override
    public String toString() {
        return "LogHasher[RFC 9162 SHA-256]";
    }
}
