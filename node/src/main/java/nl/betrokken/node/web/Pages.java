package nl.betrokken.node.web;

import java.util.Map;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.core.io.Writable;
import io.micronaut.http.MediaType;
import io.micronaut.views.ModelAndView;
import io.micronaut.views.ModelAndViewRenderer;
import io.micronaut.views.csp.CspFilter;
import jakarta.inject.Singleton;
import nl.betrokken.node.account.PortalSessions;

/**
 * Renders a page record with its template: the template gets {@code c} (the {@link Chrome}) and {@code page} (the
 * record). Every page template begins with those two {@code @param}s.
 */
@Singleton
public class Pages {

    private final Tekst tekst;
    private final ModelAndViewRenderer<Map<String, Object>, HttpRequest<?>> renderer;

    Pages(Tekst tekst, ModelAndViewRenderer<Map<String, Object>, HttpRequest<?>> renderer) {
        this.tekst = tekst;
        this.renderer = renderer;
    }

    /** The page {@code view} with {@code page}, for a signed-in person ({@code session}) or none (null). */
    public ModelAndView<Map<String, Object>> view(HttpRequest<?> request, @Nullable PortalSessions.Session session,
                                                   String view, Object page) {
        return new ModelAndView<>(view, Map.of("c", chrome(request, session), "page", page));
    }

    /** The same, answered with {@code status} (422 for a form with errors, 403, 404, 503). */
    public MutableHttpResponse<ModelAndView<Map<String, Object>>> status(HttpStatus status, HttpRequest<?> request,
            @Nullable PortalSessions.Session session, String view, Object page) {
        return HttpResponse.<ModelAndView<Map<String, Object>>>status(status).body(view(request, session, view, page));
    }

    /**
     * The page rendered here, not by the views filter: for exception handlers, whose answers that filter does not
     * render.
     */
    public MutableHttpResponse<Writable> rendered(HttpStatus status, HttpRequest<?> request,
                                                  @Nullable PortalSessions.Session session, String view, Object page) {
        Writable html = renderer.render(view(request, session, view, page), request, MediaType.TEXT_HTML)
                .orElseThrow(() -> new IllegalStateException("no renderer for view " + view));
        return HttpResponse.<Writable>status(status).contentType(MediaType.TEXT_HTML_TYPE).body(html);
    }

    /** The text, for page controllers that put translated text in a component's params. */
    public Tekst tekst() {
        return tekst;
    }

    private Chrome chrome(HttpRequest<?> request, @Nullable PortalSessions.Session session) {
        String nonce = request.getAttribute(CspFilter.NONCE_PROPERTY, String.class).orElse("");
        return new Chrome(tekst, nonce, session == null ? null : session.csrf());
    }
}
