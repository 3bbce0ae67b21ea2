package nl.betrokken.node.consent;

import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.account.PortalSessions;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.PaginaFout;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.ProblemException;

/**
 * Consent in the portal, through {@link CitizenConsents} only (the same service as the citizen API, so a page never
 * offers what the API would refuse): the overview ({@code /portaal/toestemmingen}: open requests first, then the
 * person's consents with their status), one request or consent ({@code /portaal/toestemmingen/{id}}: for whom, who
 * asks, which organisation it goes to, why, what yes and no mean), saying yes with an optional end date
 * ({@code …/ja}), saying no after a check ({@code …/nee}), the confirmation ({@code …/beantwoord}), and withdrawing
 * after a check ({@code …/intrekken}, then {@code …/ingetrokken}). A consent is named by its id only; the answer is in
 * the path, the end date in the posted form: nothing is kept with the session. Every POST answers 303, or 422 with the
 * same page, the answer kept and the error in Dutch by key at the field.
 */
@Controller("/portaal/toestemmingen")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class PortaalToestemmingController {

    static final String OVERZICHT = "portaal/toestemmingen";
    static final String VRAAG = "portaal/toestemming";
    static final String JA = "portaal/toestemming-ja";
    static final String NEE = "portaal/toestemming-nee";
    static final String BEANTWOORD = "portaal/toestemming-beantwoord";
    static final String INTREKKEN = "portaal/toestemming-intrekken";
    static final String INGETROKKEN = "portaal/toestemming-ingetrokken";
    /** The overview's path (linked from {@code /portaal/overzicht} and the menu). */
    public static final String PAD = "/portaal/toestemmingen";

    /** A date as people type it: day, month, year, with "-", "/", "." or a space between. */

    private final CitizenConsents consents;
    private final PortalSessions sessions;
    private final Pages pages;
    private final Clock clock;

    PortaalToestemmingController(CitizenConsents consents, PortalSessions sessions, Pages pages, Clock clock) {
        this.consents = consents;
        this.sessions = sessions;
        this.pages = pages;
        this.clock = clock;
    }

    /** A posted form with only the CSRF token (no, withdraw). */
    @Serdeable
    @Introspected
    record Formulier(@Nullable String csrf) {
    }

    /** The yes form: the CSRF token and the end date as typed (optional). */
    @Serdeable
    @Introspected
    record JaFormulier(@Nullable String csrf, @Nullable String einddatum) {
    }

    /** One request or consent in a list, its text already in Dutch. */
    public record Regel(String href, String kop, Onderdelen.Gegevenslijst gegevens) {
        @Override
        public String toString() {
            return "Regel[redacted]";
        }
    }

    /** The overview: open requests, then the other consents, and a warning naming the regions that did not answer. */
    public record OverzichtPagina(List<Regel> vragen, List<Regel> toestemmingen,
                                  @Nullable Onderdelen.Melding onbereikbaar) {
        @Override
        public String toString() {
            return "OverzichtPagina[redacted]";
        }
    }

    /**
     * One request or consent: its facts, what yes and no mean (for a parent: about their child; for the youth: about
     * themselves), and the links to answer ({@code kanAntwoorden}) or to withdraw ({@code kanIntrekken}).
     */
    public record VraagPagina(boolean jongere, String youth, String vrager, String ontvanger,
                              Onderdelen.Gegevenslijst feiten, boolean kanAntwoorden,
                              boolean kanIntrekken, String jaHref, String neeHref, String intrekkenHref) {
        @Override
        public String toString() {
            return "VraagPagina[redacted]";
        }
    }

    /** The yes page: what is agreed to, the optional end date, errors. */
    public record JaPagina(String actie, String csrf, String terug, boolean jongere, String youth, String vrager,
                           String ontvanger, Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Invoerveld einddatum) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "JaPagina[redacted]";
        }
    }

    /**
     * A check page before an action (saying no, withdrawing): what it is about, what it means, the button, and an
     * error when the action could not be done (the request was answered or ended meanwhile).
     */
    public record ControlePagina(String actie, String csrf, String terug, boolean jongere, String youth,
                                 Onderdelen.Gegevenslijst feiten, Onderdelen.Foutsamenvatting samenvatting) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "ControlePagina[redacted]";
        }
    }

    /**
     * The confirmation after an answer or a withdrawal: the person's answer, the request's status, who still has to
     * answer (none: empty), the end date in words (none: null).
     */
    public record BevestigingPagina(boolean jongere, String youth, @Nullable String antwoord, String status,
                                    @Nullable String nogNodig, @Nullable String geldigTot) {
        @Override
        public String toString() {
            return "BevestigingPagina[redacted]";
        }
    }

    @Get(uris = {"", "/"})
    ModelAndView<?> overzicht(HttpRequest<?> request) {
        PortalSessions.Session session = sessions.require(request);
        // One look-up: the open requests are the consents the person can answer (CitizenConsents.requests).
        CitizenConsents.Page all = read(() -> consents.consents(session.person()));
        Tekst t = pages.tekst();
        List<Regel> questions = new ArrayList<>();
        Set<String> shown = new LinkedHashSet<>();
        for (CitizenConsents.Item i : all.items()) {
            if (i.canAnswer() && shown.add(i.id())) {
                questions.add(new Regel(href(i.id()), t.get("toestemmingen.vraag.kop", i.youthName(),
                        i.askingOrganisation()), new Onderdelen.Gegevenslijst(List.of(
                        fact(t.get("toestemming.vrager"), t.get("toestemming.persoon", i.askingProfessional(),
                                i.askingOrganisation())),
                        fact(t.get("toestemming.ontvanger"), i.counterpartOrganisation()),
                        fact(t.get("toestemming.gevraagd-op"), t.datum(i.askedAt().atZone(ClockFactory.ZONE)
                                .toLocalDate()))))));
            }
        }
        List<Regel> given = new ArrayList<>();
        for (CitizenConsents.Item i : all.items()) {
            if (!shown.add(i.id())) {
                continue;
            }
            List<Onderdelen.Gegeven> facts = new ArrayList<>();
            facts.add(fact(t.get("toestemming.status"), t.get(status(i.status()))));
            facts.add(fact(t.get("toestemming.uw-antwoord"), t.get(antwoord(i.myAnswer()))));
            if (i.validUntil() != null) {
                facts.add(fact(t.get("toestemming.geldig-tot"), t.datum(i.validUntil())));
            }
            facts.add(fact(t.get("toestemming.gevraagd-op"), t.datum(i.askedAt().atZone(ClockFactory.ZONE)
                    .toLocalDate())));
            given.add(new Regel(href(i.id()), t.get("toestemmingen.toestemming.kop", i.youthName(),
                    i.askingOrganisation(), i.counterpartOrganisation()), new Onderdelen.Gegevenslijst(facts)));
        }
        List<String> unavailable = all.unavailable();
        Onderdelen.Melding warning = unavailable.isEmpty() ? null : new Onderdelen.Melding("warning",
                t.get("onbereikbaar.kop"), t.get("toestemmingen.onbereikbaar.tekst", String.join(", ", unavailable)));
        return pages.view(request, session, OVERZICHT, new OverzichtPagina(questions, given, warning));
    }

    @Get("/{id}")
    ModelAndView<?> vraag(HttpRequest<?> request, @PathVariable String id) {
        PortalSessions.Session session = sessions.require(request);
        Gevonden found = find(session, id);
        CitizenConsents.Item i = found.item();
        Tekst t = pages.tekst();
        List<Onderdelen.Gegeven> facts = new ArrayList<>();
        facts.add(fact(t.get("toestemming.over-wie"), found.youth()));
        facts.add(fact(t.get("toestemming.vrager"), t.get("toestemming.persoon", i.askingProfessional(),
                i.askingOrganisation())));
        facts.add(fact(t.get("toestemming.ontvanger"), i.counterpartOrganisation()));
        facts.add(fact(t.get("toestemming.waarom"), i.purpose()));
        facts.add(fact(t.get("toestemming.gevraagd-op"), t.datum(i.askedAt().atZone(ClockFactory.ZONE).toLocalDate())));
        facts.add(fact(t.get("toestemming.wie-nodig"), rollen(i.needs(), found.youth())));
        facts.add(fact(t.get("toestemming.wie-ja"), i.granted().isEmpty() ? t.get("toestemming.niemand")
                : rollen(i.granted(), found.youth())));
        facts.add(fact(t.get("toestemming.status"), t.get(status(i.status()))));
        if (i.myAnswer() != null) {
            facts.add(fact(t.get("toestemming.uw-antwoord"), t.get(antwoord(i.myAnswer()))));
        }
        if (i.validUntil() != null) {
            facts.add(fact(t.get("toestemming.geldig-tot"), t.datum(i.validUntil())));
        }
        String self = href(i.id());
        return pages.view(request, session, VRAAG, new VraagPagina(kind(i), found.youth(),
                t.get("toestemming.persoon", i.askingProfessional(), i.askingOrganisation()),
                i.counterpartOrganisation(), new Onderdelen.Gegevenslijst(facts), found.canAnswer(), found.canWithdraw(), self + "/ja",
                self + "/nee", self + "/intrekken"));
    }

    @Get("/{id}/ja")
    HttpResponse<?> ja(HttpRequest<?> request, @PathVariable String id) {
        PortalSessions.Session session = sessions.require(request);
        Gevonden found = find(session, id);
        if (!found.canAnswer()) {
            return HttpResponse.seeOther(URI.create(href(id)));
        }
        return HttpResponse.ok(pages.view(request, session, JA, jaPagina(session, found, null, null)));
    }

    @Post(value = "/{id}/ja", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> jaZeggen(HttpRequest<?> request, @PathVariable String id, @Body JaFormulier form) {
        PortalSessions.Session session = sessions.requirePost(request, form.csrf());
        UUID consent = uuid(id);
        String typed = form.einddatum() == null ? "" : form.einddatum().strip();
        LocalDate until = null;
        if (!typed.isEmpty()) {
            Optional<LocalDate> parsed = Tekst.leesDatum(typed);
            LocalDate today = LocalDate.now(clock.withZone(ClockFactory.ZONE));
            String error = parsed.isEmpty() ? Tekst.key("fout.einddatum.ongeldig")
                    : parsed.get().isBefore(today) ? Tekst.key("fout.einddatum.voorbij")
                    : parsed.get().isAfter(today.plus(ConsentRules.LONGEST)) ? Tekst.key("fout.einddatum.te-ver")
                    : null;
            if (error != null) {
                Gevonden found = find(session, id);
                if (!found.canAnswer()) {
                    return HttpResponse.seeOther(URI.create(href(id)));
                }
                return pages.status(HttpStatus.UNPROCESSABLE_ENTITY, request, session, JA,
                        jaPagina(session, found, typed, error));
            }
            until = parsed.get();
        }
        try {
            consents.grant(session.person(), consent, until);
        } catch (ProblemException e) {
            Problem p = e.problem();
            String error = switch (p.status()) {
                case 404 -> throw PaginaFout.toestemmingNietGevonden();
                case 409, 403 -> Tekst.key("fout.toestemming.niet-open");
                case 400 -> Tekst.key("fout.einddatum.ongeldig");
                default -> throw PaginaFout.onbereikbaar();
            };
            Gevonden found = find(session, id);
            return pages.status(HttpStatus.UNPROCESSABLE_ENTITY, request, session, JA,
                    jaPagina(session, found, typed, error));
        }
        return HttpResponse.seeOther(URI.create(href(id) + "/beantwoord"));
    }

    @Get("/{id}/nee")
    HttpResponse<?> nee(HttpRequest<?> request, @PathVariable String id) {
        PortalSessions.Session session = sessions.require(request);
        Gevonden found = find(session, id);
        if (!found.canAnswer()) {
            return HttpResponse.seeOther(URI.create(href(id)));
        }
        return HttpResponse.ok(pages.view(request, session, NEE, controle(session, found, "/nee", null)));
    }

    @Post(value = "/{id}/nee", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> neeZeggen(HttpRequest<?> request, @PathVariable String id, @Body Formulier form) {
        PortalSessions.Session session = sessions.requirePost(request, form.csrf());
        UUID consent = uuid(id);
        try {
            consents.refuse(session.person(), consent);
        } catch (ProblemException e) {
            refusedAction(e);
            return pages.status(HttpStatus.UNPROCESSABLE_ENTITY, request, session, NEE,
                    controle(session, find(session, id), "/nee", Tekst.key("fout.toestemming.niet-open")));
        }
        return HttpResponse.seeOther(URI.create(href(id) + "/beantwoord"));
    }

    @Get("/{id}/beantwoord")
    ModelAndView<?> beantwoord(HttpRequest<?> request, @PathVariable String id) {
        PortalSessions.Session session = sessions.require(request);
        return pages.view(request, session, BEANTWOORD, bevestiging(find(session, id)));
    }

    @Get("/{id}/intrekken")
    HttpResponse<?> intrekken(HttpRequest<?> request, @PathVariable String id) {
        PortalSessions.Session session = sessions.require(request);
        Gevonden found = find(session, id);
        if (!found.canWithdraw()) {
            return HttpResponse.seeOther(URI.create(href(id)));
        }
        return HttpResponse.ok(pages.view(request, session, INTREKKEN, controle(session, found, "/intrekken", null)));
    }

    @Post(value = "/{id}/intrekken", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> intrekkenBevestigd(HttpRequest<?> request, @PathVariable String id, @Body Formulier form) {
        PortalSessions.Session session = sessions.requirePost(request, form.csrf());
        UUID consent = uuid(id);
        try {
            consents.withdraw(session.person(), consent);
        } catch (ProblemException e) {
            refusedAction(e);
            return pages.status(HttpStatus.UNPROCESSABLE_ENTITY, request, session, INTREKKEN,
                    controle(session, find(session, id), "/intrekken", Tekst.key("fout.toestemming.niet-in-te-trekken")));
        }
        return HttpResponse.seeOther(URI.create(href(id) + "/ingetrokken"));
    }

    @Get("/{id}/ingetrokken")
    ModelAndView<?> ingetrokken(HttpRequest<?> request, @PathVariable String id) {
        PortalSessions.Session session = sessions.require(request);
        return pages.view(request, session, INGETROKKEN, bevestiging(find(session, id)));
    }

    /** The path of one request or consent. */
    static String href(String id) {
        return PAD + "/" + id;
    }

    /**
     * The person's items of consent {@code id} (a parent of both youths of a family match has one per part), merged:
     * the first item's facts, the youths' names joined, answerable or withdrawable when any item is.
     */
    private record Gevonden(CitizenConsents.Item item, String youth, boolean canAnswer, boolean canWithdraw) {
        @Override
        public String toString() {
            return "Gevonden[redacted]";
        }
    }

    private Gevonden find(PortalSessions.Session session, String id) {
        uuid(id);
        CitizenConsents.Page all = read(() -> consents.consents(session.person()));
        List<CitizenConsents.Item> mine = all.items().stream().filter(i -> i.id().equals(id)).toList();
        if (mine.isEmpty()) {
            throw all.unavailable().isEmpty() ? PaginaFout.toestemmingNietGevonden() : PaginaFout.onbereikbaar();
        }
        Set<String> youths = new LinkedHashSet<>();
        mine.forEach(i -> youths.add(i.youthName()));
        return new Gevonden(mine.get(0), samen(new ArrayList<>(youths)),
                mine.stream().anyMatch(CitizenConsents.Item::canAnswer),
                mine.stream().anyMatch(CitizenConsents.Item::canWithdraw));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw PaginaFout.toestemmingNietGevonden();
        }
    }

    private static <T> T read(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ProblemException e) {
            throw PaginaFout.onbereikbaar();
        }
    }

    /** A refused answer or withdrawal: 404 is the not-found page, 503 and others the unreachable page; 409 returns. */
    private static void refusedAction(ProblemException e) {
        int status = e.problem().status();
        if (status == 404) {
            throw PaginaFout.toestemmingNietGevonden();
        }
        if (status != 409 && status != 403 && status != 400) {
            throw PaginaFout.onbereikbaar();
        }
    }

    private JaPagina jaPagina(PortalSessions.Session session, Gevonden found, @Nullable String value,
                              @Nullable String errorKey) {
        Tekst t = pages.tekst();
        CitizenConsents.Item i = found.item();
        String error = errorKey == null ? null : t.get(errorKey);
        String self = href(i.id());
        String errorHref = "fout.toestemming.niet-open".equals(errorKey) ? self : "#einddatum";
        return new JaPagina(self + "/ja", session.csrf(), self, kind(i), found.youth(),
                t.get("toestemming.persoon", i.askingProfessional(), i.askingOrganisation()),
                i.counterpartOrganisation(),
                new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"),
                        error == null ? List.of() : List.of(new Onderdelen.Fout(errorHref, error))),
                new Onderdelen.Invoerveld("einddatum", "einddatum", t.get("toestemming-ja.label"),
                        t.get("toestemming-ja.beschrijving"), value,
                        "#einddatum".equals(errorHref) ? error : null, "off", "text"));
    }

    private ControlePagina controle(PortalSessions.Session session, Gevonden found, String action,
                                    @Nullable String errorKey) {
        Tekst t = pages.tekst();
        CitizenConsents.Item i = found.item();
        String self = href(i.id());
        List<Onderdelen.Gegeven> facts = new ArrayList<>();
        facts.add(fact(t.get("toestemming.over-wie"), found.youth()));
        facts.add(fact(t.get("toestemming.vrager"), t.get("toestemming.persoon", i.askingProfessional(),
                i.askingOrganisation())));
        facts.add(fact(t.get("toestemming.ontvanger"), i.counterpartOrganisation()));
        facts.add(fact(t.get("toestemming.waarom"), i.purpose()));
        if (i.validUntil() != null) {
            facts.add(fact(t.get("toestemming.geldig-tot"), t.datum(i.validUntil())));
        }
        String error = errorKey == null ? null : t.get(errorKey);
        return new ControlePagina(self + action, session.csrf(), self, kind(i), found.youth(),
                new Onderdelen.Gegevenslijst(facts), new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"),
                error == null ? List.of() : List.of(new Onderdelen.Fout(self, error))));
    }

    private BevestigingPagina bevestiging(Gevonden found) {
        Tekst t = pages.tekst();
        CitizenConsents.Item i = found.item();
        List<String> missing = new ArrayList<>(i.needs());
        missing.removeAll(i.granted());
        return new BevestigingPagina(kind(i), found.youth(), i.myAnswer(), i.status(),
                "PENDING".equals(i.status()) && !missing.isEmpty() ? rollen(missing, found.youth()) : null,
                i.validUntil() == null ? null : t.datum(i.validUntil()));
    }

    /** Which texts a page uses: about the person themselves (the youth) or about their child (a parent). */
    private static boolean kind(CitizenConsents.Item i) {
        return "YOUTH".equals(i.role());
    }

    /** The roles in words: "een ouder en Testkind zelf". */
    private String rollen(List<String> roles, String youth) {
        Tekst t = pages.tekst();
        List<String> words = new ArrayList<>();
        for (String r : roles) {
            words.add(switch (r) {
                case "PARENT" -> t.get("toestemming.rol.ouder");
                case "YOUTH" -> t.get("toestemming.rol.jongere", youth);
                default -> t.get("toestemming.rol.anders");
            });
        }
        return samen(words);
    }

    /** "a", "a en b", "a en b en c". */
    private String samen(List<String> words) {
        Tekst t = pages.tekst();
        String joined = words.get(0);
        for (String w : words.subList(1, words.size())) {
            joined = t.get("toestemming.en", joined, w);
        }
        return joined;
    }

    private static String status(String status) {
        return switch (status) {
            case "PENDING" -> Tekst.key("toestemming.status.open");
            case "GRANTED" -> Tekst.key("toestemming.status.gegeven");
            case "REFUSED" -> Tekst.key("toestemming.status.geweigerd");
            case "WITHDRAWN" -> Tekst.key("toestemming.status.ingetrokken");
            case "EXPIRED" -> Tekst.key("toestemming.status.verlopen");
            default -> Tekst.key("status.onbekend");
        };
    }

    private static String antwoord(@Nullable String answer) {
        if (answer == null) {
            return Tekst.key("toestemming.antwoord.geen");
        }
        return switch (answer) {
            case "GRANTED" -> Tekst.key("toestemming.antwoord.ja");
            case "REFUSED" -> Tekst.key("toestemming.antwoord.nee");
            default -> Tekst.key("status.onbekend");
        };
    }

    private static Onderdelen.Gegeven fact(String term, String value) {
        return new Onderdelen.Gegeven(term, value, null, null);
    }
}
