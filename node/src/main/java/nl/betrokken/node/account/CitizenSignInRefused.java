package nl.betrokken.node.account;

import io.micronaut.http.HttpStatus;

/**
 * A parent's or youth's sign-in that did not prove who they are, or could not be tried now: a {@link Reason} with its
 * HTTP status and a sentence in plain Dutch for the page. Carries no personal data and no provider text; the
 * provider's own reason, when there is one, goes to the debug log only.
 */
public final class CitizenSignInRefused extends RuntimeException {

    /** Why; {@link #code()} is stable, shown on the page and matched by tests. */
    public enum Reason {
        NOT_CONFIGURED(HttpStatus.SERVICE_UNAVAILABLE, "not-configured",
                "Inloggen met DigiD is op deze website nog niet ingesteld."),
        PROVIDER_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "provider-unavailable",
                "Inloggen met DigiD lukt nu niet: de inlogdienst antwoordt niet. Probeer het later opnieuw."),
        BUSY(HttpStatus.SERVICE_UNAVAILABLE, "busy",
                "Het is nu te druk om in te loggen. Probeer het over een paar minuten opnieuw."),
        NO_SESSION_STARTER(HttpStatus.SERVICE_UNAVAILABLE, "portal-unavailable",
                "U bent ingelogd, maar het portaal is op deze website niet beschikbaar."),
        NO_PENDING(HttpStatus.BAD_REQUEST, "no-pending",
                "Deze inlogpoging is verlopen of al gebruikt. Begin opnieuw met inloggen."),
        STATE_MISMATCH(HttpStatus.BAD_REQUEST, "state-mismatch",
                "Dit antwoord van de inlogdienst hoort niet bij uw inlogpoging. Begin opnieuw met inloggen."),
        ISSUER_MISMATCH(HttpStatus.BAD_REQUEST, "issuer-mismatch",
                "Dit antwoord komt niet van de inlogdienst van deze website. Begin opnieuw met inloggen."),
        BAD_RESPONSE(HttpStatus.BAD_REQUEST, "bad-response",
                "Het antwoord van de inlogdienst is niet compleet. Begin opnieuw met inloggen."),
        DENIED(HttpStatus.UNAUTHORIZED, "denied",
                "Inloggen is afgebroken of niet gelukt. U bent niet ingelogd."),
        TOKEN_REFUSED(HttpStatus.UNAUTHORIZED, "token-refused",
                "De inlogdienst heeft uw inloggen niet bevestigd. Begin opnieuw met inloggen."),
        ID_TOKEN(HttpStatus.UNAUTHORIZED, "id-token",
                "De bevestiging van de inlogdienst klopt niet. U bent niet ingelogd."),
        NO_BSN(HttpStatus.UNAUTHORIZED, "no-bsn",
                "De inlogdienst gaf geen geldig burgerservicenummer door. U bent niet ingelogd.");

        private final HttpStatus status;
        private final String code;
        private final String message;

        Reason(HttpStatus status, String code, String message) {
            this.status = status;
            this.code = code;
            this.message = message;
        }

        public HttpStatus status() {
            return status;
        }

        public String code() {
            return code;
        }

        /** The sentence for the person, in plain Dutch. */
        public String message() {
            return message;
        }
    }

    private final Reason reason;

    CitizenSignInRefused(Reason reason) {
        super(reason.code(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
