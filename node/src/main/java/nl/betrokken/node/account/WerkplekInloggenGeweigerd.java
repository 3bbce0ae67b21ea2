package nl.betrokken.node.account;

import io.micronaut.http.HttpStatus;
import nl.betrokken.node.web.Tekst;

/**
 * A staff member's sign-in at the region's identity provider ({@link StaffOidc}) that did not prove an active account
 * of this node, or could not be tried now: a {@link Reden} with its HTTP status, the key of its sentence in plain
 * Dutch and a stable code, shown on the werkplek's page {@code werkplek/inloggen-fout}. Carries no provider text.
 */
public final class WerkplekInloggenGeweigerd extends RuntimeException {

    /** Why; {@link #code()} is stable, shown on the page and matched by tests. */
    public enum Reden {
        NOT_CONFIGURED(HttpStatus.SERVICE_UNAVAILABLE, Tekst.key("werkplek.inloggen-fout.niet-ingesteld")),
        PROVIDER_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, Tekst.key("werkplek.inloggen-fout.onbereikbaar")),
        BUSY(HttpStatus.SERVICE_UNAVAILABLE, Tekst.key("werkplek.inloggen-fout.druk")),
        NO_PENDING(HttpStatus.BAD_REQUEST, Tekst.key("werkplek.inloggen-fout.verlopen")),
        STATE_MISMATCH(HttpStatus.BAD_REQUEST, Tekst.key("werkplek.inloggen-fout.niet-van-u")),
        ISSUER_MISMATCH(HttpStatus.BAD_REQUEST, Tekst.key("werkplek.inloggen-fout.andere-dienst")),
        BAD_RESPONSE(HttpStatus.BAD_REQUEST, Tekst.key("werkplek.inloggen-fout.onvolledig")),
        DENIED(HttpStatus.UNAUTHORIZED, Tekst.key("werkplek.inloggen-fout.afgebroken")),
        TOKEN_REFUSED(HttpStatus.UNAUTHORIZED, Tekst.key("werkplek.inloggen-fout.niet-bevestigd")),
        ID_TOKEN(HttpStatus.UNAUTHORIZED, Tekst.key("werkplek.inloggen-fout.klopt-niet")),
        /** The ID token does not carry the configured username claim. */
        NO_USERNAME(HttpStatus.UNAUTHORIZED, Tekst.key("werkplek.inloggen-fout.geen-naam")),
        /** The username names no active account of this node (or not a staff account). */
        NO_ACCOUNT(HttpStatus.FORBIDDEN, Tekst.key("werkplek.inloggen-fout.geen-account"));

        private final HttpStatus status;
        private final String tekst;

        Reden(HttpStatus status, String tekst) {
            this.status = status;
            this.tekst = tekst;
        }

        public HttpStatus status() {
            return status;
        }

        /** The stable code: {@code no-account}, … */
        public String code() {
            return name().toLowerCase().replace('_', '-');
        }

        /** The key of the sentence for the staff member. */
        public String tekst() {
            return tekst;
        }
    }

    private final Reden reden;

    WerkplekInloggenGeweigerd(Reden reden) {
        super(reden.code(), null, false, false);
        this.reden = reden;
    }

    public Reden reden() {
        return reden;
    }
}
