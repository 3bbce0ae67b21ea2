package nl.betrokken.node.objection;

import static nl.betrokken.node.objection.PortaalBezwaarController.fact;

import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The gemeente's objections in the werkplek, through the same {@link Objections} as {@code /api/v1/objections}: the
 * list ({@code /werkplek/bezwaren}: open ones first with their deadline, overdue marked, then the decided ones), one
 * objection ({@code /werkplek/bezwaren/{id}}) with asking the professional's advice and the decision form, and the
 * check page before an upheld decision ({@code /controleren}), which erases the signal. Every POST answers 303, or
 * 422 with the same page, the answers kept and the errors at the field.
 */
@Controller("/werkplek/bezwaren")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekBezwarenController {

    static final String LIJST = "werkplek/bezwaar-lijst";
    static final String BEZWAAR = "werkplek/bezwaar";
    static final String CONTROLEREN = "werkplek/bezwaar-controleren";
    static final String PAD = "/werkplek/bezwaren";

    private static final Map<String, String> MELDINGEN = Map.of(
            "advies", Tekst.key("werkplek.bezwaar.melding.advies"),
            "afgewezen", Tekst.key("werkplek.bezwaar.melding.afgewezen"),
            "toegewezen", Tekst.key("werkplek.bezwaar.melding.toegewezen"));

    private final Objections objections;
    private final BesluitConcepten concepten;
    private final WerkplekSessions sessions;
    private final Pages pages;
    private final Clock clock;

    WerkplekBezwarenController(Objections objections, BesluitConcepten concepten, WerkplekSessions sessions,
                               Pages pages, Clock clock) {
        this.objections = objections;
        this.concepten = concepten;
        this.sessions = sessions;
        this.pages = pages;
        this.clock = clock;
    }

    @Serdeable
    @Introspected
    record Formulier(@Nullable String csrf) {
    }

    @Serdeable
    @Introspected
    record BesluitFormulier(@Nullable String csrf, @Nullable String uitkomst, @Nullable String motivering) {
        @Override
        public String toString() {
            return "BesluitFormulier[redacted]";
        }
    }

    /** One objection in the list: when filed (a link to it), its deadline or outcome in words, and its advice. */
    public record Rij(String ingediend, String href, String termijn, boolean teLaat, String advies) {
    }

    /** The list: a message, the open objections (oldest deadline first), the decided ones. */
    public record LijstPagina(@Nullable Onderdelen.Melding melding, List<Rij> open, List<Rij> besloten) {
        @Override
        public String toString() {
            return "LijstPagina[redacted]";
        }
    }

    /**
     * One objection: its facts, the advice, the form to ask it (while it can be asked) and the decision form (while
     * open).
     */
    public record BezwaarPagina(String titel, @Nullable Onderdelen.Melding melding,
                                Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Gegevenslijst gegevens,
                                boolean teLaat, Onderdelen.Gegevenslijst advies, @Nullable Onderdelen.Knop adviesVragen,
                                boolean open, String besluitActie, String csrf, Onderdelen.Keuzerondjes uitkomst,
                                Onderdelen.Tekstvak motivering) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "BezwaarPagina[redacted]";
        }
    }

    /** The check before an upheld decision: the decision, what it does, the button, the way back to change it. */
    public record ControlePagina(Onderdelen.Gegevenslijst besluit, Onderdelen.Knop knop, String terug) {
        @Override
        public String toString() {
            return "ControlePagina[redacted]";
        }
    }

    @Get
    ModelAndView<?> lijst(HttpRequest<?> request, @QueryValue @Nullable String melding) {
        Medewerker m = sessions.require(request, Role.GEMEENTE);
        Tekst t = pages.tekst();
        LocalDate today = LocalDate.now(clock);
        List<Rij> open = new ArrayList<>();
        List<Rij> besloten = new ArrayList<>();
        for (ObjectionView o : objections.forGemeente(m.username())) {
            String ingediend = t.get("werkplek.bezwaar.lijst.ingediend", t.datum(o.filedOn()));
            if (o.decidedOn() == null) {
                open.add(new Rij(ingediend, PAD + "/" + o.id(), termijn(o.deadline(), today),
                        today.isAfter(o.deadline()), advies(o)));
            } else {
                besloten.add(new Rij(ingediend, PAD + "/" + o.id(), t.get(uitkomst(o))
                        + ", " + t.datum(o.decidedOn()), false, advies(o)));
            }
        }
        return pages.werkplek(request, m, LIJST, new LijstPagina(melding(melding), open, besloten));
    }

    @Get("/{id}")
    ModelAndView<?> bezwaar(HttpRequest<?> request, @PathVariable String id, @QueryValue @Nullable String melding) {
        Medewerker m = sessions.require(request, Role.GEMEENTE);
        UUID objection = id(id);
        ObjectionView o = read(m, objection);
        BesluitConcepten.Concept concept = concepten.find(m.idHash(), objection).orElse(null);
        return pages.werkplek(request, m, BEZWAAR, pagina(m, o, melding(melding), List.of(),
                concept == null ? null : concept.outcome(), concept == null ? null : concept.motivation(), null, null));
    }

    @Post(value = "/{id}/advies", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> adviesVragen(HttpRequest<?> request, @PathVariable String id, @Body Formulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.GEMEENTE);
        UUID objection = id(id);
        try {
            objections.askAdvice(m.username(), objection);
        } catch (ProblemException e) {
            if (e.problem().status() != 409) {
                throw fout(e);
            }
            Tekst t = pages.tekst();
            return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, BEZWAAR, pagina(m,
                    read(m, objection), null, List.of(new Onderdelen.Fout("#advies",
                            t.get(Tekst.key("werkplek.bezwaar.fout.advies")))), null, null, null, null));
        }
        return HttpResponse.seeOther(URI.create(PAD + "/" + objection + "?melding=advies"));
    }

    @Post(value = "/{id}/besluit", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> besluit(HttpRequest<?> request, @PathVariable String id, @Body BesluitFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.GEMEENTE);
        UUID objection = id(id);
        Tekst t = pages.tekst();
        String outcome = form.uitkomst();
        String motivation = form.motivering() == null ? "" : form.motivering();
        String outcomeError = null;
        String motivationError = null;
        try {
            Objections.validOutcome(outcome);
        } catch (ProblemException e) {
            outcomeError = t.get(Tekst.key("werkplek.bezwaar.fout.uitkomst"));
        }
        try {
            Objections.validMotivation(motivation);
        } catch (ProblemException e) {
            motivationError = motivation.isBlank() ? t.get(Tekst.key("werkplek.bezwaar.fout.motivering.leeg"))
                    : t.get(Tekst.key("werkplek.bezwaar.fout.motivering.lang"), ObjectionRequests.REASON_MAX);
        }
        if (outcomeError != null || motivationError != null) {
            List<Onderdelen.Fout> errors = new ArrayList<>();
            if (outcomeError != null) {
                errors.add(new Onderdelen.Fout("#uitkomst", outcomeError));
            }
            if (motivationError != null) {
                errors.add(new Onderdelen.Fout("#motivering", motivationError));
            }
            return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, BEZWAAR, pagina(m,
                    read(m, objection), null, errors, outcome, motivation, outcomeError, motivationError));
        }
        if (Objections.UPHELD.equals(outcome)) {
            read(m, objection);
            concepten.save(m.idHash(), objection, outcome, motivation);
            return HttpResponse.seeOther(URI.create(PAD + "/" + objection + "/controleren"));
        }
        return decide(request, m, objection, outcome, motivation, "afgewezen");
    }

    @Get("/{id}/controleren")
    HttpResponse<?> controleren(HttpRequest<?> request, @PathVariable String id) {
        Medewerker m = sessions.require(request, Role.GEMEENTE);
        UUID objection = id(id);
        ObjectionView o = read(m, objection);
        BesluitConcepten.Concept concept = concepten.find(m.idHash(), objection).orElse(null);
        if (concept == null || o.decidedOn() != null) {
            return HttpResponse.seeOther(URI.create(PAD + "/" + objection));
        }
        Tekst t = pages.tekst();
        String self = PAD + "/" + objection;
        Onderdelen.Gegevenslijst besluit = new Onderdelen.Gegevenslijst(List.of(
                new Onderdelen.Gegeven(t.get("werkplek.bezwaar.ingediend"), t.datum(o.filedOn()), null, null),
                new Onderdelen.Gegeven(t.get("werkplek.bezwaar.besluit"), t.get("werkplek.bezwaar.uitkomst.UPHELD"),
                        self + "#uitkomst", t.get("werkplek.bezwaar.controleren.wijzigen.besluit")),
                new Onderdelen.Gegeven(t.get("werkplek.bezwaar.motivering"), concept.motivation(),
                        self + "#motivering", t.get("werkplek.bezwaar.controleren.wijzigen.motivering"))));
        return HttpResponse.ok(pages.werkplek(request, m, CONTROLEREN, new ControlePagina(besluit,
                new Onderdelen.Knop(self + "/controleren", m.csrf(), t.get("werkplek.bezwaar.controleren.knop"), true),
                self)));
    }

    @Post(value = "/{id}/controleren", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> toewijzen(HttpRequest<?> request, @PathVariable String id, @Body Formulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.GEMEENTE);
        UUID objection = id(id);
        BesluitConcepten.Concept concept = concepten.find(m.idHash(), objection).orElse(null);
        if (concept == null) {
            return HttpResponse.seeOther(URI.create(PAD + "/" + objection));
        }
        return decide(request, m, objection, concept.outcome(), concept.motivation(), "toegewezen");
    }

    private HttpResponse<?> decide(HttpRequest<?> request, Medewerker m, UUID objection, String outcome,
                                   String motivation, String melding) {
        try {
            objections.decide(m.username(), objection, outcome, motivation);
        } catch (ProblemException e) {
            if (e.problem().status() != 409) {
                throw fout(e);
            }
            return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, BEZWAAR, pagina(m,
                    read(m, objection), null, List.of(new Onderdelen.Fout("#besluit",
                            pages.tekst().get(Tekst.key("werkplek.bezwaar.fout.besloten")))), null, null, null, null));
        }
        concepten.drop(m.idHash(), objection);
        return HttpResponse.seeOther(URI.create(PAD + "/" + objection + "?melding=" + melding));
    }

    private BezwaarPagina pagina(Medewerker m, ObjectionView o, @Nullable Onderdelen.Melding melding,
                                 List<Onderdelen.Fout> fouten, @Nullable String outcome, @Nullable String motivation,
                                 @Nullable String outcomeError, @Nullable String motivationError) {
        Tekst t = pages.tekst();
        LocalDate today = LocalDate.now(clock);
        boolean open = o.decidedOn() == null;
        List<Onderdelen.Gegeven> facts = new ArrayList<>();
        facts.add(fact(t.get("werkplek.bezwaar.status"), t.get(open ? Tekst.key("werkplek.bezwaar.status.open")
                : uitkomst(o))));
        facts.add(fact(t.get("werkplek.bezwaar.regio"), o.node()));
        facts.add(fact(t.get("werkplek.bezwaar.signaal"), o.signalId()));
        facts.add(fact(t.get("werkplek.bezwaar.ingediend"), t.datum(o.filedOn())));
        if (open) {
            facts.add(fact(t.get("werkplek.bezwaar.termijn"), termijn(o.deadline(), today)));
        } else {
            facts.add(fact(t.get("werkplek.bezwaar.beslist-op"), t.datum(o.decidedOn())));
        }
        facts.add(fact(t.get("werkplek.bezwaar.reden"), o.reason()));
        if (o.motivation() != null) {
            facts.add(fact(t.get("werkplek.bezwaar.motivering"), o.motivation()));
        }
        List<Onderdelen.Gegeven> advice = new ArrayList<>();
        advice.add(fact(t.get("werkplek.bezwaar.advies.gevraagd"), o.adviceAskedOn() == null
                ? t.get("werkplek.bezwaar.advies.niet-gevraagd") : t.datum(o.adviceAskedOn())));
        if (o.advisedOn() != null) {
            advice.add(fact(t.get("werkplek.bezwaar.advies.gegeven"), t.datum(o.advisedOn())));
            advice.add(fact(t.get("werkplek.bezwaar.advies"), o.advice() == null ? "" : o.advice()));
        }
        String self = PAD + "/" + o.id();
        Onderdelen.Knop ask = !open || o.advisedOn() != null ? null : new Onderdelen.Knop(self + "/advies", m.csrf(),
                t.get(o.adviceAskedOn() == null ? Tekst.key("werkplek.bezwaar.advies.knop")
                        : Tekst.key("werkplek.bezwaar.advies.opnieuw")), false);
        Onderdelen.Keuzerondjes choice = new Onderdelen.Keuzerondjes("uitkomst", "uitkomst",
                t.get("werkplek.bezwaar.uitkomst.legenda"), null, List.of(
                        new Onderdelen.Keuze(Objections.REJECTED, t.get("werkplek.bezwaar.uitkomst.REJECTED"),
                                t.get("werkplek.bezwaar.uitkomst.REJECTED.uitleg"),
                                Objections.REJECTED.equals(outcome)),
                        new Onderdelen.Keuze(Objections.UPHELD, t.get("werkplek.bezwaar.uitkomst.UPHELD"),
                                t.get("werkplek.bezwaar.uitkomst.UPHELD.uitleg"), Objections.UPHELD.equals(outcome))),
                outcomeError);
        Onderdelen.Tekstvak text = new Onderdelen.Tekstvak("motivering", "motivering",
                t.get("werkplek.bezwaar.motivering.label"), false,
                t.get("werkplek.bezwaar.motivering.beschrijving", ObjectionRequests.REASON_MAX), motivation,
                motivationError, 6);
        return new BezwaarPagina(t.get("werkplek.bezwaar.titel", t.datum(o.filedOn())), melding,
                new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"), fouten),
                new Onderdelen.Gegevenslijst(facts), open && today.isAfter(o.deadline()),
                new Onderdelen.Gegevenslijst(advice), ask, open, self + "/besluit", m.csrf(), choice, text);
    }

    /** The deadline in words: the date and how many days are left, or that it is today, or how late it is. */
    private String termijn(LocalDate deadline, LocalDate today) {
        return pages.tekst().termijn(deadline, today, Tekst.key("werkplek.bezwaar.termijn.nog"),
                Tekst.key("werkplek.bezwaar.termijn.vandaag"), Tekst.key("werkplek.bezwaar.termijn.te-laat"));
    }

    private String advies(ObjectionView o) {
        Tekst t = pages.tekst();
        if (o.advisedOn() != null) {
            return t.get(Tekst.key("werkplek.bezwaar.lijst.advies.gegeven"), t.datum(o.advisedOn()));
        }
        if (o.adviceAskedOn() != null) {
            return t.get(Tekst.key("werkplek.bezwaar.lijst.advies.gevraagd"), t.datum(o.adviceAskedOn()));
        }
        return t.get(Tekst.key("werkplek.bezwaar.advies.niet-gevraagd"));
    }

    private static String uitkomst(ObjectionView o) {
        return switch (o.status()) {
            case Objections.UPHELD -> Tekst.key("werkplek.bezwaar.uitkomst.UPHELD");
            case Objections.REJECTED -> Tekst.key("werkplek.bezwaar.uitkomst.REJECTED");
            case ClosedObjections.CLOSED -> ClosedObjections.SIGNAL_WITHDRAWN.equals(o.closedBecause())
                    ? Tekst.key("werkplek.bezwaar.uitkomst.ingetrokken") : Tekst.key("werkplek.bezwaar.uitkomst.gewist");
            default -> Tekst.key("werkplek.bezwaar.status.open");
        };
    }

    private @Nullable Onderdelen.Melding melding(@Nullable String melding) {
        String key = melding == null ? null : MELDINGEN.get(melding);
        return key == null ? null : new Onderdelen.Melding("ok", null, pages.tekst().get(key));
    }

    private ObjectionView read(Medewerker m, UUID objection) {
        try {
            return objections.oneForGemeente(m.username(), objection);
        } catch (ProblemException e) {
            throw fout(e);
        }
    }

    private static RuntimeException fout(ProblemException e) {
        return e.problem().status() == 404 ? nietGevonden() : WerkplekFouten.onbereikbaar();
    }

    private static WerkplekFouten.Fout nietGevonden() {
        return WerkplekFouten.nietGevonden(Tekst.key("werkplek.bezwaar.niet-gevonden.titel"),
                Tekst.key("werkplek.bezwaar.niet-gevonden.tekst"));
    }

    /** The objection's id, by the API's rule; anything else is an objection that is not there. */
    private static UUID id(String text) {
        try {
            return Objections.objectionId(text);
        } catch (ProblemException e) {
            throw nietGevonden();
        }
    }
}
