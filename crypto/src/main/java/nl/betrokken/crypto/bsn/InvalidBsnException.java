package nl.betrokken.crypto.bsn;

/**
 * Thrown when a string is not a valid BSN. The message names the rule that failed and never contains the
 * input, so it is safe to log or to map to a problem response.
 */
public final class InvalidBsnException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The rule a candidate BSN broke, checked in this order. */
    public enum Rule {
        /** The input is not exactly nine ASCII digits ({@code 0}-{@code 9}); {@code null} also breaks this rule. */
        NINE_DIGITS("BSN must be exactly 9 digits (ASCII 0-9, no spaces or separators)"),
        /** The input is {@code 000000000}, which passes the elfproef arithmetic but is never issued. */
        NOT_ALL_ZEROS("BSN must not be all zeros"),
        /** The weighted sum 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is not a multiple of 11. */
        ELFPROEF("BSN fails the elfproef");

        private final String message;

        Rule(String message) {
            this.message = message;
        }

        /** Returns the message used for this rule; it contains no input. */
        public String message() {
            return message;
        }
    }

    private final Rule rule;

    InvalidBsnException(Rule rule) {
        super(rule.message());
        this.rule = rule;
    }

    /** Returns the rule that failed. */
    public Rule rule() {
        return rule;
    }
}
