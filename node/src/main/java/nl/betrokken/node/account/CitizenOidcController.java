package nl.betrokken.node.account;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.crypto.bsn.Bsn;

/**
 * The browser's side of the parents' and youths' sign-in ({@link CitizenOidc}), open to anyone (nobody is signed in
 * yet):
 * <ul>
 *   <li>{@code GET /portaal/inloggen/oidc} starts one: the pending sign-in's id goes into the cookie
 *       {@value #COOKIE} (HttpOnly, Secure, SameSite=Lax, path {@value #PATH}, ten minutes) and the browser is sent
 *       to the provider (303);</li>
 *   <li>{@code GET /portaal/inloggen/terug} is where the provider sends it back: the cookie is cleared, the sign-in
 *       completed, and the portal's {@link CitizenSessionStarter} answers with the person's session.</li>
 * </ul>
 * A refusal is a short page in plain Dutch with its status (400, 401, 503) and a stable code, never a 500.
 * Page routes, not API: hidden from the OpenAPI document.
 */
@Controller(CitizenOidcController.PATH)
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
class CitizenOidcController {

    static final String PATH = "/portaal/inloggen";
    /** The cookie that ties the provider's answer to the browser that started the sign-in. */
    static final String COOKIE = "betrokken_inloggen";

    private final CitizenOidc oidc;
    private final BeanProvider<CitizenSessionStarter> sessions;

    CitizenOidcController(CitizenOidc oidc, BeanProvider<CitizenSessionStarter> sessions) {
        this.oidc = oidc;
        this.sessions = sessions;
    }

    @Get("/oidc")
    MutableHttpResponse<?> start() {
        OidcCodeFlow.Started started = oidc.begin();
        return HttpResponse.seeOther(started.authorization())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .cookie(cookie(started.id(), CitizenOidc.PENDING_LIFETIME));
    }

    @Get("/terug")
    MutableHttpResponse<?> callback(HttpRequest<?> request) {
        String pendingId = request.getCookies().findCookie(COOKIE).map(Cookie::getValue).orElse(null);
        Map<String, List<String>> parameters = request.getParameters().asMap();
        Bsn person = oidc.complete(pendingId, parameters);
        if (!sessions.isPresent()) {
            throw new CitizenSignInRefused(CitizenSignInRefused.Reason.NO_SESSION_STARTER);
        }
        return sessions.get().start(request, person)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .cookie(cookie("", Duration.ZERO));
    }

    /** A refused sign-in: its status, the sentence for the person and the code; the pending cookie cleared. */
    @Error(exception = CitizenSignInRefused.class)
    MutableHttpResponse<String> refused(CitizenSignInRefused refused) {
        CitizenSignInRefused.Reason reason = refused.reason();
        return HttpResponse.<String>status(reason.status())
                .contentType(new MediaType("text/plain;charset=utf-8"))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .cookie(cookie("", Duration.ZERO))
                .body(reason.message() + "\n\n(code: " + reason.code() + ")\n");
    }

    private static Cookie cookie(String value, Duration maxAge) {
        return SessionTokens.cookie(COOKIE, PATH, value, true, maxAge);
    }
}
