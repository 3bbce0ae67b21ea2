package nl.betrokken.node.objection;

import java.io.IOException;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.node.account.PortalSessions;
import nl.betrokken.node.inzage.CitizenInzage;
import nl.betrokken.node.inzage.InzageItem;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.PaginaFout;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.ProblemException;

/**
 * Bezwaar in the portal, one thing per page, through the same services as {@code POST /api/v1/objections}: the reason
 * ({@code /portaal/signalen/{node}/{id}/bezwaar}), an e-mail address to be told of the decision, if the person wants
 * that ({@code /portaal/bezwaar/email}), the check page ({@code /portaal/bezwaar/controleren}, with a
 * "Wijzigen" link), the confirmation ({@code /portaal/bezwaar/verstuurd}) and the person's objections with their
 * outcome ({@code /portaal/bezwaren}). The objection being written is kept with the session (sealed), never in a URL.
 * Every POST answers 303, or 422 with the same page, the answers kept and the errors in Dutch by key.
 */
@Controller("/portaal")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class PortaalBezwaarController {

    static final String REDEN = "portaal/bezwaar-reden";
    static final String EMAIL = "portaal/bezwaar-email";
    static final String CONTROLEREN = "portaal/bezwaar-controleren";
    static final String VERSTUURD = "portaal/bezwaar-verstuurd";
    static final String BEZWAREN = "portaal/bezwaren";
    private static final String EMAIL_PAD = "/portaal/bezwaar/email";
    private static final String CONTROLEREN_PAD = "/portaal/bezwaar/controleren";
    private static final String VERSTUURD_PAD = "/portaal/bezwaar/verstuurd";

    private final CitizenObjections objections;
    private final CitizenInzage inzage;
    private final PortalSessions sessions;
    private final Pages pages;
    private final JsonMapper json;

    PortaalBezwaarController(CitizenObjections objections, CitizenInzage inzage, PortalSessions sessions, Pages pages,
                             JsonMapper json) {
        this.objections = objections;
        this.inzage = inzage;
        this.sessions = sessions;
        this.pages = pages;
        this.json = json;
    }

    /**
     * The objection being written, kept (sealed) with the session: the reason and the e-mail address (optional; blank
     * when the person wants none); after filing, its id and deadline.
     */
    @Serdeable
    record Concept(String node, String signalId, String kind, String organisatie, @Nullable String reden,
                   @Nullable String ingediend, @Nullable LocalDate deadline, @Nullable String email) {
        @Override
        public String toString() {
            return "Concept[redacted]";
        }
    }

    @Serdeable
    @Introspected
    record Formulier(@Nullable String csrf, @Nullable String reden) {
        @Override
        public String toString() {
            return "Formulier[redacted]";
        }
    }

    /** The reason page: which signal, the textarea (its label is the page's heading), errors, the way back. */
    public record RedenPagina(String actie, String csrf, String terug, String kind, String organisatie,
                              Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Tekstvak reden) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "RedenPagina[redacted]";
        }
    }

    /** A form with the e-mail address. */
    @Serdeable
    @Introspected
    record EmailFormulier(@Nullable String csrf, @Nullable String email) {
        @Override
        public String toString() {
            return "EmailFormulier[redacted]";
        }
    }

    /** The e-mail page: the field (optional), errors. */
    public record EmailPagina(String csrf, Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Invoerveld email) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "EmailPagina[redacted]";
        }
    }

    /** The check page: the answers with a "Wijzigen" link, and the button that files the objection. */
    public record ControlePagina(String csrf, Onderdelen.Gegevenslijst antwoorden,
                                 Onderdelen.Foutsamenvatting samenvatting) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "ControlePagina[redacted]";
        }
    }

    /** The confirmation: which signal, and the date by which the gemeente decides. */
    public record BevestigingPagina(String kind, String organisatie, String beslistVoor) {
        @Override
        public String toString() {
            return "BevestigingPagina[redacted]";
        }
    }

    /** One objection with its outcome, text in Dutch. */
    public record BezwaarRegel(String kop, Onderdelen.Gegevenslijst gegevens) {
        @Override
        public String toString() {
            return "BezwaarRegel[redacted]";
        }
    }

    /** The person's objections, newest first, and the regions that did not answer. */
    public record BezwarenPagina(List<BezwaarRegel> bezwaren, @Nullable Onderdelen.Melding onbereikbaar) {
    }

    @Get("/signalen/{node}/{id}/bezwaar")
    ModelAndView<?> reden(HttpRequest<?> request, @PathVariable String node, @PathVariable String id) {
        PortalSessions.Session session = sessions.require(request);
        InzageItem item = visible(session, node, id);
        String kept = concept(session).filter(c -> c.node().equals(node) && c.signalId().equals(id)
                && c.ingediend() == null).map(Concept::reden).orElse(null);
        return pages.view(request, session, REDEN, redenPagina(session, item, kept, null));
    }

    @Post(value = "/signalen/{node}/{id}/bezwaar", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> redenOpslaan(HttpRequest<?> request, @PathVariable String node, @PathVariable String id,
                                 @Body Formulier form) {
        PortalSessions.Session session = sessions.requirePost(request, form.csrf());
        InzageItem item = visible(session, node, id);
        String reason = form.reden() == null ? "" : form.reden();
        try {
            Objections.validReason(reason);
        } catch (ProblemException e) {
            return pages.status(HttpStatus.UNPROCESSABLE_ENTITY, request, session, REDEN,
                    redenPagina(session, item, reason, reasonError(reason)));
        }
        String email = concept(session).filter(c -> c.node().equals(node) && c.signalId().equals(id)
                && c.ingediend() == null).map(Concept::email).orElse(null);
        save(session, new Concept(node, id, item.youth().name(), item.organisation(), reason.strip(), null, null,
                email));
        return HttpResponse.seeOther(URI.create(EMAIL_PAD));
    }

    @Get("/bezwaar/email")
    HttpResponse<?> email(HttpRequest<?> request) {
        PortalSessions.Session session = sessions.require(request);
        Optional<Concept> concept = concept(session).filter(c -> c.reden() != null && c.ingediend() == null);
        if (concept.isEmpty()) {
            return HttpResponse.seeOther(URI.create(PortalSessions.OVERVIEW));
        }
        return HttpResponse.ok(pages.view(request, session, EMAIL,
                emailPagina(session, concept.get().email(), null)));
    }

    @Post(value = "/bezwaar/email", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> emailOpslaan(HttpRequest<?> request, @Body EmailFormulier form) {
        PortalSessions.Session session = sessions.requirePost(request, form.csrf());
        Optional<Concept> draft = concept(session).filter(c -> c.reden() != null && c.ingediend() == null);
        if (draft.isEmpty()) {
            return HttpResponse.seeOther(URI.create(PortalSessions.OVERVIEW));
        }
        String typed = form.email() == null ? "" : form.email();
        String address;
        try {
            address = Objections.validEmail(typed);
        } catch (ProblemException e) {
            return pages.status(HttpStatus.UNPROCESSABLE_ENTITY, request, session, EMAIL,
                    emailPagina(session, typed, Tekst.key("fout.email")));
        }
        Concept c = draft.get();
        save(session, new Concept(c.node(), c.signalId(), c.kind(), c.organisatie(), c.reden(), null, null, address));
        return HttpResponse.seeOther(URI.create(CONTROLEREN_PAD));
    }

    @Get("/bezwaar/controleren")
    HttpResponse<?> controleren(HttpRequest<?> request) {
        PortalSessions.Session session = sessions.require(request);
        Optional<Concept> concept = concept(session).filter(c -> c.reden() != null && c.ingediend() == null);
        if (concept.isEmpty()) {
            return HttpResponse.seeOther(URI.create(PortalSessions.OVERVIEW));
        }
        return HttpResponse.ok(pages.view(request, session, CONTROLEREN, controlePagina(session, concept.get(), null)));
    }

    @Post(value = "/bezwaar/controleren", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> indienen(HttpRequest<?> request, @Body Formulier form) {
        PortalSessions.Session session = sessions.requirePost(request, form.csrf());
        Optional<Concept> draft = concept(session).filter(c -> c.reden() != null && c.ingediend() == null);
        if (draft.isEmpty()) {
            return HttpResponse.seeOther(URI.create(PortalSessions.OVERVIEW));
        }
        Concept c = draft.get();
        ObjectionView.Filed filed;
        try {
            filed = objections.file(session.person(), new ObjectionRequests.File(c.node(), c.signalId(), c.reden(),
                    c.email()));
        } catch (ProblemException e) {
            Problem p = e.problem();
            String error = switch (p.status()) {
                case 404 -> throw PaginaFout.nietGevonden();
                case 409 -> Tekst.key("fout.bezwaar.bestaat");
                case 400 -> p.violations() != null && p.violations().stream().anyMatch(v -> v.field().equals("reason"))
                        ? reasonError(c.reden())
                        : p.violations() != null && p.violations().stream().anyMatch(v -> v.field().equals("email"))
                        ? Tekst.key("fout.email") : Tekst.key("fout.bezwaar.signaal");
                default -> throw PaginaFout.onbereikbaar();
            };
            return pages.status(HttpStatus.UNPROCESSABLE_ENTITY, request, session, CONTROLEREN,
                    controlePagina(session, c, error));
        }
        save(session, new Concept(c.node(), c.signalId(), c.kind(), c.organisatie(), null, filed.id(),
                filed.deadline(), null));
        return HttpResponse.seeOther(URI.create(VERSTUURD_PAD));
    }

    @Get("/bezwaar/verstuurd")
    HttpResponse<?> verstuurd(HttpRequest<?> request) {
        PortalSessions.Session session = sessions.require(request);
        Optional<Concept> filed = concept(session).filter(c -> c.ingediend() != null && c.deadline() != null);
        if (filed.isEmpty()) {
            return HttpResponse.seeOther(URI.create(PortalSessions.OVERVIEW));
        }
        Concept c = filed.get();
        return HttpResponse.ok(pages.view(request, session, VERSTUURD,
                new BevestigingPagina(c.kind(), c.organisatie(), pages.tekst().datum(c.deadline()))));
    }

    @Get("/bezwaren")
    ModelAndView<?> bezwaren(HttpRequest<?> request) {
        PortalSessions.Session session = sessions.require(request);
        ObjectionView.Page page;
        try {
            page = objections.list(session.person());
        } catch (ProblemException e) {
            throw PaginaFout.onbereikbaar();
        }
        Tekst t = pages.tekst();
        List<BezwaarRegel> rows = new ArrayList<>();
        for (ObjectionView o : page.items()) {
            List<Onderdelen.Gegeven> facts = new ArrayList<>();
            facts.add(fact(t.get("bezwaren.regio"), o.node()));
            facts.add(fact(t.get("bezwaren.status"), t.get(status(o))));
            if (o.decidedOn() == null) {
                facts.add(fact(t.get("bezwaren.beslist-voor"), t.datum(o.deadline())));
            } else {
                facts.add(fact(t.get(ClosedObjections.CLOSED.equals(o.status()) ? Tekst.key("bezwaar.afgesloten-op")
                        : Tekst.key("bezwaren.beslist-op")), t.datum(o.decidedOn())));
            }
            facts.add(fact(t.get("bezwaren.reden"), o.reason()));
            if (o.motivation() != null) {
                facts.add(fact(t.get("bezwaren.motivering"), o.motivation()));
            }
            rows.add(new BezwaarRegel(t.get("bezwaren.kop", t.datum(o.filedOn())), new Onderdelen.Gegevenslijst(facts)));
        }
        Onderdelen.Melding unavailable = page.unavailable().isEmpty() ? null : new Onderdelen.Melding("warning",
                t.get("onbereikbaar.kop"), t.get("onbereikbaar.tekst", String.join(", ", page.unavailable())));
        return pages.view(request, session, BEZWAREN, new BezwarenPagina(rows, unavailable));
    }

    /** A row of a data list without a change link (also the werkplek's objection page). */
    static Onderdelen.Gegeven fact(String term, String value) {
        return new Onderdelen.Gegeven(term, value, null, null);
    }

    private static String status(ObjectionView o) {
        return switch (o.status()) {
            case "OPEN" -> Tekst.key("bezwaar.status.open");
            case "UPHELD" -> Tekst.key("bezwaar.status.toegewezen");
            case "REJECTED" -> Tekst.key("bezwaar.status.afgewezen");
            case ClosedObjections.CLOSED -> ClosedObjections.SIGNAL_WITHDRAWN.equals(o.closedBecause())
                    ? Tekst.key("bezwaar.status.afgesloten.ingetrokken") : Tekst.key("bezwaar.status.afgesloten.gewist");
            default -> Tekst.key("status.onbekend");
        };
    }

    /** The error key for a reason the API would refuse (the same rule: {@link Objections#validReason}). */
    private static String reasonError(String reason) {
        if (reason == null || reason.isBlank()) {
            return Tekst.key("fout.reden.leeg");
        }
        return reason.strip().length() < ObjectionRequests.REASON_MIN ? Tekst.key("fout.reden.kort")
                : Tekst.key("fout.reden.lang");
    }

    private InzageItem visible(PortalSessions.Session session, String node, String id) {
        InzageItem.Page found;
        try {
            found = inzage.signals(session.person());
        } catch (ProblemException e) {
            throw PaginaFout.onbereikbaar();
        }
        return found.items().stream().filter(i -> i.node().equals(node) && i.id().equals(id)).findFirst()
                .orElseThrow(() -> found.unavailable().contains(node) ? PaginaFout.onbereikbaar()
                        : PaginaFout.nietGevonden());
    }

    private RedenPagina redenPagina(PortalSessions.Session session, InzageItem item, @Nullable String value,
                                    @Nullable String errorKey) {
        Tekst t = pages.tekst();
        String error = errorKey == null ? null : t.get(errorKey, ObjectionRequests.REASON_MIN,
                ObjectionRequests.REASON_MAX);
        String self = "/portaal/signalen/" + item.node() + "/" + item.id();
        return new RedenPagina(self + "/bezwaar", session.csrf(), self, item.youth().name(), item.organisation(),
                new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"),
                        error == null ? List.of() : List.of(new Onderdelen.Fout("#reden", error))),
                new Onderdelen.Tekstvak("reden", "reden", t.get("bezwaar-reden.titel"), true,
                        t.get("bezwaar-reden.beschrijving", ObjectionRequests.REASON_MIN), value, error, 8));
    }

    private EmailPagina emailPagina(PortalSessions.Session session, @Nullable String value, @Nullable String errorKey) {
        Tekst t = pages.tekst();
        String error = errorKey == null ? null : t.get(errorKey);
        return new EmailPagina(session.csrf(), new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"),
                error == null ? List.of() : List.of(new Onderdelen.Fout("#email", error))),
                new Onderdelen.Invoerveld("email", "email", t.get("bezwaar-email.label"),
                        t.get("bezwaar-email.beschrijving"), value, error, "email", "email"));
    }

    private ControlePagina controlePagina(PortalSessions.Session session, Concept c, @Nullable String errorKey) {
        Tekst t = pages.tekst();
        String change = "/portaal/signalen/" + c.node() + "/" + c.signalId() + "/bezwaar";
        List<Onderdelen.Gegeven> rows = List.of(
                new Onderdelen.Gegeven(t.get("bezwaar-controleren.signaal"),
                        t.get("bezwaar-controleren.signaal.waarde", c.kind(), c.organisatie()), null, null),
                new Onderdelen.Gegeven(t.get("bezwaar-controleren.reden"), c.reden(), change,
                        t.get("bezwaar-controleren.wijzigen")),
                new Onderdelen.Gegeven(t.get("bezwaar-controleren.email"), c.email() == null
                        ? t.get("bezwaar-controleren.email.geen") : c.email(), EMAIL_PAD,
                        t.get("bezwaar-controleren.wijzigen.email")));
        String error = errorKey == null ? null : t.get(errorKey, ObjectionRequests.REASON_MIN,
                ObjectionRequests.REASON_MAX);
        return new ControlePagina(session.csrf(), new Onderdelen.Gegevenslijst(rows),
                new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"),
                        error == null ? List.of() : List.of(new Onderdelen.Fout(change, error))));
    }

    private Optional<Concept> concept(PortalSessions.Session session) {
        if (session.draft() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(session.draft(), Concept.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private void save(PortalSessions.Session session, Concept concept) {
        try {
            sessions.saveDraft(session, json.writeValueAsString(concept));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the objection being written", e);
        }
    }
}
