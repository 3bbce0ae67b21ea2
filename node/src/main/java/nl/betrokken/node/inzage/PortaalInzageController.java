package nl.betrokken.node.inzage;

import java.util.ArrayList;
import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.node.account.PortalSessions;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.PaginaFout;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.problem.ProblemException;

/**
 * The portal's inzage pages, through the same {@link CitizenInzage} as {@code GET /api/v1/citizen/signals}: the
 * overview of every signal ({@code /portaal/overzicht}) with the regions that did not answer, and one signal's facts
 * and access log ({@code /portaal/signalen/{node}/{id}}: the node and the signal's id there, no personal data). A
 * signal the inzage does not hold for this person is the same 404 page whatever the reason.
 */
@Controller("/portaal")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class PortaalInzageController {

    static final String OVERZICHT = "portaal/overzicht";
    static final String SIGNAAL = "portaal/signaal";

    private final CitizenInzage inzage;
    private final CitizenAccessLog accessLog;
    private final PortalSessions sessions;
    private final Pages pages;

    PortaalInzageController(CitizenInzage inzage, CitizenAccessLog accessLog, PortalSessions sessions, Pages pages) {
        this.inzage = inzage;
        this.accessLog = accessLog;
        this.sessions = sessions;
        this.pages = pages;
    }

    /** One signal in the overview, its text already in Dutch. */
    public record Regel(String href, String kop, Onderdelen.Gegevenslijst gegevens) {
        @Override
        public String toString() {
            return "Regel[redacted]";
        }
    }

    /** The overview: the signals, and a warning naming the regions that did not answer (none: empty). */
    public record OverzichtPagina(List<Regel> signalen, @Nullable Onderdelen.Melding onbereikbaar) {
    }

    /** One signal: its facts, its access log, and where to object to it. */
    public record SignaalPagina(String kind, String organisatie, Onderdelen.Gegevenslijst feiten,
                                @Nullable Onderdelen.Tabel toegang, String bezwaarHref) {
        @Override
        public String toString() {
            return "SignaalPagina[redacted]";
        }
    }

    @Get("/overzicht")
    ModelAndView<?> overzicht(HttpRequest<?> request) {
        PortalSessions.Session session = sessions.require(request);
        InzageItem.Page found = signals(session);
        Tekst t = pages.tekst();
        List<Regel> rows = new ArrayList<>();
        for (InzageItem i : found.items()) {
            rows.add(new Regel(href(i), t.get("overzicht.signaal.kop", i.youth().name(), i.organisation()),
                    new Onderdelen.Gegevenslijst(List.of(
                            fact(t.get("signaal.status"), t.get(PortaalTeksten.status(i.status()))),
                            fact(t.get("signaal.geregistreerd"), t.datum(i.registeredOn())),
                            fact(t.get("signaal.actief-tot"), t.datum(i.activeUntil()))))));
        }
        return pages.view(request, session, OVERZICHT, new OverzichtPagina(rows, unavailable(found.unavailable())));
    }

    @Get("/signalen/{node}/{id}")
    ModelAndView<?> signaal(HttpRequest<?> request, @PathVariable String node, @PathVariable String id) {
        PortalSessions.Session session = sessions.require(request);
        InzageItem.Page found = signals(session);
        InzageItem item = found.items().stream().filter(i -> i.node().equals(node) && i.id().equals(id)).findFirst()
                .orElseThrow(() -> found.unavailable().contains(node) ? PaginaFout.onbereikbaar()
                        : PaginaFout.nietGevonden());
        return pages.view(request, session, SIGNAAL, page(item));
    }

    /**
     * The person's access log of every signal as one file to keep and check ({@link CitizenAccessLog}, the same file as
     * {@code GET /api/v1/citizen/access-log}; {@code java -jar audit.jar verify-inzage FILE}).
     */
    @Get(value = "/toegangslog", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> toegangslog(HttpRequest<?> request) {
        PortalSessions.Session session = sessions.require(request);
        String json;
        try {
            json = accessLog.json(session.person());
        } catch (ProblemException e) {
            throw PaginaFout.onbereikbaar();
        }
        return HttpResponse.ok(json).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"toegangslog-"
                        + java.time.LocalDate.now(nl.betrokken.node.ClockFactory.ZONE) + ".json\"");
    }

    /** The path of a signal's page. */
    static String href(InzageItem i) {
        return "/portaal/signalen/" + i.node() + "/" + i.id();
    }

    private InzageItem.Page signals(PortalSessions.Session session) {
        try {
            return inzage.signals(session.person());
        } catch (ProblemException e) {
            throw PaginaFout.onbereikbaar();
        }
    }

    private Onderdelen.Melding unavailable(List<String> regions) {
        if (regions.isEmpty()) {
            return null;
        }
        Tekst t = pages.tekst();
        return new Onderdelen.Melding("warning", t.get("onbereikbaar.kop"),
                t.get("onbereikbaar.tekst", String.join(", ", regions)));
    }

    private SignaalPagina page(InzageItem i) {
        Tekst t = pages.tekst();
        List<Onderdelen.Gegeven> facts = new ArrayList<>();
        facts.add(fact(t.get("signaal.kind"), i.youth().name()));
        facts.add(fact(t.get("signaal.organisatie"), i.organisation()));
        facts.add(fact(t.get("signaal.professional"), i.professional()));
        if (i.email() != null) {
            facts.add(fact(t.get("signaal.email"), i.email()));
        }
        if (i.phone() != null) {
            facts.add(fact(t.get("signaal.telefoon"), i.phone()));
        }
        facts.add(fact(t.get("signaal.geregistreerd"), t.datum(i.registeredOn())));
        facts.add(fact(t.get("signaal.status"), t.get(PortaalTeksten.status(i.status()))));
        facts.add(fact(t.get("signaal.actief-tot"), t.datum(i.activeUntil())));
        facts.add(fact(t.get("signaal.verwijderd-na"), t.datum(i.deleteAfter())));
        facts.add(fact(t.get("signaal.grond"), i.ground()));
        facts.add(fact(t.get("signaal.ouders-ingelicht"), i.parentsInformed()
                ? (i.parentsInformedOn() == null ? t.get("signaal.ouders-ingelicht.ja")
                        : t.get("signaal.ouders-ingelicht.op", t.datum(i.parentsInformedOn())))
                : t.get("signaal.ouders-ingelicht.nee")));
        List<List<String>> rows = new ArrayList<>();
        for (InzageItem.Access a : i.accesses()) {
            String who = t.get(PortaalTeksten.rol(a.role()));
            if (a.organisation() != null) {
                who = t.get("toegang.wie", who, a.organisation());
            }
            rows.add(List.of(t.moment(a.at()), who, t.get(PortaalTeksten.actie(a.action())),
                    a.purpose() == null ? t.get("toegang.geen-reden") : a.purpose()));
        }
        Onderdelen.Tabel log = rows.isEmpty() ? null : new Onderdelen.Tabel(t.get("toegang.bijschrift"),
                List.of(t.get("toegang.wanneer"), t.get("toegang.door"), t.get("toegang.wat"), t.get("toegang.waarom")),
                rows);
        return new SignaalPagina(i.youth().name(), i.organisation(), new Onderdelen.Gegevenslijst(facts), log,
                href(i) + "/bezwaar");
    }

    private static Onderdelen.Gegeven fact(String term, String value) {
        return new Onderdelen.Gegeven(term, value, null, null);
    }
}
