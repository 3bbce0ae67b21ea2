package nl.betrokken.node.account;

/**
 * A werkplek page was asked for without a live staff session (or the account is no longer active): the werkplek
 * answers with a 303 to its sign-in page, which comes back to the page asked for (web/WerkplekFouten).
 */
public final class WerkplekNietIngelogd extends RuntimeException {

    public WerkplekNietIngelogd() {
        super("no werkplek session", null, false, false);
    }
}
