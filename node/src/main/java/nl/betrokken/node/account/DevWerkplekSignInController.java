package nl.betrokken.node.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.UsernamePasswordCredentials;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.node.web.WerkplekMenu;

/**
 * The werkplek's dev sign-in ({@code /dev/werkplek/inloggen}): username and password of an account that has one (the
 * dev users, password {@code demo}), checked by {@link PasswordAuthentication}. Gated as the citizens' dev sign-in: the
 * {@code dev} environment with {@code betrokken.dev.enabled=true}. A missing field or a wrong password answers 422
 * with the page, the message at the field and in the error summary (which never says which of the two was wrong).
 * The form is protected by the double-submit CSRF cookie of forms before sign-in ({@link PortalSessions}).
 */
@Controller("/dev/werkplek")
@Requires(env = Environment.DEVELOPMENT)
@Requires(property = "betrokken.dev.enabled", value = "true")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class DevWerkplekSignInController {

    static final String VIEW = "werkplek/inloggen-dev";

    private final Pages pages;
    private final PortalSessions anonymous;
    private final WerkplekSessions sessions;
    private final PasswordAuthentication<?> passwords;
    private final Accounts accounts;

    DevWerkplekSignInController(Pages pages, PortalSessions anonymous, WerkplekSessions sessions,
                                PasswordAuthentication<?> passwords, Accounts accounts) {
        this.pages = pages;
        this.anonymous = anonymous;
        this.sessions = sessions;
        this.passwords = passwords;
        this.accounts = accounts;
    }

    /** The page: the CSRF token, where to go back to, the two fields (the username kept after an error), the errors. */
    public record DevInloggenPagina(String csrf, @Nullable String terug, Onderdelen.Foutsamenvatting samenvatting,
                                    Onderdelen.Invoerveld gebruikersnaam, @Nullable String wachtwoordFout) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }
    }

    @Serdeable
    @Introspected
    record Formulier(@Nullable String csrf, @Nullable String terug, @Nullable String gebruikersnaam,
                     @Nullable String wachtwoord) {
        @Override
        public String toString() {
            return "Formulier[redacted]";
        }
    }

    @Get("/inloggen")
    HttpResponse<?> page(HttpRequest<?> request, @Nullable @QueryValue String terug) {
        String csrf = anonymous.anonymousCsrf(request);
        return anonymous.withAnonymousCsrf(HttpResponse.ok(pages.werkplek(request, null, VIEW,
                page(csrf, WerkplekSessions.terug(terug), null, null, null))), csrf);
    }

    @Post(value = "/inloggen", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> signIn(HttpRequest<?> request, @Body Formulier form) {
        try {
            anonymous.checkAnonymous(request, form.csrf());
        } catch (CsrfRefused e) {
            throw new WerkplekGeweigerd(WerkplekGeweigerd.Reden.FORMULIER); // the werkplek's 403 page, not the portal's
        }
        String terug = WerkplekSessions.terug(form.terug());
        String username = form.gebruikersnaam() == null ? "" : form.gebruikersnaam().strip();
        String password = form.wachtwoord() == null ? "" : form.wachtwoord();
        String usernameError = username.isEmpty() ? Tekst.key("werkplek.dev-inloggen.fout.gebruikersnaam") : null;
        String passwordError = password.isEmpty() ? Tekst.key("werkplek.dev-inloggen.fout.wachtwoord") : null;
        if (usernameError == null && passwordError == null) {
            AuthenticationResponse answer = passwords.authenticate(null,
                    new UsernamePasswordCredentials(username, password));
            Optional<Account> account = answer.isAuthenticated() ? accounts.find(username) : Optional.empty();
            if (account.isPresent() && account.get().active() && WerkplekSessions.STAFF.contains(account.get().role())) {
                Account a = account.get();
                return sessions.start(request, a, "dev", terug != null ? terug : WerkplekMenu.start(a.role()));
            }
            passwordError = Tekst.key("werkplek.dev-inloggen.fout.onjuist");
        }
        return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, null, VIEW,
                page(form.csrf(), terug, username, usernameError, passwordError));
    }

    private DevInloggenPagina page(String csrf, @Nullable String terug, @Nullable String username,
                                   @Nullable String usernameErrorKey, @Nullable String passwordErrorKey) {
        Tekst t = pages.tekst();
        String usernameError = usernameErrorKey == null ? null : t.get(usernameErrorKey);
        String passwordError = passwordErrorKey == null ? null : t.get(passwordErrorKey);
        List<Onderdelen.Fout> errors = new ArrayList<>();
        if (usernameError != null) {
            errors.add(new Onderdelen.Fout("#gebruikersnaam", usernameError));
        }
        if (passwordError != null) {
            errors.add(new Onderdelen.Fout("#wachtwoord", passwordError));
        }
        return new DevInloggenPagina(csrf, terug, new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"), errors),
                new Onderdelen.Invoerveld("gebruikersnaam", "gebruikersnaam",
                        t.get("werkplek.dev-inloggen.gebruikersnaam.label"),
                        t.get("werkplek.dev-inloggen.gebruikersnaam.beschrijving"), username, usernameError,
                        "username", "text"),
                passwordError);
    }
}
