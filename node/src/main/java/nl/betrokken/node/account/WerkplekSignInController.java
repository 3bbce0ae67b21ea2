package nl.betrokken.node.account;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
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
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.node.web.Pages;

/**
 * The werkplek's sign-in page ({@code GET /werkplek/inloggen}: the ways in this node offers, each carrying
 * {@code terug} when it is a safe local path), sign-out ({@code POST /werkplek/uitloggen}, with the session's CSRF
 * token: the session ends at the node) and the page after it ({@code /werkplek/uitgelogd}).
 */
@Controller("/werkplek")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekSignInController {

    static final String INLOGGEN = "werkplek/inloggen";
    static final String UITGELOGD = "werkplek/inloggen-uitgelogd";
    static final String OIDC = "/werkplek/inloggen/oidc";
    static final String DEV = "/dev/werkplek/inloggen";

    private final Pages pages;
    private final WerkplekSessions sessions;
    private final boolean oidc;
    private final boolean dev;

    WerkplekSignInController(Pages pages, WerkplekSessions sessions, IdentityProviderConfiguration staff,
                             @Nullable DevWerkplekSignInController dev) {
        this.pages = pages;
        this.sessions = sessions;
        this.oidc = staff.oidcConfigured();
        this.dev = dev != null;
    }

    /** The ways to sign in at this node (null: not offered), each with {@code terug}; and who is signed in. */
    public record InloggenPagina(@Nullable String oidc, @Nullable String dev, @Nullable String ingelogdAls) {
    }

    /** A form with only the CSRF token. */
    @Serdeable
    @Introspected
    record Formulier(@Nullable String csrf) {
    }

    @Get("/inloggen")
    ModelAndView<?> inloggen(HttpRequest<?> request, @Nullable @QueryValue String terug) {
        Medewerker m = sessions.current(request).orElse(null);
        String back = WerkplekSessions.terug(terug);
        String query = back == null ? "" : "?terug=" + URLEncoder.encode(back, StandardCharsets.UTF_8);
        return pages.werkplek(request, m, INLOGGEN, new InloggenPagina(
                oidc ? OIDC + query : null, dev ? DEV + query : null, m == null ? null : m.displayName()));
    }

    @Post(value = "/uitloggen", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> uitloggen(HttpRequest<?> request, @Body Formulier form) {
        if (sessions.current(request).isPresent()) {
            sessions.requirePost(request, form.csrf()); // a session's sign-out needs its token
        }
        return sessions.end(request, HttpResponse.seeOther(URI.create("/werkplek/uitgelogd")));
    }

    @Get("/uitgelogd")
    ModelAndView<?> uitgelogd(HttpRequest<?> request) {
        return pages.werkplek(request, null, UITGELOGD, new InloggenPagina(null, null, null));
    }
}
