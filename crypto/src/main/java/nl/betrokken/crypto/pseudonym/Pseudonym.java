package nl.betrokken.crypto.pseudonym;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A pseudonym: 32 bytes tagged with the id of the key epoch that made them.
 *
 * <p>The text form is {@code e<epoch>.<value>}, e.g. {@code e3.q1v...}, where {@code <epoch>} is a positive
 * decimal integer without leading zeros and {@code <value>} is the 32 bytes in unpadded base64url
 * (<a href="https://www.rfc-editor.org/rfc/rfc4648#section-5">RFC 4648 §5</a>, 43 characters). Like Tink's
 * output prefix, the epoch comes first so a receiver looks its key up directly. Each pseudonym has exactly one
 * text form; {@link #parse} refuses every other spelling.
 *
 * <p>A pseudonym is still personal data (AVG/GDPR recital 26): {@link #toString()} shows only the epoch, and
 * parse errors never quote their input.
 */
public final class Pseudonym {
    /** The length of the value in bytes. */
    public static final int LENGTH = 32;

    private static final int ENCODED_VALUE_LENGTH = 43; // ceil(32 * 8 / 6), no padding
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final int epoch;
    private final byte[] value;

    private Pseudonym(int epoch, byte[] value) {
        this.epoch = epoch;
        this.value = value;
    }

    /**
     * Returns the pseudonym with {@code value} (copied) under {@code epoch}.
     *
     * @throws IllegalArgumentException if {@code epoch < 1} or {@code value} is not 32 bytes
     */
    public static Pseudonym of(int epoch, byte[] value) {
        Objects.requireNonNull(value, "value");
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch " + epoch + " must be positive");
        }
        if (value.length != LENGTH) {
            throw new IllegalArgumentException("pseudonym value is " + value.length + " bytes; must be " + LENGTH);
        }
        return new Pseudonym(epoch, value.clone());
    }

    // For HmacPseudonymizer: takes ownership of a fresh 32-byte HMAC output, saving a copy on the hot path.
    static Pseudonym wrap(int epoch, byte[] owned) {
        return new Pseudonym(epoch, owned);
    }

    /** Compiled once: a coordinator parses every pseudonym of every batch (a national year is about a million). */
    private static final Pattern EPOCH_TEXT = Pattern.compile("[1-9][0-9]{0,9}");
    private static final Pattern VALUE_TEXT = Pattern.compile("[A-Za-z0-9_-]+");

    /**
     * Parses the text form {@code e<epoch>.<value>}.
     *
     * @throws IllegalArgumentException naming the part that is wrong; the message never quotes the input
     */
    public static Pseudonym parse(String encoded) {
        Objects.requireNonNull(encoded, "encoded");
        int dot = encoded.indexOf('.');
        if (encoded.isEmpty() || encoded.charAt(0) != 'e' || dot < 0) {
            throw new IllegalArgumentException("pseudonym must have the form e<epoch>.<base64url value>");
        }
        String epochText = encoded.substring(1, dot);
        if (!EPOCH_TEXT.matcher(epochText).matches()) {
            throw new IllegalArgumentException(
                    "pseudonym epoch must be a positive decimal integer without leading zeros");
        }
        long epoch = Long.parseLong(epochText);
        if (epoch > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pseudonym epoch exceeds " + Integer.MAX_VALUE);
        }
        String valueText = encoded.substring(dot + 1);
        if (valueText.length() != ENCODED_VALUE_LENGTH || !VALUE_TEXT.matcher(valueText).matches()) {
            throw new IllegalArgumentException("pseudonym value must be " + ENCODED_VALUE_LENGTH
                    + " unpadded base64url characters (" + LENGTH + " bytes)");
        }
        byte[] value = DECODER.decode(valueText);
        // 43 characters carry 258 bits; the 2 spare bits must be zero, or two strings would name one pseudonym.
        if (!ENCODER.encodeToString(value).equals(valueText)) {
            throw new IllegalArgumentException("pseudonym value is not canonical base64url (non-zero spare bits)");
        }
        return new Pseudonym((int) epoch, value);
    }

    /** Returns the id of the key epoch that made this pseudonym. */
    public int epoch() {
        return epoch;
    }

    /** Returns a copy of the 32-byte value. */
    public byte[] value() {
        return value.clone();
    }

    /** Returns the text form {@code e<epoch>.<unpadded base64url value>}. */
    public String encoded() {
        return "e" + epoch + "." + ENCODER.encodeToString(value);
    }

    /** Compares epoch and value; the value in constant time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Pseudonym other && epoch == other.epoch && MessageDigest.isEqual(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * epoch + Arrays.hashCode(value);
    }

    /** Returns e.g. {@code Pseudonym[epoch=3]}: the value is personal data and stays out of logs. */
    @Override
    public String toString() {
        return "Pseudonym[epoch=" + epoch + "]";
    }
}
