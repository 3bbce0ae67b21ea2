package nl.betrokken.audit;

/** A bundle that does not verify; the message names the first entry or checkpoint that fails, and why. */
public final class AuditVerificationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String where;

    AuditVerificationException(String where, String why) {
        super(where + ": " + why);
        this.where = where;
    }

    /** {@code entry 17} or {@code checkpoint 3 (size 120)}. */
    public String where() {
        return where;
    }
}
