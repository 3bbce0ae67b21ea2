package nl.betrokken.node.web;

import io.micronaut.core.annotation.Nullable;

/**
 * What the layout of every page needs besides the page itself: the text, this answer's CSP nonce (for the one script
 * file), and, for a signed-in person, the CSRF token of the sign-out form.
 */
public record Chrome(Tekst t, String nonce, @Nullable String csrf) {

    /** Whether the person is signed in (the header shows the sign-out button). */
    public boolean signedIn() {
        return csrf != null;
    }
}
