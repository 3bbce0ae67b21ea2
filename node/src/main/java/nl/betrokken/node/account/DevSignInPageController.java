package nl.betrokken.node.account;

import java.util.List;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.crypto.bsn.InvalidBsnException;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Tekst;

/**
 * The dev identity provider's page ({@code /dev/idp/inloggen}): type a BSN, and the portal signs that person in
 * ({@link CitizenSessionStarter}). Gated exactly as {@link DevIdentityProvider}: the {@code dev} environment with
 * {@code betrokken.dev.enabled=true}. An invalid BSN answers 422 with the page, the message at the field and in the
 * error summary. The form is protected by a double-submit CSRF cookie, as there is no session yet.
 */
@Controller("/dev/idp")
@Requires(env = Environment.DEVELOPMENT)
@Requires(property = "betrokken.dev.enabled", value = "true")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class DevSignInPageController {

    static final String VIEW = "portaal/dev-inloggen";

    private final Pages pages;
    private final PortalSessions sessions;
    private final CitizenSessionStarter starter;

    DevSignInPageController(Pages pages, PortalSessions sessions, CitizenSessionStarter starter) {
        this.pages = pages;
        this.sessions = sessions;
        this.starter = starter;
    }

    /** The page: the CSRF token, the BSN field (its value kept after an error) and the errors. */
    public record DevInloggenPagina(String csrf, Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Invoerveld bsn) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "DevInloggenPagina[redacted]";
        }
    }

    @Serdeable
    @Introspected
    record Formulier(@Nullable String csrf, @Nullable String bsn) {
        @Override
        public String toString() {
            return "Formulier[redacted]";
        }
    }

    @Get("/inloggen")
    HttpResponse<?> page(HttpRequest<?> request) {
        String csrf = sessions.anonymousCsrf(request);
        return sessions.withAnonymousCsrf(HttpResponse.ok(pages.view(request, null, VIEW, page(csrf, null, null))),
                csrf);
    }

    @Post(value = "/inloggen", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> signIn(HttpRequest<?> request, @Body Formulier form) {
        sessions.checkAnonymous(request, form.csrf());
        String typed = form.bsn() == null ? "" : form.bsn().strip();
        String error;
        if (typed.isEmpty()) {
            error = Tekst.key("fout.bsn.leeg");
        } else {
            try {
                return starter.start(request, Bsn.parse(typed));
            } catch (InvalidBsnException e) {
                error = Tekst.key("fout.bsn.ongeldig");
            }
        }
        return pages.status(HttpStatus.UNPROCESSABLE_ENTITY, request, null, VIEW, page(form.csrf(), typed, error));
    }

    private DevInloggenPagina page(String csrf, @Nullable String value, @Nullable String errorKey) {
        Tekst t = pages.tekst();
        String error = errorKey == null ? null : t.get(errorKey);
        return new DevInloggenPagina(csrf,
                new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"),
                        error == null ? List.of() : List.of(new Onderdelen.Fout("#bsn", error))),
                new Onderdelen.Invoerveld("bsn", "bsn", t.get("dev-inloggen.bsn.label"),
                        t.get("dev-inloggen.bsn.beschrijving"), value, error, "off", "numeric"));
    }
}
