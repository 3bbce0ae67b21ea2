package nl.betrokken.node.account;

/** A portal form was posted without the CSRF token of its session (or cookie): the portal answers 403 (web/). */
public final class CsrfRefused extends RuntimeException {

    public CsrfRefused() {
        super("CSRF token missing or wrong", null, false, false);
    }
}
