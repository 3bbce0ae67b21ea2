package nl.betrokken.crypto.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A signed note, c2sp.org/signed-note: a text ending in a newline, a blank line, then one or more signature lines
 * {@code — <key name> <base64(4-byte key id || signature)>}, each ending in a newline. The dash is an em dash,
 * U+2014.
 *
 * <pre>
 * If you think cryptography is the answer to your problem,
 * then you don't know what your problem is.
 *
 * — PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=
 * </pre>
 *
 * <h2>Security guarantees</h2>
 * {@link #parse} only checks the syntax: nothing about the text may be believed until {@link #verify} has
 * returned for a trusted key. {@link #verify} follows the spec: lines by other keys are ignored, even when they
 * share a name or a key id (but not both) with the trusted key; every line by the trusted key must verify.
 *
 * <p>Notes must be valid UTF-8 with no control characters but newline. Callers that receive bytes decode them as
 * UTF-8 first; a note that was not valid UTF-8 fails its signature, since the text no longer has the signed bytes.
 *
 * <p>Immutable and thread-safe.
 */
public final class SignedNote {

    /** The most signature lines {@link #parse} reads; the spec requires at least 16, Go's note package reads 100. */
    public static final int MAX_SIGNATURES = 100;

    private static final String DASH = "\u2014 ";
    private static final int KEY_ID_LENGTH = 4;

    /**
     * One signature line: the key name, the key id and the signature bytes that follow the key id.
     *
     * @param signature the bytes after the key id, e.g. 64 bytes of Ed25519 or 72 bytes of cosignature/v1
     */
    public record Signature(String keyName, int keyId, byte[] signature) {

        public Signature {
            Objects.requireNonNull(keyName, "keyName");
            signature = Objects.requireNonNull(signature, "signature").clone();
        }

        /** Returns a copy of the signature bytes. */
        @Override
        public byte[] signature() {
            return signature.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature other && keyName.equals(other.keyName) && keyId == other.keyId
                    && MessageDigest.isEqual(signature, other.signature);
        }

        @Override
        public int hashCode() {
            return Objects.hash(keyName, keyId, Arrays.hashCode(signature));
        }

        /** Returns e.g. {@code Signature[PeterNeumann+c74f20a3]}. */
        @Override
        public String toString() {
            return "Signature[" + NoteKeys.describe(keyName, keyId) + "]";
        }

        boolean isBy(NoteVerifier verifier) {
            return keyName.equals(verifier.keyName()) && keyId == verifier.keyId();
        }

        String line() {
            byte[] bytes = ByteBuffer.allocate(KEY_ID_LENGTH + signature.length).putInt(keyId).put(signature).array();
            return DASH + keyName + " " + Base64.getEncoder().encodeToString(bytes) + "\n";
        }
    }

    private final String text;
    private final List<Signature> signatures;

    private SignedNote(String text, List<Signature> signatures) {
        this.text = text;
        this.signatures = List.copyOf(signatures);
    }

    /**
     * Signs {@code text} with each signer, in order.
     *
     * @param text the note text: ending in a newline, with no control characters but newline
     * @throws IllegalArgumentException if the text is not a valid note text or no signer is given
     */
    public static SignedNote sign(String text, NoteSigner... signers) {
        Objects.requireNonNull(text, "text");
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("note text must end in a newline");
        }
        int bad = firstControlCharacter(text);
        if (bad >= 0) {
            throw new IllegalArgumentException("note text has control character or lone surrogate "
                    + String.format("U+%04X", (int) text.charAt(bad)) + " at offset " + bad);
        }
        if (signers.length == 0) {
            throw new IllegalArgumentException("a signed note needs at least one signer");
        }
        SignedNote note = new SignedNote(text, List.of());
        for (NoteSigner signer : signers) {
            note = note.withSignature(signer);
        }
        return note;
    }

    /**
     * Parses the syntax of a signed note. Checks no signature: call {@link #verify} before reading the text.
     *
     * @throws NoteException with {@link NoteException.Reason#NO_SIGNATURES} if there is no signature line, or
     *     {@link NoteException.Reason#MALFORMED_NOTE} naming the line that breaks the format
     */
    public static SignedNote parse(String note) throws NoteException {
        Objects.requireNonNull(note, "note");
        int bad = firstControlCharacter(note);
        if (bad >= 0) {
            throw malformed("note has control character or lone surrogate "
                    + String.format("U+%04X", (int) note.charAt(bad)) + " at offset " + bad
                    + "; only newline is allowed");
        }
        int blank = note.lastIndexOf("\n\n");
        if (blank < 0) {
            throw new NoteException(NoteException.Reason.NO_SIGNATURES,
                    "note has no signatures: no blank line follows its text");
        }
        String text = note.substring(0, blank + 1);
        String block = note.substring(blank + 2);
        if (block.isEmpty()) {
            throw new NoteException(NoteException.Reason.NO_SIGNATURES,
                    "note has no signatures: nothing follows the blank line after its text");
        }
        if (!block.endsWith("\n")) {
            throw malformed("the last signature line does not end in a newline");
        }
        String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
        if (lines.length > MAX_SIGNATURES) {
            throw malformed("note has " + lines.length + " signature lines; at most " + MAX_SIGNATURES + " are read");
        }
        List<Signature> signatures = new ArrayList<>(lines.length);
        for (int i = 0; i < lines.length; i++) {
            signatures.add(parseLine(lines[i], i + 1));
        }
        return new SignedNote(text, signatures);
    }

    private static Signature parseLine(String line, int number) throws NoteException {
        String where = "signature line " + number;
        if (!line.startsWith(DASH)) {
            throw malformed(where + " does not start with an em dash (U+2014) and a space");
        }
        int space = line.indexOf(' ', DASH.length());
        if (space < 0) {
            throw malformed(where + " has no space between key name and signature");
        }
        String name = line.substring(DASH.length(), space);
        if (!NoteKeys.isValidKeyName(name)) {
            throw malformed(where + " has an invalid key name: empty, or with a space or '+'");
        }
        String base64 = line.substring(space + 1);
        byte[] bytes;
        try {
            if (base64.length() % 4 != 0) {
                throw new IllegalArgumentException("unpadded");
            }
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw malformed(where + " (key " + name + ") has a signature that is not padded base64");
        }
        if (bytes.length <= KEY_ID_LENGTH) {
            throw malformed(where + " (key " + name + ") has a signature of " + bytes.length
                    + " bytes; it needs a 4-byte key id and the signature itself");
        }
        return new Signature(name, ByteBuffer.wrap(bytes).getInt(),
                Arrays.copyOfRange(bytes, KEY_ID_LENGTH, bytes.length));
    }

    /**
     * Returns this note with a signature by {@code signer} over its text, replacing any line by the same key name
     * and key id.
     */
    public SignedNote withSignature(NoteSigner signer) {
        Objects.requireNonNull(signer, "signer");
        byte[] signature = signer.sign(text.getBytes(StandardCharsets.UTF_8));
        Signature added = new Signature(signer.keyName(), signer.keyId(), signature);
        List<Signature> next = new ArrayList<>(signatures.size() + 1);
        for (Signature s : signatures) {
            if (!(s.keyName().equals(added.keyName()) && s.keyId() == added.keyId())) {
                next.add(s);
            }
        }
        next.add(added);
        return new SignedNote(text, next);
    }

    /**
     * Verifies the lines by {@code verifier}'s key (same key name and key id) and returns the first. Lines by other
     * keys are ignored.
     *
     * @throws NoteException with {@link NoteException.Reason#UNKNOWN_KEY} if no line is by that key, or
     *     {@link NoteException.Reason#BAD_SIGNATURE} if a line by that key does not verify
     */
    public Signature verify(NoteVerifier verifier) throws NoteException {
        Objects.requireNonNull(verifier, "verifier");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Signature first = null;
        for (Signature s : signatures) {
            if (s.isBy(verifier)) {
                verifier.verify(bytes, s.signature);
                if (first == null) {
                    first = s;
                }
            }
        }
        if (first == null) {
            throw new NoteException(NoteException.Reason.UNKNOWN_KEY, "note has no signature by key "
                    + NoteKeys.describe(verifier.keyName(), verifier.keyId()) + "; it is signed by "
                    + signatures.stream().map(s -> NoteKeys.describe(s.keyName(), s.keyId()))
                            .collect(Collectors.joining(", ")));
        }
        return first;
    }

    /** Returns the note text, including its final newline. Believe it only after {@link #verify}. */
    public String text() {
        return text;
    }

    /** Returns the signature lines, in order. */
    public List<Signature> signatures() {
        return signatures;
    }

    /** Returns the note in its text form: the text, a blank line and the signature lines. */
    public String marshal() {
        StringBuilder b = new StringBuilder(text).append('\n');
        signatures.forEach(s -> b.append(s.line()));
        return b.toString();
    }

    /** Returns e.g. {@code SignedNote[2 signatures: Log+2271c621, Witness+0a1b2c3d]}; never the text. */
    @Override
    public String toString() {
        return "SignedNote[" + signatures.size() + " signatures: " + signatures.stream()
                .map(s -> NoteKeys.describe(s.keyName(), s.keyId())).collect(Collectors.joining(", ")) + "]";
    }

    /**
     * The offset of the first character a note may not contain: a control character below U+0020 other than
     * newline (the spec's rule), or half of a surrogate pair, which has no UTF-8 encoding; -1 if there is none.
     */
    private static int firstControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n') {
                return i;
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1));
                if (!paired) {
                    return i;
                }
                i++;
            }
        }
        return -1;
    }

    private static NoteException malformed(String message) {
        return new NoteException(NoteException.Reason.MALFORMED_NOTE, message);
    }
}
