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
import nl.betrokken.node.account.Medewerker;
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
        return render(status, request, view(request, session, view, page));
    }

    private MutableHttpResponse<Writable> render(HttpStatus status, HttpRequest<?> request,
                                                 ModelAndView<Map<String, Object>> page) {
        Writable html = renderer.render(page, request, MediaType.TEXT_HTML)
                .orElseThrow(() -> new IllegalStateException("no renderer for view " + page.getView().orElse("")));
        return HttpResponse.<Writable>status(status).contentType(MediaType.TEXT_HTML_TYPE).body(html);
    }

    /**
     * A werkplek page {@code view} with {@code page}, for the signed-in staff member {@code m}: the template gets
     * {@code c} (the {@link Chrome} with {@code m}'s name, role, menu and sign-out CSRF token) and {@code page}.
     * {@code m} is null only on the pages before sign-in.
     */
    public ModelAndView<Map<String, Object>> werkplek(HttpRequest<?> request, @Nullable Medewerker m, String view,
                                                      Object page) {
        return werkplekView(request, m, view, page);
    }

    /** The same with {@code status} (422 for a form with errors, 403, 404); {@code m} null before sign-in. */
    public MutableHttpResponse<ModelAndView<Map<String, Object>>> werkplekStatus(HttpStatus status,
            HttpRequest<?> request, @Nullable Medewerker m, String view, Object page) {
        return HttpResponse.<ModelAndView<Map<String, Object>>>status(status)
                .body(werkplekView(request, m, view, page));
    }

    /** A werkplek page rendered here, for exception handlers (see {@link #rendered}). */
    public MutableHttpResponse<Writable> werkplekRendered(HttpStatus status, HttpRequest<?> request,
                                                          @Nullable Medewerker m, String view, Object page) {
        return render(status, request, werkplekView(request, m, view, page));
    }

    /** The text, for page controllers that put translated text in a component's params. */
    public Tekst tekst() {
        return tekst;
    }

    private Chrome chrome(HttpRequest<?> request, @Nullable PortalSessions.Session session) {
        return new Chrome(tekst, nonce(request), session == null ? null : session.csrf());
    }

    private ModelAndView<Map<String, Object>> werkplekView(HttpRequest<?> request, @Nullable Medewerker m,
                                                           String view, Object page) {
        return new ModelAndView<>(view, Map.of("c", werkplekChrome(request, m), "page", page));
    }

    private Chrome werkplekChrome(HttpRequest<?> request, @Nullable Medewerker m) {
        return m == null ? new Chrome(tekst, nonce(request), null, null)
                : new Chrome(tekst, nonce(request), m.csrf(), new Chrome.Werkplek(m.displayName(),
                        WerkplekMenu.rol(m.role()), WerkplekMenu.menu(m.role(), request.getPath())));
    }

    private static String nonce(HttpRequest<?> request) {
        return request.getAttribute(CspFilter.NONCE_PROPERTY, String.class).orElse("");
    }
}
