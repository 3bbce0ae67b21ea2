package nl.betrokken.node.signal;

import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
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
import jakarta.validation.Validator;
import nl.betrokken.node.account.Accounts;
import nl.betrokken.node.account.Medewerker;
import nl.betrokken.node.account.Role;
import nl.betrokken.node.account.WerkplekSessions;
import nl.betrokken.node.staff.StaffMember;
import nl.betrokken.node.staff.StaffService;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;

/**
 * The professional's pages for changing a signal after registration, through the same services as the API
 * ({@link SignalChanges}, {@link StaffService#handOver}): correct the name, birth date and parents
 * ({@code /werkplek/signalen/{id}/corrigeren}), withdraw a signal made in error after a check page that names the
 * consequence ({@code …/intrekken}, then {@code …/ingetrokken}), hand it to a colleague ({@code …/overdragen}). Every
 * POST answers 303, or 422 with the same page, the answers kept and the errors in Dutch by key from the API's rules.
 */
@Controller("/werkplek/signalen")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekWijzigController {

    static final String CORRIGEREN = "werkplek/wijzig-corrigeren";
    static final String INTREKKEN = "werkplek/wijzig-intrekken";
    static final String INGETROKKEN = "werkplek/wijzig-ingetrokken";
    static final String OVERDRAGEN = "werkplek/wijzig-overdragen";
    private static final String PAD = "/werkplek/signalen/";
    /** The longest name the API takes ({@link SignalCorrection}). */
    private static final int NAAM_MAX = 200;
    /** Parent fields on the form: the registration page's two, or as many as the signal has (the API takes four). */
    private static final int OUDERS_MIN = 2;
    /** A date in a field as the page asks for it ({@link Tekst#leesDatum} reads it back). */
    private static final DateTimeFormatter DATUM_INVOER = DateTimeFormatter.ofPattern("d-M-yyyy");

    private final SignalChanges changes;
    private final SignalService signals;
    private final StaffService staff;
    private final Accounts accounts;
    private final WerkplekSessions sessions;
    private final Pages pages;
    private final Validator validator;

    WerkplekWijzigController(SignalChanges changes, SignalService signals, StaffService staff, Accounts accounts,
                             WerkplekSessions sessions, Pages pages, Validator validator) {
        this.changes = changes;
        this.signals = signals;
        this.staff = staff;
        this.accounts = accounts;
        this.sessions = sessions;
        this.pages = pages;
        this.validator = validator;
    }

    /** The correction form: name, birth date and up to four parents' BSNs. */
    @Serdeable
    @Introspected
    record CorrigeerFormulier(@Nullable String csrf, @Nullable String naam, @Nullable String geboortedatum,
                              @Nullable String ouder1, @Nullable String ouder2, @Nullable String ouder3,
                              @Nullable String ouder4) {
        List<String> ouders() {
            List<String> all = new ArrayList<>();
            for (String o : new String[] {ouder1, ouder2, ouder3, ouder4}) {
                all.add(o == null ? "" : o.strip());
            }
            return all;
        }

        @Override
        public String toString() {
            return "CorrigeerFormulier[redacted]";
        }
    }

    /** The correction page: the BSN that stays, the fields, errors, and the way back. */
    public record CorrigeerPagina(String actie, String csrf, String terug, String intrekken, String bsn,
                                  Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Invoerveld naam,
                                  Onderdelen.Invoerveld geboortedatum, List<Onderdelen.Invoerveld> ouders) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "CorrigeerPagina[redacted]";
        }
    }

    /** A form with only the CSRF token and, for the withdrawal, the confirmation box. */
    @Serdeable
    @Introspected
    record IntrekFormulier(@Nullable String csrf, @Nullable String zeker) {
    }

    /** The check page before a withdrawal: which signal, what happens, the confirmation box. */
    public record IntrekPagina(String actie, String csrf, String terug, Onderdelen.Gegevenslijst signaal,
                               Onderdelen.Foutsamenvatting samenvatting, @Nullable String zekerFout) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "IntrekPagina[redacted]";
        }
    }

    /** After the withdrawal: nothing of the signal is left to show. */
    public record IngetrokkenPagina() {
    }

    @Serdeable
    @Introspected
    record OverdraagFormulier(@Nullable String csrf, @Nullable String collega) {
    }

    /** The hand-over page: who has the signal now, the colleagues to choose from (none: a notice, no form). */
    public record OverdraagPagina(String actie, String csrf, String terug, String nu, boolean kanKiezen,
                                  Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Keuzerondjes collega) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "OverdraagPagina[redacted]";
        }
    }

    @Get("/{id}/corrigeren")
    HttpResponse<?> corrigeren(HttpRequest<?> request, @PathVariable String id) {
        Medewerker m = sessions.require(request, Role.PROFESSIONAL);
        SignalChanges.Current current = current(m, id);
        if (!"ACTIVE".equals(current.signal().status())) {
            return HttpResponse.seeOther(URI.create(PAD + id));
        }
        List<String> ouders = new ArrayList<>(current.parents());
        while (ouders.size() < 4) {
            ouders.add(null);
        }
        SignalView s = current.signal();
        CorrigeerFormulier form = new CorrigeerFormulier(null, s.youth().name(),
                DATUM_INVOER.format(s.youth().birthDate()), ouders.get(0), ouders.get(1), ouders.get(2),
                ouders.get(3));
        return HttpResponse.ok(pages.werkplek(request, m, CORRIGEREN,
                corrigeerPagina(m, s, form, Math.max(OUDERS_MIN, current.parents().size()), Map.of())));
    }

    @Post(value = "/{id}/corrigeren", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> corrigeerd(HttpRequest<?> request, @PathVariable String id, @Body CorrigeerFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.PROFESSIONAL);
        SignalView s = find(m, id);
        Map<String, String> errors = new LinkedHashMap<>();
        String naam = form.naam() == null ? "" : form.naam().strip();
        if (naam.isEmpty()) {
            errors.put("naam", Tekst.key("werkplek.signalen.fout.naam.leeg"));
        }
        LocalDate birth = null;
        String typed = form.geboortedatum() == null ? "" : form.geboortedatum().strip();
        if (typed.isEmpty()) {
            errors.put("geboortedatum", Tekst.key("werkplek.signalen.fout.geboortedatum.leeg"));
        } else {
            Optional<LocalDate> parsed = Tekst.leesDatum(typed);
            if (parsed.isEmpty()) {
                errors.put("geboortedatum", Tekst.key("werkplek.signalen.fout.datum.ongeldig"));
            } else {
                birth = parsed.get();
            }
        }
        // Only the filled-in parent fields are sent, in order; sent[i] is the form's field of the API's parents[i].
        List<RegisterSignalRequest.Parent> parents = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < form.ouders().size(); i++) {
            if (!form.ouders().get(i).isEmpty()) {
                parents.add(new RegisterSignalRequest.Parent(form.ouders().get(i)));
                sent.add("ouder" + (i + 1));
            }
        }
        SignalCorrection correction = new SignalCorrection(
                new SignalCorrection.Youth(null, birth, naam.isEmpty() ? null : naam), parents);
        // The API's checks: first its request record's, then the service's.
        for (Problem.Violation v : Problems.violations(validator.validate(correction))) {
            put(errors, v, sent);
        }
        if (errors.isEmpty()) {
            try {
                changes.correct(WerkplekSignalenController.caller(m), s.id(), correction);
                return HttpResponse.seeOther(URI.create(PAD + s.id()));
            } catch (ProblemException e) {
                Problem p = e.problem();
                if (p.status() == 404) {
                    throw WerkplekSignalenController.nietGevonden();
                } else if (p.status() == 409) {
                    errors.put("naam", Tekst.key("werkplek.wijzig.fout.niet-actief"));
                } else if (p.status() == 400 && p.violations() != null) {
                    p.violations().forEach(v -> put(errors, v, sent));
                } else {
                    throw e;
                }
            }
        }
        int shown = Math.max(OUDERS_MIN, (int) form.ouders().stream().filter(o -> !o.isEmpty()).count());
        for (int i = 0; i < form.ouders().size(); i++) {
            if (!form.ouders().get(i).isEmpty() || errors.containsKey("ouder" + (i + 1))) {
                shown = Math.max(shown, i + 1);
            }
        }
        return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, CORRIGEREN,
                corrigeerPagina(m, s, form, shown, errors));
    }

    @Get("/{id}/intrekken")
    ModelAndView<?> intrekken(HttpRequest<?> request, @PathVariable String id) {
        Medewerker m = sessions.require(request, Role.PROFESSIONAL);
        return pages.werkplek(request, m, INTREKKEN, intrekPagina(m, find(m, id), null));
    }

    @Post(value = "/{id}/intrekken", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> ingetrokken(HttpRequest<?> request, @PathVariable String id, @Body IntrekFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.PROFESSIONAL);
        SignalView s = find(m, id);
        if (!"ja".equals(form.zeker())) {
            return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, INTREKKEN,
                    intrekPagina(m, s, Tekst.key("werkplek.intrekken.fout.zeker")));
        }
        try {
            changes.withdraw(WerkplekSignalenController.caller(m), s.id());
        } catch (ProblemException e) {
            if (e.problem().status() == 404) {
                throw WerkplekSignalenController.nietGevonden();
            }
            throw e;
        }
        return HttpResponse.seeOther(URI.create(PAD + s.id() + "/ingetrokken"));
    }

    @Get("/{id}/ingetrokken")
    ModelAndView<?> bevestiging(HttpRequest<?> request, @PathVariable String id) {
        Medewerker m = sessions.require(request, Role.PROFESSIONAL);
        return pages.werkplek(request, m, INGETROKKEN, new IngetrokkenPagina());
    }

    @Get("/{id}/overdragen")
    ModelAndView<?> overdragen(HttpRequest<?> request, @PathVariable String id) {
        Medewerker m = sessions.require(request, Role.PROFESSIONAL);
        return pages.werkplek(request, m, OVERDRAGEN, overdraagPagina(m, find(m, id), null, null));
    }

    @Post(value = "/{id}/overdragen", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> overgedragen(HttpRequest<?> request, @PathVariable String id, @Body OverdraagFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.PROFESSIONAL);
        SignalView s = find(m, id);
        String chosen = form.collega() == null ? "" : form.collega().strip();
        String error;
        if (chosen.isEmpty() || !validator.validate(new HandOver(chosen)).isEmpty()) {
            error = Tekst.key("werkplek.overdragen.fout.leeg");
        } else {
            try {
                staff.handOver(new StaffService.Caller(m.username(), m.organisationId()), s.id(), chosen);
                return HttpResponse.seeOther(URI.create(PAD + s.id()));
            } catch (ProblemException e) {
                if (e.problem().status() == 404) {
                    throw WerkplekSignalenController.nietGevonden();
                }
                if (e.problem().status() != 400 && e.problem().status() != 409) {
                    throw e;
                }
                error = Tekst.key("werkplek.overdragen.fout.collega");
            }
        }
        return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, OVERDRAGEN,
                overdraagPagina(m, s, chosen, error));
    }

    private SignalChanges.Current current(Medewerker m, String id) {
        try {
            return changes.current(WerkplekSignalenController.caller(m), uuid(id));
        } catch (ProblemException e) {
            throw WerkplekSignalenController.nietGevonden();
        }
    }

    /** The caller's organisation's signal {@code id} (read through the service, which records it), or the 404 page. */
    private SignalView find(Medewerker m, String id) {
        return signals.find(WerkplekSignalenController.caller(m), uuid(id)).orElseThrow(
                WerkplekSignalenController::nietGevonden);
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw WerkplekSignalenController.nietGevonden();
        }
    }

    /** The API's violation at the form's field, in Dutch; a field with an error keeps its first. */
    private static void put(Map<String, String> errors, Problem.Violation v, List<String> sent) {
        String field = v.field();
        String message = v.message() == null ? "" : v.message();
        if (field.startsWith("parents[")) {
            int index = Integer.parseInt(field.substring("parents[".length(), field.indexOf(']')));
            errors.putIfAbsent(index < sent.size() ? sent.get(index) : "ouder1", message.contains("own BSN")
                    ? Tekst.key("werkplek.signalen.fout.ouder.jongere") : message.contains("more than once")
                    ? Tekst.key("werkplek.signalen.fout.ouder.dubbel")
                    : Tekst.key("werkplek.signalen.fout.ouder.ongeldig"));
        } else if (field.equals("youth.birthDate")) {
            errors.putIfAbsent("geboortedatum", message.contains("future")
                    ? Tekst.key("werkplek.signalen.fout.geboortedatum.toekomst")
                    : Tekst.key("werkplek.signalen.fout.geboortedatum.te-oud"));
        } else {
            errors.putIfAbsent("naam", Tekst.key("werkplek.signalen.fout.naam.lang"));
        }
    }

    private CorrigeerPagina corrigeerPagina(Medewerker m, SignalView s, CorrigeerFormulier form, int ouders,
                                            Map<String, String> errorKeys) {
        Tekst t = pages.tekst();
        Map<String, String> errors = new LinkedHashMap<>();
        errorKeys.forEach((field, key) -> errors.put(field, t.get(key, NAAM_MAX)));
        List<Onderdelen.Fout> summary = new ArrayList<>();
        for (String field : List.of("naam", "geboortedatum", "ouder1", "ouder2", "ouder3", "ouder4")) {
            if (errors.containsKey(field)) {
                summary.add(new Onderdelen.Fout("#" + field, errors.get(field)));
            }
        }
        List<Onderdelen.Invoerveld> parentFields = new ArrayList<>();
        for (int i = 0; i < ouders; i++) {
            String field = "ouder" + (i + 1);
            parentFields.add(new Onderdelen.Invoerveld(field, field, t.get("werkplek.corrigeren.ouder", i + 1), null,
                    form.ouders().get(i), errors.get(field), "off", "numeric"));
        }
        String self = PAD + s.id();
        return new CorrigeerPagina(self + "/corrigeren", m.csrf(), self, self + "/intrekken", s.youth().bsn(),
                new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"), summary),
                new Onderdelen.Invoerveld("naam", "naam", t.get("werkplek.corrigeren.naam"), null, form.naam(),
                        errors.get("naam"), "off", "text"),
                new Onderdelen.Invoerveld("geboortedatum", "geboortedatum", t.get("werkplek.corrigeren.geboortedatum"),
                        t.get("werkplek.signalen.datum-uitleg"), form.geboortedatum(), errors.get("geboortedatum"),
                        "off", "text"),
                parentFields);
    }

    private IntrekPagina intrekPagina(Medewerker m, SignalView s, @Nullable String errorKey) {
        Tekst t = pages.tekst();
        String error = errorKey == null ? null : t.get(errorKey);
        String self = PAD + s.id();
        return new IntrekPagina(self + "/intrekken", m.csrf(), self, new Onderdelen.Gegevenslijst(List.of(
                fact(t.get("werkplek.signaal.naam"), s.youth().name()),
                fact(t.get("werkplek.signaal.geboortedatum"), t.datum(s.youth().birthDate())),
                fact(t.get("werkplek.signaal.geregistreerd"), t.datum(s.registeredOn())),
                fact(t.get("werkplek.signaal.hulpverlener"), naam(s.professional())))),
                new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"),
                        error == null ? List.of() : List.of(new Onderdelen.Fout("#zeker", error))), error);
    }

    private OverdraagPagina overdraagPagina(Medewerker m, SignalView s, @Nullable String chosen,
                                            @Nullable String errorKey) {
        Tekst t = pages.tekst();
        String error = errorKey == null ? null : t.get(errorKey);
        List<Onderdelen.Keuze> choices = new ArrayList<>();
        for (StaffMember colleague : staff.colleagues(new StaffService.Caller(m.username(), m.organisationId()))) {
            if (!colleague.username().equals(s.professional())) {
                choices.add(new Onderdelen.Keuze(colleague.username(), colleague.displayName(), colleague.email(),
                        colleague.username().equals(chosen)));
            }
        }
        String self = PAD + s.id();
        return new OverdraagPagina(self + "/overdragen", m.csrf(), self,
                t.get("werkplek.overdragen.nu", naam(s.professional())), !choices.isEmpty(),
                new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"),
                        error == null ? List.of() : List.of(new Onderdelen.Fout("#collega", error))),
                new Onderdelen.Keuzerondjes("collega", "collega", t.get("werkplek.overdragen.collega"), null, choices,
                        error));
    }

    private String naam(String username) {
        return accounts.find(username).map(a -> a.displayName()).orElse(username);
    }

    private static Onderdelen.Gegeven fact(String term, String value) {
        return new Onderdelen.Gegeven(term, value, null, null);
    }
}
