package nl.betrokken.node.match;

import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import io.micronaut.http.annotation.Part;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.validation.validator.Validator;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.node.account.Medewerker;
import nl.betrokken.node.account.Role;
import nl.betrokken.node.account.WerkplekSessions;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.consent.ConsentRequests;
import nl.betrokken.node.consent.ConsentRules;
import nl.betrokken.node.exchange.Exchanges;
import nl.betrokken.node.exchange.MessageRequest;
import nl.betrokken.node.exchange.MessageView;
import nl.betrokken.node.followup.FollowUpRequest;
import nl.betrokken.node.followup.FollowUpView;
import nl.betrokken.node.followup.FollowUps;
import nl.betrokken.node.signal.SignalService;
import nl.betrokken.node.signal.SignalView;
import nl.betrokken.node.signal.WerkplekSignalenController;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.node.web.WerkplekFouten;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;

/**
 * A match's page in the werkplek ({@code /werkplek/matches/{id}}), where the professional of this node's signal sees
 * whom to contact and works on the match, through the same services as the JSON API: the match
 * ({@link Matches#find}, {@code GET /api/v1/matches/{id}}), follow-up and regie ({@link FollowUps}), consent
 * ({@link ConsentRequests}) and messages ({@link Exchanges}). Each form posts to its own path and answers 303 back to
 * the page, or 422 with the page, the answers kept and the error at its field. The e-mails about a match link here.
 */
