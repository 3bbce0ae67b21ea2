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
import nl.betrokken.node.account.WerkplekGeweigerd;
import nl.betrokken.node.account.WerkplekSessions;

/**
 * {@code GET /werkplek/}: sends each role to its start ({@link WerkplekMenu#start}), its first menu item. Without a
 * session: to the sign-in page.
 */
@Controller("/werkplek")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekStartController {

    private final WerkplekSessions sessions;

    WerkplekStartController(WerkplekSessions sessions) {
        this.sessions = sessions;
    }

    @Get(uris = {"", "/"})
    HttpResponse<?> start(HttpRequest<?> request) {
        Medewerker m = sessions.require(request);
        String start = WerkplekMenu.start(m.role());
        if (start.equals(WerkplekSessions.START)) {
            throw new WerkplekGeweigerd(WerkplekGeweigerd.Reden.ROL); // a role without pages: every staff role has some
        }
        return HttpResponse.seeOther(URI.create(start));
    }
}
