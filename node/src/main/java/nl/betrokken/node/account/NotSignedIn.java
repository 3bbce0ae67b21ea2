package nl.betrokken.node.account;

/** A portal page was asked for without a live session: the portal answers with the sign-in page (web/). */
public final class NotSignedIn extends RuntimeException {

    public NotSignedIn() {
        super("no portal session", null, false, false);
    }
}
