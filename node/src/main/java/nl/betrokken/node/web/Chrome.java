package nl.betrokken.node.web;

import java.util.List;

import io.micronaut.core.annotation.Nullable;

/**
 * What the layout of every page needs besides the page itself: the text, this answer's CSP nonce (for the one script
 * file), for a signed-in person the CSRF token of the sign-out form, and on the werkplek the staff member's name, role
 * and menu ({@link Werkplek}; null on the portal and for a staff member who is not signed in).
 */
public record Chrome(Tekst t, String nonce, @Nullable String csrf, @Nullable Werkplek werkplek) {

    /** The portal's chrome. */
    public Chrome(Tekst t, String nonce, @Nullable String csrf) {
        this(t, nonce, csrf, null);
    }

    /** Whether the person is signed in (the header shows the sign-out button). */
    public boolean signedIn() {
        return csrf != null;
    }

    /**
     * The signed-in staff member as the werkplek's header shows them: name, the role's text key, and the menu of the
     * role ({@link WerkplekMenu}).
     */
    public record Werkplek(String naam, String rol, List<MenuItem> menu) {
    }

    /** A menu item: its text key, where it goes, and whether it is the section of the page shown. */
    public record MenuItem(String tekst, String href, boolean huidig) {
    }
}
