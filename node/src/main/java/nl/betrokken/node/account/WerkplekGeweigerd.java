package nl.betrokken.node.account;

/**
 * A werkplek request refused with the werkplek's 403 page (web/WerkplekFouten): the staff member's role may not use
 * the page ({@link Reden#ROL}), or a form came without this session's CSRF token ({@link Reden#FORMULIER}; nothing
 * was changed).
 */
public final class WerkplekGeweigerd extends RuntimeException {

    /** Why the request was refused. */
    public enum Reden {
        /** The page is not for this role. */
        ROL,
        /** The form's CSRF token is missing or not this session's. */
        FORMULIER
    }

    private final Reden reden;

    public WerkplekGeweigerd(Reden reden) {
        super("werkplek request refused: " + reden, null, false, false);
        this.reden = reden;
    }

    public Reden reden() {
        return reden;
    }
}
