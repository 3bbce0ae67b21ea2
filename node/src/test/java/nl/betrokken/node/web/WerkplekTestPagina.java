package nl.betrokken.node.web;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import nl.betrokken.node.account.Medewerker;
import nl.betrokken.node.account.Role;
import nl.betrokken.node.account.WerkplekSessions;

/**
 * The werkplek sign-in test's stand-in for an area's pages (only where {@code betrokken.test.werkplek-pagina=true}):
 * a gemeente page ({@code GET /werkplek/test/gemeente}, text), a gemeente form that counts its posts
 * ({@code POST /werkplek/test/teller}), and a page that is not found ({@code GET /werkplek/test/weg}).
 */
@Controller("/werkplek/test")
@Requires(property = "betrokken.test.werkplek-pagina", value = "true")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class WerkplekTestPagina {

    static final AtomicInteger POSTS = new AtomicInteger();

    private final WerkplekSessions sessions;

    WerkplekTestPagina(WerkplekSessions sessions) {
        this.sessions = sessions;
    }

    @Serdeable
    @Introspected
    record Formulier(@Nullable String csrf) {
    }

    @Get(value = "/gemeente", produces = MediaType.TEXT_PLAIN)
    String gemeente(HttpRequest<?> request) {
        Medewerker m = sessions.require(request, Role.GEMEENTE);
        return "gemeente-pagina voor " + m.username() + " csrf=" + m.csrf();
    }

    @Post(value = "/teller", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> teller(HttpRequest<?> request, @Body Formulier form) {
        sessions.requirePost(request, form.csrf(), Role.GEMEENTE);
        POSTS.incrementAndGet();
        return HttpResponse.seeOther(URI.create("/werkplek/test/gemeente"));
    }

    @Get("/weg")
    String weg(HttpRequest<?> request) {
        sessions.require(request);
        throw WerkplekFouten.nietGevonden();
    }
}
