package nl.betrokken.crypto.bsn;

import java.util.Optional;

/**
 * A burgerservicenummer (BSN) that has passed the elfproef.
 *
 * <p>{@link #parse(String)} accepts exactly nine ASCII digits and nothing else: no surrounding whitespace, no
 * dots or dashes, no other Unicode digits, and no eight-digit form with an implied leading zero. Callers that
 * receive formatted input strip it themselves, so no two distinct strings silently become the same BSN.
 *
 * <p>A BSN identifies a person. {@link #toString()} therefore prints {@code Bsn[redacted]}, and
 * {@link InvalidBsnException} never echoes its input. Reading the digits is a deliberate call to
 * {@link #digits()}.
 *
 * <p>Instances are immutable; {@code equals} and {@code hashCode} compare the digits.
 */
public final class Bsn {
    private static final int LENGTH = 9;

    private final String digits;

    private Bsn(String digits) {
        this.digits = digits;
    }

    /**
     * Parses a BSN.
     *
     * @param digits exactly nine ASCII digits
     * @return the BSN
     * @throws InvalidBsnException naming the failed {@link InvalidBsnException.Rule}, if {@code digits} is
     *     {@code null}, is not nine ASCII digits, is all zeros, or fails the elfproef
     */
    public static Bsn parse(String digits) {
        Optional<InvalidBsnException.Rule> broken = brokenRule(digits);
        if (broken.isPresent()) {
            throw new InvalidBsnException(broken.get());
        }
        return new Bsn(digits);
    }

    /** Returns whether {@link #parse(String)} would accept {@code digits}. */
    public static boolean isValid(String digits) {
        return brokenRule(digits).isEmpty();
    }

    private static Optional<InvalidBsnException.Rule> brokenRule(String s) {
        if (s == null || s.length() != LENGTH) {
            return Optional.of(InvalidBsnException.Rule.NINE_DIGITS);
        }
        int sum = 0;
        boolean allZeros = true;
        for (int i = 0; i < LENGTH; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') { // ASCII only: Character.isDigit would admit e.g. Arabic-Indic digits
                return Optional.of(InvalidBsnException.Rule.NINE_DIGITS);
            }
            int d = c - '0';
            allZeros &= d == 0;
            // Weights 9, 8, ..., 2 for d1..d8 and -1 for the check digit d9.
            sum += (i < LENGTH - 1 ? LENGTH - i : -1) * d;
        }
        if (allZeros) {
            return Optional.of(InvalidBsnException.Rule.NOT_ALL_ZEROS);
        }
        // sum lies in [-9, 396]; a negative sum is never a multiple of 11, and % keeps its sign, so != 0 holds.
        if (sum % 11 != 0) {
            return Optional.of(InvalidBsnException.Rule.ELFPROEF);
        }
        return Optional.empty();
    }

    /** Returns the nine ASCII digits. This is the identity itself: keep it out of logs and messages. */
    public String digits() {
        return digits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bsn other && digits.equals(other.digits);
    }

    @Override
    public int hashCode() {
        return digits.hashCode();
    }

    /** Returns {@code Bsn[redacted]}: a BSN never appears in logs or exception text. */
    @Override
    public String toString() {
        return "Bsn[redacted]";
    }
}
