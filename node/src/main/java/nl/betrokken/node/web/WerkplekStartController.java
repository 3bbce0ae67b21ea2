package nl.betrokken.node.web;

import java.net.URI;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.node.account.Medewerker;
import nl.betrokken.node.account.WerkplekSessions;

/**
 * {@code GET /werkplek/}: sends each role to its start ({@link WerkplekMenu#start}); the auditor, who has no menu
 * item, gets a page that says where its work is (the audit API). Without a session: to the sign-in page.
 */
@Controller("/werkplek")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekStartController {

    static final String START = "werkplek/start";

    private final Pages pages;
    private final WerkplekSessions sessions;

    WerkplekStartController(Pages pages, WerkplekSessions sessions) {
        this.pages = pages;
        this.sessions = sessions;
    }

    /** The auditor's start page: nothing but its name. */
    public record StartPagina(String naam) {
    }

    @Get(uris = {"", "/"})
    HttpResponse<?> start(HttpRequest<?> request) {
        Medewerker m = sessions.require(request);
        String start = WerkplekMenu.start(m.role());
        if (!start.equals(WerkplekSessions.START)) {
            return HttpResponse.seeOther(URI.create(start));
        }
        return HttpResponse.ok(pages.werkplek(request, m, START, new StartPagina(m.displayName())));
    }
}
