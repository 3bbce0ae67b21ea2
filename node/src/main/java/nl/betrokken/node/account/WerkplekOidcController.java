package nl.betrokken.node.account;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.io.Writable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.WerkplekMenu;

/**
 * The browser's side of the staff's sign-in at the region's identity provider ({@link StaffOidc}), open to anyone
 * (nobody is signed in yet):
 * <ul>
 *   <li>{@code GET /werkplek/inloggen/oidc?terug=…} starts one: {@code terug}, when it is a safe local path under
 *       {@code /werkplek/}, is kept with the pending sign-in; its id goes into the cookie {@value #COOKIE} (HttpOnly,
 *       SameSite=Lax, path {@value #PATH}, ten minutes) and the browser is sent to the provider (303);</li>
 *   <li>{@code GET /werkplek/inloggen/terug} is where the provider sends it back: the cookie is cleared, the sign-in
 *       completed, and a werkplek session started ({@link WerkplekSessions#start}), which sends the browser to
 *       {@code terug} or the start of the account's role.</li>
 * </ul>
 * A refusal is the werkplek's page {@code werkplek/inloggen-fout} with its status (400, 401, 403, 503) and a stable
 * code, never a 500.
 */
@Controller(WerkplekOidcController.PATH)
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
public class WerkplekOidcController {

    static final String PATH = "/werkplek/inloggen";
    /** The cookie that ties the provider's answer to the browser that started the sign-in. */
    static final String COOKIE = "betrokken_werkplek_inloggen";
    static final String FOUT = "werkplek/inloggen-fout";

    private final StaffOidc oidc;
    private final WerkplekSessions sessions;
    private final Pages pages;
    private final boolean secure;

    WerkplekOidcController(StaffOidc oidc, WerkplekSessions sessions, Pages pages, WerkplekConfiguration config) {
        this.oidc = oidc;
        this.sessions = sessions;
        this.pages = pages;
        this.secure = config.secureCookie();
    }

    /** The refusal page: the key of its sentence and the stable code. */
    public record InloggenFoutPagina(String tekst, String code) {
    }

    @Get("/oidc")
    MutableHttpResponse<?> start(@Nullable @QueryValue String terug) {
        OidcCodeFlow.Started started = oidc.begin(WerkplekSessions.terug(terug));
        return HttpResponse.seeOther(started.authorization())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .cookie(cookie(started.id(), OidcCodeFlow.PENDING_LIFETIME));
    }

    @Get("/terug")
    MutableHttpResponse<?> callback(HttpRequest<?> request) {
        String pendingId = request.getCookies().findCookie(COOKIE).map(Cookie::getValue).orElse(null);
        Map<String, List<String>> parameters = request.getParameters().asMap();
        StaffOidc.SignedIn signedIn = oidc.complete(pendingId, parameters);
        Account account = signedIn.account();
        String terug = WerkplekSessions.terug(signedIn.terug());
        return sessions.start(request, account, "oidc", terug != null ? terug : WerkplekMenu.start(account.role()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .cookie(cookie("", Duration.ZERO));
    }

    /** A refused sign-in: the werkplek's page with its status, sentence and code; the pending cookie cleared. */
    @Error(exception = WerkplekInloggenGeweigerd.class)
    MutableHttpResponse<Writable> refused(HttpRequest<?> request, WerkplekInloggenGeweigerd refused) {
        WerkplekInloggenGeweigerd.Reden reden = refused.reden();
        return pages.werkplekRendered(reden.status(), request, null, FOUT,
                        new InloggenFoutPagina(reden.tekst(), reden.code()))
                .cookie(cookie("", Duration.ZERO));
    }

    private Cookie cookie(String value, Duration maxAge) {
        return SessionTokens.cookie(COOKIE, PATH, value, secure, maxAge);
    }
}
