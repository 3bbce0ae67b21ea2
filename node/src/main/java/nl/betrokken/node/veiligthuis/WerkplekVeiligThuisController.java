package nl.betrokken.node.veiligthuis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
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
import nl.betrokken.node.inzage.PortaalTeksten;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.node.web.WerkplekFouten;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.ProblemException;

/**
 * The Veilig Thuis worker's look-up in the werkplek ({@code /werkplek/veilig-thuis}), through the same
 * {@link VeiligThuisLookups} as {@code POST /api/v1/veilig-thuis/lookups}: the form (BSN and reason) and, after the
 * POST, the signals found by region, or "nothing found", and the regions that did not answer. A wrong form is a 422
 * with the messages at the fields (the service's own rules, {@link VeiligThuisLookups#violations}). The result is the
 * POST's answer itself (no redirect: the BSN never goes into an address, and a search changes nothing a reload would
 * repeat wrongly: a reload asks again and is logged again, as it should be).
 */
@Controller("/werkplek/veilig-thuis")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekVeiligThuisController {

    static final String ZOEKEN = "werkplek/veilig-thuis-zoeken";
    static final String RESULTAAT = "werkplek/veilig-thuis-resultaat";
    static final String PAD = "/werkplek/veilig-thuis";

    private final VeiligThuisLookups lookups;
    private final WerkplekSessions sessions;
    private final Pages pages;

    WerkplekVeiligThuisController(VeiligThuisLookups lookups, WerkplekSessions sessions, Pages pages) {
        this.lookups = lookups;
        this.sessions = sessions;
        this.pages = pages;
    }

    /** The form: the youth's BSN and the reason. Personal data: never printed. */
    @Serdeable
    @Introspected
    record Formulier(@Nullable String csrf, @Nullable String bsn, @Nullable String reden) {
        @Override
        public String toString() {
            return "Formulier[redacted]";
        }
    }

    /** The form page: the errors, what the log keeps and who sees it, the two fields. */
    public record ZoekPagina(String actie, String csrf, Onderdelen.Foutsamenvatting samenvatting,
                             Onderdelen.Melding logboek, Onderdelen.Invoerveld bsn, Onderdelen.Tekstvak reden) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "ZoekPagina[redacted]";
        }
    }

    /** The signals of one region, as a table. */
    public record Regio(String kop, Onderdelen.Tabel tabel) {
        @Override
        public String toString() {
            return "Regio[redacted]";
        }
    }

    /** The result: what was logged, the regions that did not answer, the signals by region (none: a notice). */
    public record ResultaatPagina(Onderdelen.Melding vastgelegd, @Nullable Onderdelen.Melding onbereikbaar,
                                  List<Regio> regios, String opnieuw) {
        @Override
        public String toString() {
            return "ResultaatPagina[redacted]";
        }
    }

    @Get
    ModelAndView<?> zoeken(HttpRequest<?> request) {
        Medewerker m = sessions.require(request, Role.VEILIG_THUIS);
        return pages.werkplek(request, m, ZOEKEN, zoekPagina(m, new Formulier(null, null, null), Map.of()));
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> opzoeken(HttpRequest<?> request, @Body Formulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.VEILIG_THUIS);
        Map<String, String> errors = fouten(VeiligThuisLookups.violations(form.bsn(), form.reden()), form);
        if (!errors.isEmpty()) {
            return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, ZOEKEN,
                    zoekPagina(m, form, errors));
        }
        VeiligThuisItem.Page found;
        try {
            found = lookups.lookUp(m.username(), form.bsn(), form.reden());
        } catch (ProblemException e) {
            throw WerkplekFouten.onbereikbaar(); // the form was checked above: only the 503 is left
        }
        return pages.werkplekStatus(HttpStatus.OK, request, m, RESULTAAT, resultaat(found));
    }

    /** The Dutch text key of each refused field, by the page's field. */
    private static Map<String, String> fouten(List<Problem.Violation> violations, Formulier form) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Problem.Violation v : violations) {
            if (v.field().equals("bsn")) {
                out.put("bsn", form.bsn() == null || form.bsn().isBlank()
                        ? Tekst.key("werkplek.veilig-thuis.fout.bsn.leeg")
                        : Tekst.key("werkplek.veilig-thuis.fout.bsn.ongeldig"));
            } else if (v.field().equals("reason")) {
                out.put("reden", form.reden() == null || form.reden().isBlank()
                        ? Tekst.key("werkplek.veilig-thuis.fout.reden.leeg")
                        : Tekst.key("werkplek.veilig-thuis.fout.reden.lengte"));
            }
        }
        return out;
    }

    private ZoekPagina zoekPagina(Medewerker m, Formulier form, Map<String, String> errors) {
        Tekst t = pages.tekst();
        List<Onderdelen.Fout> summary = new ArrayList<>();
        errors.forEach((field, key) -> summary.add(new Onderdelen.Fout("#" + field,
                t.get(key, VeiligThuisServing.REASON_MIN, VeiligThuisServing.REASON_MAX))));
        return new ZoekPagina(PAD, m.csrf(), new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"), summary),
                new Onderdelen.Melding("info", t.get("werkplek.veilig-thuis.logboek.kop"),
                        t.get("werkplek.veilig-thuis.logboek.tekst")),
                new Onderdelen.Invoerveld("bsn", "bsn", t.get("werkplek.veilig-thuis.bsn.label"),
                        t.get("werkplek.veilig-thuis.bsn.beschrijving"), form.bsn(), error(errors, "bsn"), "off",
                        "numeric"),
                new Onderdelen.Tekstvak("reden", "reden", t.get("werkplek.veilig-thuis.reden.label"), false,
                        t.get("werkplek.veilig-thuis.reden.beschrijving", VeiligThuisServing.REASON_MIN,
                                VeiligThuisServing.REASON_MAX), form.reden(), error(errors, "reden"), 4));
    }

    private @Nullable String error(Map<String, String> errors, String field) {
        String key = errors.get(field);
        return key == null ? null : pages.tekst().get(key, VeiligThuisServing.REASON_MIN,
                VeiligThuisServing.REASON_MAX);
    }

    private ResultaatPagina resultaat(VeiligThuisItem.Page found) {
        Tekst t = pages.tekst();
        Map<String, List<List<String>>> byRegion = new LinkedHashMap<>();
        for (VeiligThuisItem i : found.items()) {
            byRegion.computeIfAbsent(i.node(), k -> new ArrayList<>()).add(List.of(i.organisation(), i.professional(),
                    i.email() == null ? "" : i.email(), i.phone() == null ? "" : i.phone(), t.datum(i.registeredOn()),
                    t.get(PortaalTeksten.status(i.status())), t.datum(i.activeUntil())));
        }
        List<String> headers = List.of(t.get("werkplek.veilig-thuis.organisatie"),
                t.get("werkplek.veilig-thuis.hulpverlener"), t.get("werkplek.veilig-thuis.email"),
                t.get("werkplek.veilig-thuis.telefoon"), t.get("werkplek.veilig-thuis.gemaakt"),
                t.get("werkplek.veilig-thuis.status"), t.get("werkplek.veilig-thuis.actief-tot"));
        List<Regio> regions = new ArrayList<>();
        byRegion.forEach((region, rows) -> regions.add(new Regio(t.get("werkplek.veilig-thuis.regio", region),
                new Onderdelen.Tabel(t.get("werkplek.veilig-thuis.bijschrift", region, rows.size()), headers, rows))));
        Onderdelen.Melding unavailable = found.unavailable().isEmpty() ? null
                : new Onderdelen.Melding("warning", t.get("werkplek.veilig-thuis.onbereikbaar.kop"),
                        t.get("werkplek.veilig-thuis.onbereikbaar.tekst", String.join(", ", found.unavailable())));
        Onderdelen.Melding logged = new Onderdelen.Melding("info", null, t.get("werkplek.veilig-thuis.vastgelegd"));
        return new ResultaatPagina(logged, unavailable, regions, PAD);
    }
}
