package nl.betrokken.node.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.node.account.PortalSessions;

/** {@code GET /portaal/}: the start page: what the portal is, what a signal is, inzage and bezwaar; sign in. */
@Controller("/portaal")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class StartController {

    static final String START = "portaal/start";
    /** The sign-in page (account/). */
    public static final String INLOGGEN = "/portaal/inloggen";

    private final Pages pages;
    private final PortalSessions sessions;

    StartController(Pages pages, PortalSessions sessions) {
        this.pages = pages;
        this.sessions = sessions;
    }

    /** The start page; it links to sign-in, or to the overview for a person who is signed in. */
    public record StartPagina(String verder) {
    }

    @Get(uris = {"", "/"})
    ModelAndView<?> start(HttpRequest<?> request) {
        PortalSessions.Session session = sessions.current(request).orElse(null);
        return pages.view(request, session, START,
                new StartPagina(session == null ? INLOGGEN : PortalSessions.OVERVIEW));
    }
}
