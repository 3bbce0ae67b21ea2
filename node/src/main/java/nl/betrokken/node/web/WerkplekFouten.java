package nl.betrokken.node.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.io.Writable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import nl.betrokken.node.account.Medewerker;
import nl.betrokken.node.account.WerkplekGeweigerd;
import nl.betrokken.node.account.WerkplekNietIngelogd;
import nl.betrokken.node.account.WerkplekSessions;

/**
 * The werkplek's answers to its own refusals, as pages in the werkplek's layout:
 * <ul>
 *   <li>{@link WerkplekNietIngelogd}: a 303 to {@code /werkplek/inloggen}, with {@code terug} = the path and query of
 *       a GET (a POST's form is not replayed);</li>
 *   <li>{@link WerkplekGeweigerd}: the 403 page ({@value #GEWEIGERD}): not for this role, or a form without this
 *       session's CSRF token (nothing changed);</li>
 *   <li>{@link Fout}: the 404 page ({@value #NIET_GEVONDEN}) with the title and text the page names, or the 503
 *       page. Page controllers throw {@link #nietGevonden(String, String)} (or render {@value #NIET_GEVONDEN} with a
 *       {@link FoutPagina} themselves through {@link Pages#werkplekStatus}).</li>
 * </ul>
 */
public final class WerkplekFouten {

    /** The 404 page, which every werkplek area reuses with its own title and text. */
    public static final String NIET_GEVONDEN = "werkplek/niet-gevonden";
    /** The 403 and 503 page. */
    public static final String GEWEIGERD = "werkplek/fout";

    private WerkplekFouten() {
    }

    /** What an error page shows: its title and text keys. */
    public record FoutPagina(String titel, String tekst) {
    }

    /** A werkplek page that cannot be shown: 404 or 503, with the keys of the page's title and text. */
    public static final class Fout extends RuntimeException {
        private final HttpStatus status;
        private final FoutPagina pagina;

        private Fout(HttpStatus status, FoutPagina pagina) {
            super("werkplek page answered " + status.getCode(), null, false, false);
            this.status = status;
            this.pagina = pagina;
        }

        public HttpStatus status() {
            return status;
        }

        public FoutPagina pagina() {
            return pagina;
        }
    }

    /** 404 with the general "not found" text. */
    public static Fout nietGevonden() {
        return nietGevonden(Tekst.key("werkplek.fout.niet-gevonden.titel"),
                Tekst.key("werkplek.fout.niet-gevonden.tekst"));
    }

    /** 404 with the title and text keys of the thing not found (the same page whether it does not exist or is not yours). */
    public static Fout nietGevonden(String titelKey, String tekstKey) {
        return new Fout(HttpStatus.NOT_FOUND, new FoutPagina(titelKey, tekstKey));
    }

    /** 503: another node, the coordinator or the identity provider does not answer now. */
    public static Fout onbereikbaar() {
        return new Fout(HttpStatus.SERVICE_UNAVAILABLE, new FoutPagina(Tekst.key("werkplek.fout.onbereikbaar.titel"),
                Tekst.key("werkplek.fout.onbereikbaar.tekst")));
    }

    /** Where a request without a session is sent: the sign-in page, coming back to a GET's path and query. */
    static URI inloggen(HttpRequest<?> request) {
        if (request.getMethod() == HttpMethod.GET) {
            String query = request.getUri().getRawQuery();
            String terug = WerkplekSessions.terug(request.getPath() + (query == null ? "" : "?" + query));
            if (terug != null) {
                return URI.create(WerkplekSessions.INLOGGEN + "?terug=" + URLEncoder.encode(terug, StandardCharsets.UTF_8));
            }
        }
        return URI.create(WerkplekSessions.INLOGGEN);
    }

    @Produces(MediaType.TEXT_HTML)
    @Singleton
    @Requires(classes = {WerkplekNietIngelogd.class, ExceptionHandler.class})
    static final class NaarInloggen implements ExceptionHandler<WerkplekNietIngelogd, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, WerkplekNietIngelogd exception) {
            return HttpResponse.seeOther(inloggen(request));
        }
    }

    @Produces(MediaType.TEXT_HTML)
    @Singleton
    @Requires(classes = {WerkplekGeweigerd.class, ExceptionHandler.class})
    static final class Geweigerd implements ExceptionHandler<WerkplekGeweigerd, HttpResponse<Writable>> {
        private final Pages pages;
        private final WerkplekSessions sessions;

        Geweigerd(Pages pages, WerkplekSessions sessions) {
            this.pages = pages;
            this.sessions = sessions;
        }

        @Override
        public HttpResponse<Writable> handle(HttpRequest request, WerkplekGeweigerd exception) {
            FoutPagina pagina = exception.reden() == WerkplekGeweigerd.Reden.ROL
                    ? new FoutPagina(Tekst.key("werkplek.fout.rol.titel"), Tekst.key("werkplek.fout.rol.tekst"))
                    : new FoutPagina(Tekst.key("werkplek.fout.formulier.titel"),
                            Tekst.key("werkplek.fout.formulier.tekst"));
            Medewerker m = sessions.current(request).orElse(null);
            return pages.werkplekRendered(HttpStatus.FORBIDDEN, request, m, GEWEIGERD, pagina);
        }
    }

    @Produces(MediaType.TEXT_HTML)
    @Singleton
    @Requires(classes = {Fout.class, ExceptionHandler.class})
    static final class Pagina implements ExceptionHandler<Fout, HttpResponse<Writable>> {
        private final Pages pages;
        private final WerkplekSessions sessions;

        Pagina(Pages pages, WerkplekSessions sessions) {
            this.pages = pages;
            this.sessions = sessions;
        }

        @Override
        public HttpResponse<Writable> handle(HttpRequest request, Fout exception) {
            Medewerker m = sessions.current(request).orElse(null);
            return pages.werkplekRendered(exception.status(), request, m,
                    exception.status() == HttpStatus.NOT_FOUND ? NIET_GEVONDEN : GEWEIGERD, exception.pagina());
        }
    }
}