@Controller("/werkplek/matches/{id}")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekMatchController {

    static final String MATCH = "werkplek/match";
    private static final int NOTITIE_MAX = 200;
    private static final int TEKST_MAX = 10_000;
    /** The largest file a message takes, in MB, as the API says ({@code Exchanges.MAX_FILE_BYTES}). */
    private static final int BESTAND_MB = 5;

    private final Matches matches;
    private final SignalService signals;
    private final FollowUps followUps;
    private final ConsentRequests consents;
    private final Exchanges exchanges;
    private final WerkplekSessions sessions;
    private final Pages pages;
    private final Validator validator;

    WerkplekMatchController(Matches matches, SignalService signals, FollowUps followUps, ConsentRequests consents,
                            Exchanges exchanges, WerkplekSessions sessions, Pages pages, Validator validator) {
        this.matches = matches;
        this.signals = signals;
        this.followUps = followUps;
        this.consents = consents;
        this.exchanges = exchanges;
        this.sessions = sessions;
        this.pages = pages;
        this.validator = validator;
    }

    /** The follow-up form. */
    @Serdeable
    @Introspected
    record OpvolgingFormulier(@Nullable String csrf, @Nullable String uitkomst, @Nullable String contactOp,
                              @Nullable String reden, @Nullable String notitie) {
        @Override
        public String toString() {
            return "OpvolgingFormulier[redacted]";
        }
    }

    /** The consent form: why the professional asks. */
    @Serdeable
    @Introspected
    record ToestemmingFormulier(@Nullable String csrf, @Nullable String doel) {
        @Override
        public String toString() {
            return "ToestemmingFormulier[redacted]";
        }
    }

    /** The form that records consent given in person or on paper: who, on which day, how (optional). */
    @Serdeable
    @Introspected
    record VastleggenFormulier(@Nullable String csrf, @Nullable String wie, @Nullable String gegevenOp,
                               @Nullable String vorm) {
        @Override
        public String toString() {
            return "VastleggenFormulier[redacted]";
        }
    }

    /** A form with only the CSRF token. */
    @Serdeable
    @Introspected
    record Knop(@Nullable String csrf) {
    }

    /** One message as the page shows it. */
    public record Bericht(String kop, String tekst, @Nullable String uitzondering, @Nullable String bestandHref,
                          @Nullable String bestand) {
        @Override
        public String toString() {
            return "Bericht[redacted]";
        }
    }

    /**
     * The match's page: the facts, the counterpart, this side's follow-up with its form, regie, consent with its form,
     * messages with their form. The forms are shown while the match and the signal are active ({@code open}).
     */
    public record MatchPagina(String id, String csrf, String naam, String signaalHref, boolean open,
                              Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Gegevenslijst feiten,
                              @Nullable Onderdelen.Gegevenslijst contact, String opvolging, String regie,
                              boolean regieEigen, @Nullable Onderdelen.Tabel geschiedenis,
                              Onderdelen.Keuzerondjes uitkomst, Onderdelen.Invoerveld contactOp,
                              Onderdelen.Keuzerondjes reden, Onderdelen.Tekstvak notitie,
                              String toestemming, boolean toestemmingVragen, Onderdelen.Tekstvak doel,
                              boolean toestemmingVastleggen, Onderdelen.Keuzerondjes wie,
                              Onderdelen.Invoerveld gegevenOp, Onderdelen.Keuzerondjes vorm,
                              List<Bericht> berichten, Onderdelen.Tekstvak tekst, @Nullable String bestandFout,
                              Onderdelen.Tekstvak uitzondering) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        /** The file field's {@code aria-describedby}: its description, and its error when there is one. */
        public String bestandBeschreven() {
            return bestandFout == null ? "bestand-beschrijving" : "bestand-beschrijving bestand-fout";
        }

        @Override
        public String toString() {
            return "MatchPagina[redacted]";
        }
    }

    /** What a form sent back: the answers typed (by field) and the error keys (by field, in the page's order). */
    private record Invoer(Map<String, String> waarden, Map<String, String> fouten) {
        static Invoer leeg() {
            return new Invoer(Map.of(), Map.of());
        }
    }

    /**
     * The page; {@code ?bestand=te-groot} is where a message form over the node's request limit is sent
     * ({@code exchange/BodyLimit}, which does not read that body): the page, 422, with the error at the file field.
     */
    @Get
    HttpResponse<?> match(HttpRequest<?> request, @PathVariable String id, @QueryValue @Nullable String bestand) {
        Medewerker m = sessions.require(request, Role.PROFESSIONAL);
        if ("te-groot".equals(bestand)) {
            return opnieuw(request, m, uuid(id), new Invoer(Map.of(),
                    Map.of("bestand", Tekst.key("werkplek.bericht.fout.bestand.groot"))));
        }
        return HttpResponse.ok(pages.werkplek(request, m, MATCH, pagina(m, uuid(id), Invoer.leeg())));
    }

    @Post(value = "/opvolging", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> opvolging(HttpRequest<?> request, @PathVariable String id, @Body OpvolgingFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.PROFESSIONAL);
        UUID matchId = uuid(id);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("uitkomst", form.uitkomst());
        values.put("contactOp", form.contactOp());
        values.put("reden", form.reden());
        values.put("notitie", form.notitie());
        Map<String, String> errors = new LinkedHashMap<>();
        String outcome = switch (form.uitkomst() == null ? "" : form.uitkomst()) {
            case "contact" -> "CONTACT_MADE";
            case "niet-nodig" -> "NOT_NEEDED";
            case "regie" -> "TAKES_REGIE";
            default -> null;
        };
        LocalDate on = null;
        if (outcome == null) {
            errors.put("uitkomst", Tekst.key("werkplek.signalen.fout.uitkomst.leeg"));
        } else if (outcome.equals("CONTACT_MADE")) {
            Optional<LocalDate> typed = form.contactOp() == null ? Optional.empty() : Tekst.leesDatum(form.contactOp());
            if (typed.isEmpty()) {
                errors.put("contactOp", form.contactOp() == null || form.contactOp().isBlank()
                        ? Tekst.key("werkplek.signalen.fout.contactOp.leeg")
                        : Tekst.key("werkplek.signalen.fout.datum.ongeldig"));
            }
            on = typed.orElse(null);
        } else if (outcome.equals("NOT_NEEDED") && (form.reden() == null || form.reden().isBlank())) {
            errors.put("reden", Tekst.key("werkplek.signalen.fout.reden.leeg"));
        }
        if (errors.isEmpty()) {
            boolean notNeeded = outcome.equals("NOT_NEEDED");
            String note = notNeeded && form.notitie() != null && !form.notitie().isBlank() ? form.notitie().strip()
                    : null;
            FollowUpRequest followUp = new FollowUpRequest(outcome, on, notNeeded ? form.reden() : null, note);
            for (Problem.Violation v : Problems.violations(validator.validate(followUp))) {
                errors.putIfAbsent(opvolgingVeld(v.field()), opvolgingFout(v.field(), v.message()));
            }
            if (errors.isEmpty()) {
                try {
                    followUps.record(new FollowUps.Caller(m.username(), m.organisationId()), matchId, followUp);
                    return terug(matchId, "opvolging");
                } catch (ProblemException e) {
                    Problem p = e.problem();
                    if (p.status() == 404) {
                        throw nietGevonden();
                    }
                    if (p.status() == 409) {
                        errors.put("uitkomst", "TAKES_REGIE".equals(outcome) && p.type().endsWith("regie-held")
                                ? Tekst.key("werkplek.signalen.fout.regie.bezet") : p.type().endsWith("regie-held")
                                ? Tekst.key("werkplek.signalen.fout.regie.eerst-overdragen")
                                : Tekst.key("werkplek.signalen.fout.match.ingetrokken"));
                    } else if (p.status() == 400 && p.violations() != null && !p.violations().isEmpty()) {
                        Problem.Violation v = p.violations().get(0);
                        errors.put(opvolgingVeld(v.field()), opvolgingFout(v.field(), v.message()));
                    } else {
                        throw e;
                    }
                }
            }
        }
        return opnieuw(request, m, matchId, new Invoer(values, errors));
    }

    @Post(value = "/regie-overdragen", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> regieOverdragen(HttpRequest<?> request, @PathVariable String id, @Body Knop form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.PROFESSIONAL);
        UUID matchId = uuid(id);
        try {
            followUps.release(new FollowUps.Caller(m.username(), m.organisationId()), matchId);
        } catch (ProblemException e) {
            if (e.problem().status() == 404) {
                throw nietGevonden();
            }
            if (e.problem().status() != 409) {
                throw e;
            }
            // Not held (any more): the page shows who holds it now.
        }
        return terug(matchId, "opvolging");
    }

    @Post(value = "/toestemming", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> toestemming(HttpRequest<?> request, @PathVariable String id, @Body ToestemmingFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.PROFESSIONAL);
        UUID matchId = uuid(id);
        String purpose = form.doel() == null ? "" : form.doel().strip();
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            consents.ask(m.username(), m.organisationId(), matchId, purpose, NodeAudit.actor("prof", m.username()),
                    null);
            return terug(matchId, "toestemming");
        } catch (ProblemException e) {
            Problem p = e.problem();
            switch (p.status()) {
                case 400 -> errors.put("doel", purpose.isEmpty() ? Tekst.key("werkplek.signalen.fout.doel.leeg")
                        : Tekst.key("werkplek.signalen.fout.doel.lang"));
                case 404 -> throw nietGevonden();
                case 409 -> errors.put("doel", p.type().endsWith("consent-exists")
                        ? Tekst.key("werkplek.signalen.fout.toestemming.bestaat")
                        : Tekst.key("werkplek.signalen.fout.match.ingetrokken"));
                case 503 -> errors.put("doel", Tekst.key("werkplek.signalen.fout.onbereikbaar"));
                default -> throw e;
            }
        }
        return opnieuw(request, m, matchId, new Invoer(Map.of("doel", form.doel() == null ? "" : form.doel()),
                errors));
    }

    @Post(value = "/toestemming-vastleggen", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> toestemmingVastleggen(HttpRequest<?> request, @PathVariable String id,
                                          @Body VastleggenFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.PROFESSIONAL);
        UUID matchId = uuid(id);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("wie", form.wie());
        values.put("gegevenOp", form.gegevenOp());
        values.put("vorm", form.vorm());
        Map<String, String> errors = new LinkedHashMap<>();
        String by = form.wie() == null || form.wie().isBlank() ? null : form.wie();
        if (by == null) {
            errors.put("wie", Tekst.key("werkplek.toestemming.vastleggen.fout.wie.leeg"));
        }
        Optional<LocalDate> on = form.gegevenOp() == null ? Optional.empty() : Tekst.leesDatum(form.gegevenOp());
        if (on.isEmpty()) {
            errors.put("gegevenOp", form.gegevenOp() == null || form.gegevenOp().isBlank()
                    ? Tekst.key("werkplek.toestemming.vastleggen.fout.op.leeg")
                    : Tekst.key("werkplek.signalen.fout.datum.ongeldig"));
        }
        if (errors.isEmpty()) {
            try {
                // The match's current consent, read again now, through the service as the page shows it.
                ConsentRequests.View consent = consents.view(m.username(), m.organisationId(), matchId);
                if (consent.id() == null) {
                    throw Problems.conflict("consent-not-pending", "Consent not pending", "id", "no consent asked");
                }
                consents.record(m.username(), m.organisationId(), UUID.fromString(consent.id()), by, on.get(),
                        form.vorm() == null || form.vorm().isBlank() ? null : form.vorm());
                return terug(matchId, "toestemming");
            } catch (ProblemException e) {
                Problem p = e.problem();
                String field = p.violations() == null || p.violations().isEmpty() ? "" : p.violations().get(0).field();
                String message = p.violations() == null || p.violations().isEmpty() ? ""
                        : p.violations().get(0).message();
                switch (p.status()) {
                    case 400 -> {
                        if (field.equals("on")) {
                            errors.put("gegevenOp", message.contains("future")
                                    ? Tekst.key("werkplek.toestemming.vastleggen.fout.op.toekomst")
                                    : Tekst.key("werkplek.toestemming.vastleggen.fout.op.voor-vraag"));
                        } else if (field.equals("form")) {
                            errors.put("vorm", Tekst.key("werkplek.toestemming.vastleggen.fout.vorm"));
                        } else {
                            errors.put("wie", Tekst.key("werkplek.toestemming.vastleggen.fout.wie.leeg"));
                        }
                    }
                    case 404 -> throw nietGevonden();
                    case 403, 409, 410 -> errors.put("wie", Tekst.key("werkplek.toestemming.vastleggen.fout.niet-open"));
                    case 503 -> errors.put("wie", Tekst.key("werkplek.signalen.fout.onbereikbaar"));
                    default -> throw e;
                }
            }
        }
        return opnieuw(request, m, matchId, new Invoer(values, errors));
    }

    /**
     * A message, with a file if one was chosen (multipart/form-data): the API's request ({@link MessageRequest}, the
     * file in base64 as the API takes it), its Bean Validation, then {@link Exchanges#send}. A file over the API's
     * 5 MB is refused at the file field; so is a body over the node's request limit ({@link #teGroot}).
     */
    @Post(value = "/berichten", consumes = MediaType.MULTIPART_FORM_DATA)
    HttpResponse<?> bericht(HttpRequest<?> request, @PathVariable String id, @Part("csrf") @Nullable String csrf,
                            @Part("tekst") @Nullable String tekst, @Part("uitzondering") @Nullable String uitzondering,
                            @Part("bestand") @Nullable CompletedFileUpload bestand) throws java.io.IOException {
        Medewerker m = sessions.requirePost(request, csrf, Role.PROFESSIONAL);
        UUID matchId = uuid(id);
        String text = tekst == null ? "" : tekst.strip();
        String exception = uitzondering == null || uitzondering.isBlank() ? null : uitzondering.strip();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("tekst", tekst);
        values.put("uitzondering", uitzondering);
        Map<String, String> errors = new LinkedHashMap<>();
        MessageRequest.FileIn file = null;
        if (bestand != null && !(bestand.getFilename() == null || bestand.getFilename().isEmpty())) {
            file = new MessageRequest.FileIn(bestand.getFilename(),
                    bestand.getContentType().map(MediaType::toString).orElse(MediaType.APPLICATION_OCTET_STREAM),
                    java.util.Base64.getEncoder().encodeToString(bestand.getBytes()));
        }
        MessageRequest message = new MessageRequest(text, file,
                exception == null ? null : new MessageRequest.ExceptionIn(exception));
        boolean empty = file != null && bestand.getSize() == 0;
        for (Problem.Violation v : Problems.violations(validator.validate(message))) {
            berichtFout(errors, v, text, empty);
        }
        if (errors.isEmpty()) {
            try {
                exchanges.send(new Exchanges.Caller(m.username(), m.organisationId()), matchId, message);
                return terug(matchId, "berichten");
            } catch (ProblemException e) {
                Problem p = e.problem();
                switch (p.status()) {
                    case 400 -> {
                        if (p.violations() == null) {
                            throw e;
                        }
                        p.violations().forEach(v -> berichtFout(errors, v, text, empty));
                    }
                    case 403 -> errors.put("tekst", p.type().endsWith("consent-none")
                            ? Tekst.key("werkplek.signalen.fout.bericht.geen-toestemming")
                            : Tekst.key("werkplek.signalen.fout.bericht.toestemming"));
                    case 404 -> throw nietGevonden();
                    case 409, 410 -> errors.put("tekst", Tekst.key("werkplek.signalen.fout.match.ingetrokken"));
                    case 503 -> errors.put("tekst", Tekst.key("werkplek.signalen.fout.onbereikbaar"));
                    default -> throw e;
                }
            }
        }
        return opnieuw(request, m, matchId, new Invoer(values, errors));
    }

    /** The API's violation of a message at the page's field, in Dutch; a field keeps its first error. */
    private static void berichtFout(Map<String, String> errors, Problem.Violation v, String text, boolean empty) {
        if (v.field().startsWith("exception")) {
            errors.putIfAbsent("uitzondering", Tekst.key("werkplek.signalen.fout.uitzondering.lang"));
        } else if (v.field().startsWith("file.name")) {
            errors.putIfAbsent("bestand", Tekst.key("werkplek.bericht.fout.bestand.naam"));
        } else if (v.field().startsWith("file")) {
            errors.putIfAbsent("bestand", empty ? Tekst.key("werkplek.bericht.fout.bestand.leeg")
                    : Tekst.key("werkplek.bericht.fout.bestand.groot"));
        } else {
            errors.putIfAbsent("tekst", text.isEmpty() ? Tekst.key("werkplek.signalen.fout.tekst.leeg")
                    : Tekst.key("werkplek.signalen.fout.tekst.lang"));
        }
    }

    @Get(value = "/berichten/{messageId}/bestand", produces = MediaType.ALL)
    HttpResponse<byte[]> bestand(HttpRequest<?> request, @PathVariable String id, @PathVariable String messageId) {
        Medewerker m = sessions.require(request, Role.PROFESSIONAL);
        Exchanges.FileContent file;
        try {
            file = exchanges.file(new Exchanges.Caller(m.username(), m.organisationId()), uuid(id), uuid(messageId));
        } catch (ProblemException e) {
            if (e.problem().status() == 404) {
                throw nietGevonden();
            }
            throw e;
        }
        String name = file.name().replaceAll("[^A-Za-z0-9._ -]", "_");
        return HttpResponse.ok(file.content()).contentType(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .header("X-Content-Type-Options", "nosniff");
    }

    /** The page again, 422, with the answers and errors of the form that was sent. */
    private HttpResponse<?> opnieuw(HttpRequest<?> request, Medewerker m, UUID matchId, Invoer invoer) {
        return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, MATCH, pagina(m, matchId, invoer));
    }

    private static HttpResponse<?> terug(UUID matchId, String section) {
        return HttpResponse.seeOther(URI.create("/werkplek/matches/" + matchId + "#" + section));
    }

    /** The page, read through the services (each read is recorded by them). */
    private MatchPagina pagina(Medewerker m, UUID matchId, Invoer invoer) {
        Tekst t = pages.tekst();
        MatchView match = matches.find(m.username(), m.organisationId(), matchId)
                .orElseThrow(WerkplekMatchController::nietGevonden);
        SignalView signal = signals.find(new SignalService.Caller(m.username(), m.organisationId()), match.signalId())
                .orElseThrow(WerkplekMatchController::nietGevonden);
        boolean open = "ACTIVE".equals(match.status()) && "ACTIVE".equals(signal.status());

        List<Onderdelen.Gegeven> facts = new ArrayList<>();
        facts.add(fact(t.get("werkplek.match.soort"), t.get(WerkplekSignalenController.soort(match.type()))));
        facts.add(fact(t.get("werkplek.match.regio"), t.get(match.crossRegion()
                ? Tekst.key("werkplek.match.regio.ander") : Tekst.key("werkplek.match.regio.zelfde"))));
        facts.add(fact(t.get("werkplek.match.status"), t.get(WerkplekSignalenController.matchStatus(match.status()))));
        facts.add(fact(t.get("werkplek.match.sinds"), t.moment(match.createdAt())));
        Onderdelen.Gegevenslijst contact = null;
        if (match.counterpart() != null) {
            Contact c = match.counterpart();
            contact = new Onderdelen.Gegevenslijst(List.of(
                    fact(t.get("werkplek.match.contact.organisatie"), c.organisation()),
                    fact(t.get("werkplek.match.contact.hulpverlener"), c.professional()),
                    fact(t.get("werkplek.match.contact.email"), c.email() == null
                            ? t.get("werkplek.match.contact.geen") : c.email()),
                    fact(t.get("werkplek.match.contact.telefoon"), c.phone() == null
                            ? t.get("werkplek.match.contact.geen") : c.phone())));
        }

        FollowUps.Caller caller = new FollowUps.Caller(m.username(), m.organisationId());
        FollowUpView followUp = followUps.find(caller, matchId);
        String regie = followUp.regie() == null ? t.get("werkplek.regie.niemand")
                : "OWN".equals(followUp.regie()) ? t.get("werkplek.regie.eigen") : t.get("werkplek.regie.ander");
        Onderdelen.Tabel history = null;
        if (!followUp.history().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (FollowUpView.Entry e : followUp.history()) {
                String what = t.get(WerkplekSignalenController.opvolging(e.outcome()));
                if (e.on() != null) {
                    what = t.get("werkplek.opvolging.contact.op", t.datum(e.on()));
                } else if (e.reason() != null) {
                    what = t.get("werkplek.opvolging.niet-nodig.omdat", t.get(reden(e.reason())));
                }
                rows.add(List.of(t.moment(e.recordedAt()), what, e.note() == null ? "" : e.note(), e.recordedBy()));
            }
            history = new Onderdelen.Tabel(t.get("werkplek.opvolging.geschiedenis"), List.of(
                    t.get("werkplek.opvolging.wanneer"), t.get("werkplek.opvolging.wat"),
                    t.get("werkplek.opvolging.notitie"), t.get("werkplek.opvolging.door")), rows);
        }

        String consentText;
        boolean ask = false;
        List<String> recordable = List.of();
        try {
            ConsentRequests.View consent = consents.view(m.username(), m.organisationId(), matchId);
            consentText = t.get(toestemming(consent.status()));
            ask = open && !"PENDING".equals(consent.status()) && !"GRANTED".equals(consent.status());
            if (open && "PENDING".equals(consent.status()) && consent.id() != null) {
                recordable = consents.recordable(m.organisationId(), UUID.fromString(consent.id()));
            }
            if (consent.validUntil() != null && "GRANTED".equals(consent.status())) {
                consentText = t.get("werkplek.toestemming.gegeven.tot", t.datum(consent.validUntil()));
            }
        } catch (ProblemException e) {
            consentText = e.problem().status() == 503 ? t.get("werkplek.toestemming.onbereikbaar")
                    : t.get("werkplek.toestemming.niet-meer");
        }

        List<Bericht> messages = new ArrayList<>();
        for (MessageView msg : exchanges.list(new Exchanges.Caller(m.username(), m.organisationId()), matchId)
                .items()) {
            String direction = "SENT".equals(msg.direction()) ? Tekst.key("werkplek.bericht.verstuurd")
                    : Tekst.key("werkplek.bericht.ontvangen");
            String head = t.get(direction, t.moment(msg.at()), msg.from().professional(),
                    msg.from().organisation());
            messages.add(new Bericht(head, msg.text(), msg.exception() ? msg.exceptionReason() : null,
                    msg.file() == null ? null : "/werkplek/matches/" + matchId + "/berichten/" + msg.id() + "/bestand",
                    msg.file() == null ? null : msg.file().name()));
        }

        Map<String, String> values = invoer.waarden();
        Map<String, String> errors = new LinkedHashMap<>();
        invoer.fouten().forEach((field, key) -> errors.put(field, t.get(key, NOTITIE_MAX,
                ConsentRequests.MAX_PURPOSE, TEKST_MAX, BESTAND_MB)));
        List<Onderdelen.Fout> summary = new ArrayList<>();
        errors.forEach((field, text) -> summary.add(new Onderdelen.Fout("#" + field, text)));
        String chosen = values.get("uitkomst");
        String reason = values.get("reden");
        List<Onderdelen.Keuze> who = new ArrayList<>();
        for (String role : recordable) {
            String label = role.equals(ConsentRules.PARENT) ? Tekst.key("werkplek.toestemming.vastleggen.wie.ouder")
                    : Tekst.key("werkplek.toestemming.vastleggen.wie.jongere");
            who.add(new Onderdelen.Keuze(role, t.get(label), null, role.equals(values.get("wie"))));
        }
        return new MatchPagina(matchId.toString(), m.csrf(), signal.youth().name(), "/werkplek/signalen/" + signal.id(),
                open, new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"), summary),
                new Onderdelen.Gegevenslijst(facts), contact,
                t.get(WerkplekSignalenController.opvolging(followUp.outcome())), regie, "OWN".equals(followUp.regie()),
                history,
                new Onderdelen.Keuzerondjes("uitkomst", "uitkomst", t.get("werkplek.opvolging.vraag"), null, List.of(
                        new Onderdelen.Keuze("contact", t.get("werkplek.opvolging.keuze.contact"), null,
                                "contact".equals(chosen)),
                        new Onderdelen.Keuze("niet-nodig", t.get("werkplek.opvolging.keuze.niet-nodig"), null,
                                "niet-nodig".equals(chosen)),
                        new Onderdelen.Keuze("regie", t.get("werkplek.opvolging.keuze.regie"),
                                t.get("werkplek.opvolging.keuze.regie.uitleg"), "regie".equals(chosen))),
                        errors.get("uitkomst")),
                new Onderdelen.Invoerveld("contactOp", "contactOp", t.get("werkplek.opvolging.contact-op"),
                        t.get("werkplek.signalen.datum-uitleg"), values.get("contactOp"), errors.get("contactOp"), "off",
                        "text"),
                new Onderdelen.Keuzerondjes("reden", "reden", t.get("werkplek.opvolging.reden"), null, List.of(
                        new Onderdelen.Keuze("ALREADY_IN_CONTACT", t.get(reden("ALREADY_IN_CONTACT")), null,
                                "ALREADY_IN_CONTACT".equals(reason)),
                        new Onderdelen.Keuze("NO_LONGER_INVOLVED", t.get(reden("NO_LONGER_INVOLVED")), null,
                                "NO_LONGER_INVOLVED".equals(reason)),
                        new Onderdelen.Keuze("OTHER", t.get(reden("OTHER")), null, "OTHER".equals(reason))),
                        errors.get("reden")),
                new Onderdelen.Tekstvak("notitie", "notitie", t.get("werkplek.opvolging.notitie.label"), false,
                        t.get("werkplek.opvolging.notitie.uitleg", NOTITIE_MAX), values.get("notitie"),
                        errors.get("notitie"), 3),
                consentText, ask,
                new Onderdelen.Tekstvak("doel", "doel", t.get("werkplek.toestemming.doel"), false,
                        t.get("werkplek.toestemming.doel.uitleg"), values.get("doel"), errors.get("doel"), 3),
                !recordable.isEmpty(),
                new Onderdelen.Keuzerondjes("wie", "wie", t.get("werkplek.toestemming.vastleggen.wie"), null, who,
                        errors.get("wie")),
                new Onderdelen.Invoerveld("gegevenOp", "gegevenOp", t.get("werkplek.toestemming.vastleggen.op"),
                        t.get("werkplek.signalen.datum-uitleg"), values.get("gegevenOp"), errors.get("gegevenOp"),
                        "off", "text"),
                new Onderdelen.Keuzerondjes("vorm", "vorm", t.get("werkplek.toestemming.vastleggen.vorm"),
                        t.get("werkplek.toestemming.vastleggen.vorm.uitleg"), List.of(
                        new Onderdelen.Keuze("MONDELING", t.get("werkplek.toestemming.vastleggen.vorm.mondeling"), null,
                                "MONDELING".equals(values.get("vorm"))),
                        new Onderdelen.Keuze("SCHRIFTELIJK",
                                t.get("werkplek.toestemming.vastleggen.vorm.schriftelijk"), null,
                                "SCHRIFTELIJK".equals(values.get("vorm")))),
                        errors.get("vorm")),
                messages,
                new Onderdelen.Tekstvak("tekst", "tekst", t.get("werkplek.bericht.tekst"), false,
                        t.get("werkplek.bericht.tekst.uitleg"), values.get("tekst"), errors.get("tekst"), 6),
                errors.get("bestand"),
                new Onderdelen.Tekstvak("uitzondering", "uitzondering", t.get("werkplek.bericht.uitzondering"), false,
                        t.get("werkplek.bericht.uitzondering.uitleg"), values.get("uitzondering"),
                        errors.get("uitzondering"), 3));
    }

    private static String opvolgingVeld(String field) {
        return switch (field) {
            case "on" -> "contactOp";
            case "reason" -> "reden";
            case "note" -> "notitie";
            default -> "uitkomst";
        };
    }

    private static String opvolgingFout(String field, @Nullable String message) {
        return switch (field) {
            case "on" -> message != null && message.contains("future")
                    ? Tekst.key("werkplek.signalen.fout.contactOp.toekomst")
                    : Tekst.key("werkplek.signalen.fout.contactOp.voor-match");
            case "reason" -> Tekst.key("werkplek.signalen.fout.reden.leeg");
            case "note" -> Tekst.key("werkplek.signalen.fout.notitie.lang");
            default -> Tekst.key("werkplek.signalen.fout.uitkomst.leeg");
        };
    }

    private static String reden(String reason) {
        return switch (reason) {
            case "ALREADY_IN_CONTACT" -> Tekst.key("werkplek.opvolging.reden.al-contact");
            case "NO_LONGER_INVOLVED" -> Tekst.key("werkplek.opvolging.reden.niet-meer");
            default -> Tekst.key("werkplek.opvolging.reden.anders");
        };
    }

    private static String toestemming(String status) {
        return switch (status) {
            case "NONE" -> Tekst.key("werkplek.toestemming.geen");
            case "PENDING" -> Tekst.key("werkplek.toestemming.gevraagd");
            case "GRANTED" -> Tekst.key("werkplek.toestemming.gegeven");
            case "REFUSED" -> Tekst.key("werkplek.toestemming.geweigerd");
            case "WITHDRAWN" -> Tekst.key("werkplek.toestemming.ingetrokken");
            case "EXPIRED" -> Tekst.key("werkplek.toestemming.verlopen");
            default -> Tekst.key("werkplek.toestemming.beeindigd");
        };
    }

    private static Onderdelen.Gegeven fact(String term, String value) {
        return new Onderdelen.Gegeven(term, value, null, null);
    }

    private static UUID uuid(String id) {
        try {
            if (id.length() == 36) {
                return UUID.fromString(id);
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw nietGevonden();
    }

    private static WerkplekFouten.Fout nietGevonden() {
        return WerkplekFouten.nietGevonden(Tekst.key("werkplek.signalen.fout.match.titel"),
                Tekst.key("werkplek.signalen.fout.match.tekst"));
    }
}
