package nl.betrokken.node.followup;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

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
 * The matchcoördinator's overdue matches ({@code /werkplek/matches-achterstand}): every overdue side of the region's
 * matches grouped by organisation, from the same service as {@code GET /api/v1/matches/overdue}
 * ({@link OverdueFlags#overdueInRegion}); one match's page ({@code /{id}}) with its calls and the form that calls on
 * both sides ({@code POST /{id}/aanspreken}, {@link CallOns#callOn} as {@code POST /api/v1/matches/{id}/call-on}):
 * 303 back with a message, or 422 with the error (a note too long, a match no longer overdue).
 */
@Controller("/werkplek/matches-achterstand")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekMatchesAchterstandController {

    static final String LIJST = "werkplek/matches-achterstand";
    static final String MATCH = "werkplek/matches-achterstand-match";
    static final String PAD = "/werkplek/matches-achterstand";

    /** The message after a call, by how the counterpart's node was reached ({@link CallOnView#counterpart()}). */
    private static final Map<String, String> MELDINGEN = Map.of(
            "SENT", Tekst.key("werkplek.matches-achterstand.melding.beide"),
            "LOCAL", Tekst.key("werkplek.matches-achterstand.melding.beide"),
            "PENDING", Tekst.key("werkplek.matches-achterstand.melding.later"),
            "REFUSED", Tekst.key("werkplek.matches-achterstand.melding.geweigerd"));

    private final OverdueFlags flags;
    private final CallOns callOns;
    private final WerkplekSessions sessions;
    private final Pages pages;

    WerkplekMatchesAchterstandController(OverdueFlags flags, CallOns callOns, WerkplekSessions sessions, Pages pages) {
        this.flags = flags;
        this.callOns = callOns;
        this.sessions = sessions;
        this.pages = pages;
    }

    @Serdeable
    @Introspected
    record Formulier(@Nullable String csrf, @Nullable String notitie) {
        @Override
        public String toString() {
            return "Formulier[redacted]";
        }
    }

    /** One overdue side in an organisation's table: a link to the match's page, and its facts in words. */
    public record Rij(String href, String kenmerk, String soort, String gemaakt, String dagen, String professional,
                      String andereKant, String aangesproken) {
    }

    /** An organisation: its heading (name and count), an anchor, and its overdue sides. */
    public record Groep(String kop, String id, List<Rij> rijen) {
    }

    /** The list: the rule in words, then per organisation a heading and table (none: all on time). */
    public record LijstPagina(String uitleg, String totaal, List<Groep> groepen) {
    }

    /**
     * One match: a message, the error summary, its overdue sides here (facts), its calls, and the form while it is
     * overdue.
     */
    public record MatchPagina(String titel, @Nullable Onderdelen.Melding melding,
                              Onderdelen.Foutsamenvatting samenvatting, List<Onderdelen.Gegevenslijst> kanten,
                              @Nullable Onderdelen.Tabel oproepen, boolean teLaat, String actie, String csrf,
                              Onderdelen.Tekstvak notitie) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }
    }

    @Get
    ModelAndView<?> lijst(HttpRequest<?> request) {
        Medewerker m = sessions.require(request, Role.MATCHCOORDINATOR);
        MatchOverdueView.Page page = flags.overdueInRegion(null);
        Tekst t = pages.tekst();
        List<Groep> groepen = new ArrayList<>();
        for (MatchOverdueView.OrganisationCount o : page.organisations()) {
            List<Rij> rijen = new ArrayList<>();
            for (MatchOverdueView v : page.items()) {
                if (v.organisation().id().equals(o.id())) {
                    rijen.add(rij(t, v));
                }
            }
            groepen.add(new Groep(t.get("werkplek.matches-achterstand.groep", naam(o.name(), o.id()), o.count()),
                    "organisatie-" + o.id(), rijen));
        }
        return pages.werkplek(request, m, LIJST, new LijstPagina(
                t.get("werkplek.matches-achterstand.uitleg", page.overdueDays()),
                t.get("werkplek.matches-achterstand.totaal", page.items().size(), page.organisations().size()),
                groepen));
    }

    @Get("/{id}")
    ModelAndView<?> match(HttpRequest<?> request, @PathVariable String id, @QueryValue @Nullable String melding) {
        Medewerker m = sessions.require(request, Role.MATCHCOORDINATOR);
        String key = melding == null ? null : MELDINGEN.get(melding);
        return pages.werkplek(request, m, MATCH, pagina(m, id(id), key == null ? null
                : new Onderdelen.Melding("ok", null, pages.tekst().get(key)), List.of(), null, null));
    }

    @Post(value = "/{id}/aanspreken", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> aanspreken(HttpRequest<?> request, @PathVariable String id, @Body Formulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.MATCHCOORDINATOR);
        UUID match = id(id);
        Tekst t = pages.tekst();
        CallOnView call;
        try {
            call = callOns.callOn(m.authentication(), match, form.notitie());
        } catch (ProblemException e) {
            int status = e.problem().status();
            if (status == 404) {
                throw nietGevonden();
            }
            if (status != 400 && status != 409) {
                throw WerkplekFouten.onbereikbaar();
            }
            String fout = status == 400
                    ? t.get(Tekst.key("werkplek.matches-achterstand.fout.notitie"), CallOns.NOTE_MAX)
                    : t.get(Tekst.key("werkplek.matches-achterstand.fout.niet-te-laat"));
            return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, MATCH, pagina(m, match, null,
                    List.of(new Onderdelen.Fout(status == 400 ? "#notitie" : "#aanspreken", fout)), form.notitie(),
                    status == 400 ? fout : null));
        }
        return HttpResponse.seeOther(URI.create(PAD + "/" + match + "?melding=" + call.counterpart()));
    }

    private MatchPagina pagina(Medewerker m, UUID match, @Nullable Onderdelen.Melding melding,
                               List<Onderdelen.Fout> fouten, @Nullable String notitie, @Nullable String notitieFout) {
        Tekst t = pages.tekst();
        CallOns.MatchCalls calls = callOns.match(match).orElseThrow(WerkplekMatchesAchterstandController::nietGevonden);
        List<Onderdelen.Gegevenslijst> kanten = new ArrayList<>();
        for (MatchOverdueView v : calls.overdue()) {
            OverdueView.Professional p = v.professional();
            String contact = String.join(", ", Stream.of(p.email(), p.phone())
                    .filter(s -> s != null && !s.isBlank()).toList());
            kanten.add(new Onderdelen.Gegevenslijst(List.of(
                    fact(t.get("werkplek.matches-achterstand.organisatie"), naam(v.organisation().name(),
                            v.organisation().id())),
                    fact(t.get("werkplek.matches-achterstand.professional"), p.displayName()
                            + (contact.isEmpty() ? "" : " (" + contact + ")")),
                    fact(t.get("werkplek.matches-achterstand.soort"), t.get(soort(v))),
                    fact(t.get("werkplek.matches-achterstand.gemaakt"), t.datum(v.matchedOn())),
                    fact(t.get("werkplek.matches-achterstand.dagen"), dagen(t, v)),
                    fact(t.get("werkplek.matches-achterstand.andere-kant"), andereKant(t, v)),
                    fact(t.get("werkplek.matches-achterstand.kenmerk"), v.matchId().toString()))));
        }
        List<List<String>> rows = new ArrayList<>();
        for (CallOns.Call c : calls.calls()) {
            rows.add(List.of(t.moment(c.at()),
                    c.by() != null ? t.get("werkplek.matches-achterstand.oproep.door", c.by())
                            : t.get("werkplek.matches-achterstand.oproep.andere-regio", c.region()),
                    c.note() == null ? "" : c.note(),
                    t.get(switch (c.state()) {
                        case CallOnRow.SENT -> Tekst.key("werkplek.matches-achterstand.oproep.verstuurd");
                        case CallOnRow.PENDING -> Tekst.key("werkplek.matches-achterstand.oproep.wacht");
                        case CallOnRow.DONE -> Tekst.key("werkplek.matches-achterstand.oproep.geweigerd");
                        case CallOnRow.LOCAL -> Tekst.key("werkplek.matches-achterstand.oproep.hier");
                        default -> Tekst.key("werkplek.matches-achterstand.oproep.ontvangen");
                    })));
        }
        Onderdelen.Tabel oproepen = rows.isEmpty() ? null : new Onderdelen.Tabel(
                t.get("werkplek.matches-achterstand.oproep.bijschrift"),
                List.of(t.get("werkplek.matches-achterstand.oproep.wanneer"),
                        t.get("werkplek.matches-achterstand.oproep.wie"),
                        t.get("werkplek.matches-achterstand.oproep.notitie"),
                        t.get("werkplek.matches-achterstand.oproep.andere-kant")), rows);
        Onderdelen.Tekstvak text = new Onderdelen.Tekstvak("notitie", "notitie",
                t.get("werkplek.matches-achterstand.notitie.label"), false,
                t.get("werkplek.matches-achterstand.notitie.beschrijving", CallOns.NOTE_MAX),
                notitie == null ? "" : notitie, notitieFout, 3);
        return new MatchPagina(t.get("werkplek.matches-achterstand.match.titel"), melding,
                new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"), fouten), kanten, oproepen,
                !calls.overdue().isEmpty(), PAD + "/" + match + "/aanspreken", m.csrf(), text);
    }

    private Rij rij(Tekst t, MatchOverdueView v) {
        OverdueView.Professional p = v.professional();
        return new Rij(PAD + "/" + v.matchId(), v.matchId().toString().substring(0, 8), t.get(soort(v)),
                t.datum(v.matchedOn()), dagen(t, v), p.displayName(), andereKant(t, v),
                v.calledOn() == null ? t.get("werkplek.matches-achterstand.nooit")
                        : t.get("werkplek.matches-achterstand.aangesproken", t.moment(v.calledOn().last()),
                        v.calledOn().count()));
    }

    private static String dagen(Tekst t, MatchOverdueView v) {
        return t.get("werkplek.matches-achterstand.dagen.aantal", v.daysOverdue(), t.datum(v.overdueSince()));
    }

    private static String andereKant(Tekst t, MatchOverdueView v) {
        MatchOverdueView.Counterpart c = v.counterpart();
        String organisation = c.organisation() == null ? t.get("werkplek.matches-achterstand.andere-kant.onbekend")
                : c.organisation();
        return t.get(c.crossRegion() ? Tekst.key("werkplek.matches-achterstand.andere-kant.regio")
                : Tekst.key("werkplek.matches-achterstand.andere-kant.hier"), organisation, c.region());
    }

    private static String naam(@Nullable String name, String id) {
        return name == null ? id : name;
    }

    private static String soort(MatchOverdueView v) {
        return "FAMILY".equals(v.type()) ? Tekst.key("werkplek.matches-achterstand.gezinsmatch")
                : Tekst.key("werkplek.matches-achterstand.match");
    }

    private static Onderdelen.Gegeven fact(String term, String value) {
        return new Onderdelen.Gegeven(term, value, null, null);
    }

    private static WerkplekFouten.Fout nietGevonden() {
        return WerkplekFouten.nietGevonden(Tekst.key("werkplek.matches-achterstand.niet-gevonden.titel"),
                Tekst.key("werkplek.matches-achterstand.niet-gevonden.tekst"));
    }

    /** The match's id; anything that is not a UUID is a match that is not there. */
    private static UUID id(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw nietGevonden();
        }
    }
}
