package nl.betrokken.node.web;

import java.net.URI;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.core.io.Writable;
import jakarta.inject.Singleton;
import nl.betrokken.node.account.CsrfRefused;
import nl.betrokken.node.account.NotSignedIn;

/**
 * The portal's answers to its own refusals, as pages: no session sends the person to sign in (303); a form without
 * its CSRF token is a 403 page; {@link PaginaFout} is a 404 or 503 page.
 */
public final class PortaalFouten {

    /** The error page ({@code portaal/fout.jte}). */
    static final String FOUT = "portaal/fout";

    private PortaalFouten() {
    }

    /** What the error page shows: its title and text keys. */
    public record FoutPagina(String titel, String tekst) {
    }

    @Produces(MediaType.TEXT_HTML)
    @Singleton
    @Requires(classes = {NotSignedIn.class, ExceptionHandler.class})
    static final class NaarInloggen implements ExceptionHandler<NotSignedIn, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, NotSignedIn exception) {
            return HttpResponse.seeOther(URI.create(StartController.INLOGGEN));
        }
    }

    @Produces(MediaType.TEXT_HTML)
    @Singleton
    @Requires(classes = {CsrfRefused.class, ExceptionHandler.class})
    static final class Geweigerd implements ExceptionHandler<CsrfRefused, HttpResponse<Writable>> {
        private final Pages pages;

        Geweigerd(Pages pages) {
            this.pages = pages;
        }

        @Override
        public HttpResponse<Writable> handle(HttpRequest request, CsrfRefused exception) {
            return pages.rendered(HttpStatus.FORBIDDEN, request, null, FOUT,
                    new FoutPagina(Tekst.key("fout.geweigerd.titel"), Tekst.key("fout.geweigerd.tekst")));
        }
    }

    @Produces(MediaType.TEXT_HTML)
    @Singleton
    @Requires(classes = {PaginaFout.class, ExceptionHandler.class})
    static final class Pagina implements ExceptionHandler<PaginaFout, HttpResponse<Writable>> {
        private final Pages pages;

        Pagina(Pages pages) {
            this.pages = pages;
        }

        @Override
        public HttpResponse<Writable> handle(HttpRequest request, PaginaFout exception) {
            return pages.rendered(HttpStatus.valueOf(exception.status()), request, null, FOUT,
                    new FoutPagina(exception.titel(), exception.tekst()));
        }
    }
}
