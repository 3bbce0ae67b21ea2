package nl.betrokken.node.account;

import java.net.URI;

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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.node.web.Pages;

/**
 * The portal's sign-in page ({@code GET /portaal/inloggen}: the ways in this node offers), sign-out
 * ({@code POST /portaal/uitloggen}, with the session's CSRF token: the session ends at the node) and the page after it.
 */
@Controller("/portaal")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class SignInPageController {

    static final String INLOGGEN = "portaal/inloggen";
    static final String UITGELOGD = "portaal/uitgelogd";
    /** The OpenID Connect sign-in (account/, when the citizen identity provider is configured). */
    static final String OIDC = "/portaal/inloggen/oidc";
    static final String DEV = "/dev/idp/inloggen";

    private final Pages pages;
    private final PortalSessions sessions;
    private final boolean oidc;
    private final boolean dev;

    SignInPageController(Pages pages, PortalSessions sessions, CitizenIdentityProviderConfiguration citizens,
                         @Nullable DevIdentityProvider dev) {
        this.pages = pages;
        this.sessions = sessions;
        this.oidc = citizens.oidcConfigured();
        this.dev = dev != null;
    }

    /** The ways to sign in at this node: the OIDC link, the dev page's link, either or both (or none). */
    public record InloggenPagina(@Nullable String oidc, @Nullable String dev) {
    }

    /** A form with only the CSRF token. */
    @Serdeable
    @Introspected
    record Formulier(@Nullable String csrf) {
    }

    @Get("/inloggen")
    ModelAndView<?> inloggen(HttpRequest<?> request) {
        return pages.view(request, sessions.current(request).orElse(null), INLOGGEN,
                new InloggenPagina(oidc ? OIDC : null, dev ? DEV : null));
    }

    @Post(value = "/uitloggen", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> uitloggen(HttpRequest<?> request, @Body Formulier form) {
        sessions.requirePost(request, form.csrf());
        return sessions.end(request, HttpResponse.seeOther(URI.create("/portaal/uitgelogd")));
    }

    @Get("/uitgelogd")
    ModelAndView<?> uitgelogd(HttpRequest<?> request) {
        return pages.view(request, null, UITGELOGD, new InloggenPagina(null, null));
    }
}
