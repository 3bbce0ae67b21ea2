package nl.betrokken.node.audit;

import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.node.account.Medewerker;
import nl.betrokken.node.account.Role;
import nl.betrokken.node.account.WerkplekSessions;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.node.web.WerkplekFouten;
import nl.betrokken.problem.ProblemException;

/**
 * The gemeente's held-back signals (Veilig Thuis) in the werkplek, through the same {@link Holds} as
 * {@code /api/v1/audit/held}: the list with each hold's review date, those due first ({@code /werkplek/achtergehouden}),
 * and per hold its page ({@code /werkplek/achtergehouden/{reference}}): a new review date with a reason
 * ({@code …/herbeoordeling}, as {@code POST /api/v1/audit/held/{reference}/review}) and the check before the release,
 * whose button releases it. The POSTs answer 303, or 422 with the page and the errors at their fields.
 */
@Controller("/werkplek/achtergehouden")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekAchtergehoudenController {

    static final String LIJST = "werkplek/achtergehouden-lijst";
    static final String VRIJGEVEN = "werkplek/achtergehouden-vrijgeven";
    static final String PAD = "/werkplek/achtergehouden";
    private static final DateTimeFormatter INVOER = DateTimeFormatter.ofPattern("dd-MM-yyyy");

    private final Holds holds;
    private final WerkplekSessions sessions;
    private final Pages pages;
    private final Clock clock;

    WerkplekAchtergehoudenController(Holds holds, WerkplekSessions sessions, Pages pages, Clock clock) {
        this.holds = holds;
        this.sessions = sessions;
        this.pages = pages;
        this.clock = clock;
    }

    @Serdeable
    @Introspected
    record Formulier(@Nullable String csrf) {
    }

    /** A new review date: the day as typed (day-month-year) and the reason. */
    @Serdeable
    @Introspected
    record HerbeoordelingFormulier(@Nullable String csrf, @Nullable String datum, @Nullable String reden) {
        @Override
        public String toString() {
            return "HerbeoordelingFormulier[redacted]";
        }
    }

    /**
     * One hold: what is held back, its reference (a link to its page), since when, how many entries, its review date
     * in words and whether that day has come ({@code teBeoordelen}: marked).
     */
    public record Rij(String soort, String kenmerk, String href, String sinds, int gebeurtenissen,
                      String herbeoordeling, boolean teBeoordelen) {
    }

    /** The list: a message after a release, the holds (the earliest review date first). */
    public record LijstPagina(@Nullable Onderdelen.Melding melding, List<Rij> rijen) {
    }

    /**
     * A hold's page: a message after a new review date, the errors of the review form, the hold's facts, the form
     * (day and reason), and the check before a release with its button.
     */
    public record VrijgevenPagina(@Nullable Onderdelen.Melding melding, Onderdelen.Foutsamenvatting samenvatting,
                                  Onderdelen.Gegevenslijst gegevens, String csrf, String actie,
                                  Onderdelen.Invoerveld datum, Onderdelen.Tekstvak reden, Onderdelen.Knop knop) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "VrijgevenPagina[redacted]";
        }
    }

    @Get
    ModelAndView<?> lijst(HttpRequest<?> request, @QueryValue @Nullable String melding) {
        Medewerker m = sessions.require(request, Role.GEMEENTE);
        Tekst t = pages.tekst();
        LocalDate today = LocalDate.now(clock);
        List<Rij> rows = new ArrayList<>();
        for (Holds.Hold h : holds.held()) {
            rows.add(new Rij(t.get(soort(h.reference())), h.reference(), href(h.reference()), t.moment(h.heldSince()),
                    h.sealedEntries(), herbeoordeling(h.reviewOn(), today), h.reviewDue()));
        }
        Onderdelen.Melding released = "vrijgegeven".equals(melding)
                ? new Onderdelen.Melding("ok", null, t.get("werkplek.achtergehouden.melding.vrijgegeven")) : null;
        return pages.werkplek(request, m, LIJST, new LijstPagina(released, rows));
    }

    @Get("/{reference}")
    ModelAndView<?> vrijgeven(HttpRequest<?> request, @PathVariable String reference,
                              @QueryValue @Nullable String melding) {
        Medewerker m = sessions.require(request, Role.GEMEENTE);
        Holds.Hold h = hold(reference);
        Onderdelen.Melding notice = "herbeoordeling".equals(melding) ? new Onderdelen.Melding("ok", null,
                pages.tekst().get(Tekst.key("werkplek.hold.melding.datum"), pages.tekst().datum(h.reviewOn())))
                : null;
        return pages.werkplek(request, m, VRIJGEVEN, pagina(m, h, notice, null, null, Map.of()));
    }

    @Post(value = "/{reference}/herbeoordeling", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> herbeoordeling(HttpRequest<?> request, @PathVariable String reference,
                                   @Body HerbeoordelingFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.GEMEENTE);
        Holds.Hold h = hold(reference);
        // The service's own rules (Holds.reviewOn, Holds.validReason), by the form's field, in Dutch.
        Map<String, String> errors = new LinkedHashMap<>();
        boolean blankDay = form.datum() == null || form.datum().isBlank();
        Optional<LocalDate> day = blankDay ? Optional.empty() : Tekst.leesDatum(form.datum());
        if (day.isEmpty()) {
            errors.put("datum", blankDay ? Tekst.key("werkplek.hold.fout.datum.leeg")
                    : Tekst.key("werkplek.hold.fout.datum.ongeldig"));
        } else if (refused(() -> Holds.reviewOn(day.get().toString(), LocalDate.now(clock)))) {
            errors.put("datum", Tekst.key("werkplek.hold.fout.datum.buiten"));
        }
        if (refused(() -> Holds.validReason(form.reden()))) {
            errors.put("reden", form.reden() == null || form.reden().isBlank()
                    ? Tekst.key("werkplek.hold.fout.reden.leeg") : Tekst.key("werkplek.hold.fout.reden.lang"));
        }
        if (errors.isEmpty()) {
            try {
                holds.setReview(m.username(), h.reference(), day.get().toString(), form.reden());
                return HttpResponse.seeOther(URI.create(href(h.reference()) + "?melding=herbeoordeling"));
            } catch (ProblemException e) {
                if (e.problem().status() == 404) {
                    throw nietGevonden();
                }
                if (e.problem().status() != 400) {
                    throw e;
                }
                errors.put("datum", Tekst.key("werkplek.hold.fout.datum.buiten")); // midnight passed in between
            }
        }
        return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, VRIJGEVEN,
                pagina(m, h, null, form.datum(), form.reden(), errors));
    }

    @Post(value = "/{reference}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> vrijgeven(HttpRequest<?> request, @PathVariable String reference, @Body Formulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.GEMEENTE);
        if (!reference.startsWith("signal:") && !reference.startsWith("exchange:")
                && !reference.startsWith("lookup:")) {
            throw nietGevonden();
        }
        try {
            holds.release(m.username(), reference);
        } catch (ProblemException e) {
            throw e.problem().status() == 404 ? nietGevonden() : WerkplekFouten.onbereikbaar();
        }
        return HttpResponse.seeOther(URI.create(PAD + "?melding=vrijgegeven"));
    }

    /** Whether one of the service's rules refuses the input. */
    private static boolean refused(Runnable rule) {
        try {
            rule.run();
            return false;
        } catch (ProblemException e) {
            return true;
        }
    }

    /** The hold waiting under {@code reference}; else the 404 page. */
    private Holds.Hold hold(String reference) {
        return holds.hold(reference).orElseThrow(WerkplekAchtergehoudenController::nietGevonden);
    }

    private VrijgevenPagina pagina(Medewerker m, Holds.Hold h, @Nullable Onderdelen.Melding notice,
                                   @Nullable String datum, @Nullable String reden, Map<String, String> errors) {
        Tekst t = pages.tekst();
        LocalDate today = LocalDate.now(clock);
        List<Onderdelen.Gegeven> facts = new ArrayList<>(List.of(
                new Onderdelen.Gegeven(t.get("werkplek.achtergehouden.soort"), t.get(soort(h.reference())), null, null),
                new Onderdelen.Gegeven(t.get("werkplek.achtergehouden.kenmerk"), h.reference(), null, null),
                new Onderdelen.Gegeven(t.get("werkplek.achtergehouden.sinds"), t.moment(h.heldSince()), null, null),
                new Onderdelen.Gegeven(t.get("werkplek.achtergehouden.gebeurtenissen"),
                        String.valueOf(h.sealedEntries()), null, null),
                new Onderdelen.Gegeven(t.get(Tekst.key("werkplek.hold.herbeoordelen")),
                        herbeoordeling(h.reviewOn(), today), null, null)));
        if (h.reviewReason() != null) {
            facts.add(new Onderdelen.Gegeven(t.get(Tekst.key("werkplek.hold.reden")), h.reviewReason(), null, null));
        }
        List<Onderdelen.Fout> fouten = new ArrayList<>();
        for (String field : List.of("datum", "reden")) {
            if (errors.containsKey(field)) {
                fouten.add(new Onderdelen.Fout("#" + field, t.get(errors.get(field))));
            }
        }
        String datumFout = errors.containsKey("datum") ? t.get(errors.get("datum")) : null;
        String redenFout = errors.containsKey("reden") ? t.get(errors.get("reden")) : null;
        return new VrijgevenPagina(notice, new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"), fouten),
                new Onderdelen.Gegevenslijst(facts), m.csrf(), href(h.reference()) + "/herbeoordeling",
                new Onderdelen.Invoerveld("datum", "datum", t.get(Tekst.key("werkplek.hold.datum.label")),
                        t.get(Tekst.key("werkplek.hold.datum.uitleg"), INVOER.format(today.plusMonths(3))),
                        datum, datumFout, "off", "text"),
                new Onderdelen.Tekstvak("reden", "reden", t.get(Tekst.key("werkplek.hold.reden.label")), false,
                        t.get(Tekst.key("werkplek.hold.reden.uitleg"), Holds.REASON_MAX), reden, redenFout, 3),
                new Onderdelen.Knop(href(h.reference()), m.csrf(), t.get("werkplek.achtergehouden.vrijgeven.knop"),
                        true));
    }

    /** The review date in words: "4 maart 2027 (nog 90 dagen)", "vandaag", or how many days late. */
    private String herbeoordeling(LocalDate on, LocalDate today) {
        return pages.tekst().termijn(on, today, Tekst.key("werkplek.hold.op.nog"), Tekst.key("werkplek.hold.op.vandaag"),
                Tekst.key("werkplek.hold.op.te-laat"));
    }

    private static String soort(String reference) {
        return reference.startsWith("exchange:") ? Tekst.key("werkplek.achtergehouden.soort.bericht")
                : reference.startsWith("lookup:") ? Tekst.key("werkplek.achtergehouden.soort.opzoeking")
                : Tekst.key("werkplek.achtergehouden.soort.signaal");
    }

    private static String href(String reference) {
        return PAD + "/" + reference; // signal:, exchange: or lookup: and hex: safe in a path
    }

    private static WerkplekFouten.Fout nietGevonden() {
        return WerkplekFouten.nietGevonden(Tekst.key("werkplek.achtergehouden.niet-gevonden.titel"),
                Tekst.key("werkplek.achtergehouden.niet-gevonden.tekst"));
    }
}
