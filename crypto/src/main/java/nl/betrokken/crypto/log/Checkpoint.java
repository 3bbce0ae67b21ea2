package nl.betrokken.crypto.log;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A log's tree head in the body format of c2sp.org/tlog-checkpoint: three lines, each ending in a newline,
 *
 * <pre>
 * betrokken.nl/node/utrecht      origin: which log
 * 8                              tree size: decimal, no leading zeros
 * XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=   root hash: RFC 9162 MTH, standard base64
 * </pre>
 *
 * <p>A checkpoint is only believed inside a signed note, through {@link VerifiedCheckpoint#open}, which checks the
 * log's signature before it reads these lines.
 *
 * <h2>Where the time is</h2>
 * Deliberately not in the body. The spec allows opaque extension lines after the root hash, but calls their use
 * NOT RECOMMENDED because log monitors cannot audit them, and a time line there would be a fourth line other
 * checkpoint readers ignore. The time travels instead in a {@code cosignature/v1} signature
 * (c2sp.org/tlog-cosignature), whose signed message is {@code "cosignature/v1\ntime <seconds>\n"} followed by this
 * body: a signed timestamp in the format the specs define for exactly this. The node signs its own checkpoints
 * with such a key ({@link CosignatureV1Signer}, read back with {@link VerifiedCheckpoint#logTime()}), and the
 * coordinator adds its own when it countersigns ({@link CheckpointWitness}, read back with
 * {@link VerifiedCheckpoint#cosignedAt}). So "tree size, root hash, time" is a checkpoint plus one verified
 * timestamped signature.
 *
 * <p>Betrokken writes no extension lines, and {@link #parseBody} refuses them: one checkpoint has one text form,
 * and a cosignature always covers exactly origin, size and root.
 *
 * @param origin the log's identity, e.g. {@code betrokken.nl/node/utrecht}: non-empty, no control characters
 * @param size the number of leaves, {@code >= 0}
 * @param rootHash the 32-byte RFC 9162 root hash of the first {@code size} leaves
 */
public record Checkpoint(String origin, long size, byte[] rootHash) {

    private static final int HASH_LENGTH = 32;
    private static final Pattern SIZE = Pattern.compile("0|[1-9][0-9]*");
    private static final int MAX_QUOTED = 40;

    /**
     * @throws IllegalArgumentException if the origin is empty or has a control character, the size is negative or
     *     the root hash is not 32 bytes
     */
    public Checkpoint {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(rootHash, "rootHash");
        if (origin.isEmpty() || origin.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("origin must be non-empty, without control characters");
        }
        if (size < 0) {
            throw new IllegalArgumentException("tree size " + size + " must not be negative");
        }
        if (rootHash.length != HASH_LENGTH) {
            throw new IllegalArgumentException("root hash is " + rootHash.length + " bytes; must be " + HASH_LENGTH);
        }
        rootHash = rootHash.clone();
    }

    /** Returns a copy of the root hash. */
    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** Returns the note text: origin, size and base64 root hash, each followed by a newline. */
    public String body() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(rootHash) + "\n";
    }

    /** Returns the body signed by each signer, as a note ready to publish ({@link SignedNote#marshal()}). */
    public SignedNote sign(NoteSigner... signers) {
        return SignedNote.sign(body(), signers);
    }

    /**
     * Parses a checkpoint body. Call it only on text whose signature has been verified; {@link VerifiedCheckpoint}
     * does.
     *
     * @throws NoteException with {@link NoteException.Reason#MALFORMED_CHECKPOINT} and one message per fault:
     *     missing lines, extension lines, empty origin, a size that is not a decimal number or too large, a root
     *     hash that is not base64 or not 32 bytes
     */
    public static Checkpoint parseBody(String body) throws NoteException {
        Objects.requireNonNull(body, "body");
        if (!body.endsWith("\n")) {
            throw malformed("checkpoint body does not end in a newline");
        }
        String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw malformed("checkpoint body has " + lines.length + (lines.length == 1 ? " line" : " lines")
                    + "; it needs origin, tree size and root hash");
        }
        if (lines.length > 3) {
            throw malformed("checkpoint body has " + (lines.length - 3)
                    + " extension lines after the root hash; Betrokken checkpoints have none");
        }
        String origin = lines[0];
        if (origin.isEmpty()) {
            throw malformed("origin line is empty");
        }
        long size = parseSize(lines[1]);
        byte[] rootHash = parseRootHash(lines[2]);
        return new Checkpoint(origin, size, rootHash);
    }

    private static long parseSize(String line) throws NoteException {
        if (!SIZE.matcher(line).matches()) {
            throw malformed("tree size " + quote(line) + " is not a decimal number without sign or leading zeros");
        }
        try {
            return Long.parseLong(line);
        } catch (NumberFormatException e) {
            throw malformed("tree size " + quote(line) + " exceeds " + Long.MAX_VALUE);
        }
    }

    private static byte[] parseRootHash(String line) throws NoteException {
        byte[] hash;
        try {
            hash = Base64.getDecoder().decode(line);
        } catch (IllegalArgumentException e) {
            throw malformed("root hash " + quote(line) + " is not base64");
        }
        if (hash.length != HASH_LENGTH) {
            throw malformed("root hash is " + hash.length + " bytes; must be " + HASH_LENGTH);
        }
        if (!Base64.getEncoder().encodeToString(hash).equals(line)) {
            throw malformed("root hash " + quote(line) + " is not in canonical padded base64");
        }
        return hash;
    }

    private static String quote(String value) {
        return value.length() <= MAX_QUOTED ? "'" + value + "'" : "'" + value.substring(0, MAX_QUOTED) + "...'";
    }

    private static NoteException malformed(String message) {
        return new NoteException(NoteException.Reason.MALFORMED_CHECKPOINT, message);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint other && origin.equals(other.origin) && size == other.size
                && MessageDigest.isEqual(rootHash, other.rootHash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, size, Arrays.hashCode(rootHash));
    }

    /** Returns e.g. {@code Checkpoint[betrokken.nl/node/utrecht, size 8, root 5dc9da79...]}. */
    @Override
    public String toString() {
        return "Checkpoint[" + origin + ", size " + size + ", root " + HexFormat.of().formatHex(rootHash) + "]";
    }
}
