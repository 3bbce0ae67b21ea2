package nl.betrokken.node.signal;

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
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.validation.validator.Validator;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.node.account.Account;
import nl.betrokken.node.account.Accounts;
import nl.betrokken.node.account.Medewerker;
import nl.betrokken.node.account.Role;
import nl.betrokken.node.account.WerkplekSessions;
import nl.betrokken.node.inzage.PortaalTeksten;
import nl.betrokken.node.match.MatchView;
import nl.betrokken.node.match.Matches;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.node.web.WerkplekFouten;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;

/**
 * The professional's signals in the werkplek, through the same service as {@code /api/v1/signals}
 * ({@link SignalService}): the lists ({@code /werkplek/signalen}: the caller's own; {@code ?alle}: the organisation's),
 * registering ({@code /werkplek/signalen/nieuw}), a signal's page with its matches ({@code /werkplek/signalen/{id}})
 * and ending it with a reason ({@code /werkplek/signalen/{id}/beeindigen}). A form is checked by the API's rules: its
 * request record's Bean Validation, then the service's own checks; each refusal is shown at its field in Dutch, by key.
 */
@Controller("/werkplek/signalen")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekSignalenController {

    static final String LIJST = "werkplek/signaal-lijst";
    static final String NIEUW = "werkplek/signaal-nieuw";
    static final String SIGNAAL = "werkplek/signaal";
    static final String BEEINDIGEN = "werkplek/signaal-beeindigen";
    static final String VELD = "werkplek/signaal-nieuw-veld";
    private static final String PAD = "/werkplek/signalen";
    private static final List<String> GRONDEN = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l");
    /** The registration form's fields, in the order of the page (and of its error summary). */
    private static final List<String> VELDEN = List.of("naam", "bsn", "geboortedatum", "ouder1", "ouder2", "ouder3",
            "ouder4", "grond", "geinformeerd", "geinformeerdOp", "redenNiet");
    /** The longest name and reasons the API takes ({@link RegisterSignalRequest}, {@link EndSignalRequest}). */
    private static final int NAAM_MAX = 200;
    private static final int REDEN_MAX = 500;

    private final SignalService signals;
    private final Matches matches;
    private final Accounts accounts;
    private final WerkplekSessions sessions;
    private final Pages pages;
    private final Validator validator;

    WerkplekSignalenController(SignalService signals, Matches matches, Accounts accounts, WerkplekSessions sessions,
                               Pages pages, Validator validator) {
        this.signals = signals;
        this.matches = matches;
        this.accounts = accounts;
        this.sessions = sessions;
        this.pages = pages;
        this.validator = validator;
    }

    /** One signal in a list: its page, the youth, the ground, the status and dates in words. */
    public record SignaalRegel(String href, String naam, String geboortedatum, String grond, String status,
                               String geregistreerd, String hulpverlener) {
        @Override
        public String toString() {
            return "SignaalRegel[redacted]";
        }
    }

    /** The list: the caller's own signals, or ({@code alle}) the organisation's. */
    public record LijstPagina(boolean alle, List<SignaalRegel> signalen) {
        public String titel() {
            return alle ? Tekst.key("werkplek.signalen.alle.titel") : Tekst.key("werkplek.signalen.titel");
        }
    }

    /** The registration form, with the answers kept and each error at its field. */
    @Serdeable
    @Introspected
    record NieuwFormulier(@Nullable String csrf, @Nullable String naam, @Nullable String bsn,
                          @Nullable String geboortedatum, @Nullable String ouder1, @Nullable String ouder2,
                          @Nullable String ouder3, @Nullable String ouder4,
                          @Nullable String grond, @Nullable String geinformeerd, @Nullable String geinformeerdOp,
                          @Nullable String redenNiet) {
        static final NieuwFormulier LEEG = new NieuwFormulier(null, null, null, null, null, null, null, null, null,
                null, null, null);

        /** The parent fields as typed, first to fourth (the API takes up to four parents). */
        List<String> ouders() {
            return java.util.Arrays.asList(ouder1, ouder2, ouder3, ouder4);
        }

        /** What was typed in {@code field} (one of {@link #VELDEN}). */
        @Nullable
        String waarde(String field) {
            return switch (field) {
                case "naam" -> naam;
                case "bsn" -> bsn;
                case "geboortedatum" -> geboortedatum;
                case "ouder1" -> ouder1;
                case "ouder2" -> ouder2;
                case "ouder3" -> ouder3;
                case "ouder4" -> ouder4;
                case "grond" -> grond;
                case "geinformeerd" -> geinformeerd;
                case "geinformeerdOp" -> geinformeerdOp;
                case "redenNiet" -> redenNiet;
                default -> null;
            };
        }

        @Override
        public String toString() {
            return "NieuwFormulier[redacted]";
        }
    }

    /** The registration page. */
    public record NieuwPagina(String csrf, Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Invoerveld naam,
                              Onderdelen.Invoerveld bsn, Onderdelen.Invoerveld geboortedatum,
                              Onderdelen.Invoerveld ouder1, Onderdelen.Invoerveld ouder2,
                              Onderdelen.Invoerveld ouder3, Onderdelen.Invoerveld ouder4,
                              Onderdelen.Keuzerondjes grond, Onderdelen.Keuzerondjes geinformeerd,
                              Onderdelen.Invoerveld geinformeerdOp, Onderdelen.Tekstvak redenNiet) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        /** The third and fourth parent are behind "Nog een ouder toevoegen", open when one of them has an answer. */
        public boolean meerOudersOpen() {
            return ouder3.waarde() != null && !ouder3.waarde().isBlank() || ouder3.fout() != null
                    || ouder4.waarde() != null && !ouder4.waarde().isBlank() || ouder4.fout() != null;
        }

        @Override
        public String toString() {
            return "NieuwPagina[redacted]";
        }
    }

    /**
     * One field of the registration form, alone, as the check as the person types answers it
     * ({@code signaal-nieuw-veld.jte}): exactly one of the three is set.
     */
    public record VeldPagina(@Nullable Onderdelen.Invoerveld invoerveld, @Nullable Onderdelen.Keuzerondjes keuzes,
                             @Nullable Onderdelen.Tekstvak tekstvak) {
        @Override
        public String toString() {
            return "VeldPagina[redacted]";
        }
    }

    /** One match of the signal: its page, its kind, the other side's organisation, status and follow-up in words. */
    public record MatchRegel(String href, String soort, String organisatie, String status, String opvolging) {
    }

    /**
     * A signal's page: the facts, its matches, and what the caller can do with it ({@code signaal-acties.jte}:
     * {@code id}, {@code actief}).
     */
    public record SignaalPagina(String id, String naam, boolean actief, boolean nieuw, Onderdelen.Gegevenslijst feiten,
                                List<MatchRegel> matches) {
        @Override
        public String toString() {
            return "SignaalPagina[redacted]";
        }
    }

    /** The form that ends a signal. */
    @Serdeable
    @Introspected
    record BeeindigFormulier(@Nullable String csrf, @Nullable String reden) {
        @Override
        public String toString() {
            return "BeeindigFormulier[redacted]";
        }
    }

    /** The page that ends a signal: the reason (its label is the h1), errors, the way back. */
    public record BeeindigPagina(String actie, String csrf, String terug, String naam,
                                 Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Tekstvak reden) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "BeeindigPagina[redacted]";
        }
    }

    @Get
    ModelAndView<?> lijst(HttpRequest<?> request, @QueryValue @Nullable String alle) {
        Medewerker m = sessions.require(request, Role.PROFESSIONAL);
        boolean all = alle != null;
        Tekst t = pages.tekst();
        List<SignaalRegel> rows = new ArrayList<>();
        for (SignalView s : signals.list(caller(m), !all)) {
            rows.add(new SignaalRegel(PAD + "/" + s.id(), s.youth().name(), t.datum(s.youth().birthDate()),
                    t.get(grondKort(s.ground())), t.get(PortaalTeksten.status(s.status())), t.datum(s.registeredOn()),
                    naam(s.professional())));
        }
        return pages.werkplek(request, m, LIJST, new LijstPagina(all, rows));
    }

    @Get("/nieuw")
    ModelAndView<?> nieuw(HttpRequest<?> request) {
        Medewerker m = sessions.require(request, Role.PROFESSIONAL);
        return pages.werkplek(request, m, NIEUW, nieuwPagina(m, NieuwFormulier.LEEG, Map.of()));
    }

    @Post(value = "/nieuw", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> registreren(HttpRequest<?> request, @Body NieuwFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.PROFESSIONAL);
        Map<String, String> errors = new LinkedHashMap<>();
        RegisterSignalRequest registration = registratie(form, errors);
        if (errors.isEmpty()) {
            try {
                SignalView registered = signals.register(caller(m), registration, null).signal();
                return HttpResponse.seeOther(URI.create(PAD + "/" + registered.id() + "?nieuw"));
            } catch (ProblemException e) {
                Problem p = e.problem();
                if (p.status() == 409 && p.existingId() != null) {
                    errors.put("bsn", Tekst.key("werkplek.signalen.fout.bsn.bestaat"));
                } else if (p.status() == 400 && p.violations() != null) {
                    p.violations().forEach(v -> put(errors, v, form));
                } else {
                    throw e;
                }
            }
        }
        return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, NIEUW, nieuwPagina(m, form, errors));
    }

    /**
     * The check as the person types (docs/werkplek.md): the registration form as it stands, and {@code veld}, the
     * field the person just left. Answers that field alone, rendered as on the page, with the error the form would
     * show for it if it were sent now: the same checks as {@link #registreren} (the page's, the request record's Bean
     * Validation, {@link SignalService#check}), minus a field left empty, which is named only when the form is sent.
     * Nothing is stored or logged. The page's script ({@code /static/js/controle.js}) puts the answer in place.
     */
    @Post(value = "/nieuw/controle", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    ModelAndView<?> controle(HttpRequest<?> request, @QueryValue @Nullable String veld, @Body NieuwFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.PROFESSIONAL);
        if (veld == null || !VELDEN.contains(veld)) {
            throw WerkplekFouten.nietGevonden();
        }
        Map<String, String> errors = new LinkedHashMap<>();
        registratie(form, errors);
        Map<String, String> one = blank(form.waarde(veld)) || !errors.containsKey(veld) ? Map.of()
                : Map.of(veld, errors.get(veld));
        NieuwPagina page = nieuwPagina(m, form, one);
        VeldPagina field = switch (veld) {
            case "naam" -> new VeldPagina(page.naam(), null, null);
            case "bsn" -> new VeldPagina(page.bsn(), null, null);
            case "geboortedatum" -> new VeldPagina(page.geboortedatum(), null, null);
            case "ouder1" -> new VeldPagina(page.ouder1(), null, null);
            case "ouder2" -> new VeldPagina(page.ouder2(), null, null);
            case "ouder3" -> new VeldPagina(page.ouder3(), null, null);
            case "ouder4" -> new VeldPagina(page.ouder4(), null, null);
            case "grond" -> new VeldPagina(null, page.grond(), null);
            case "geinformeerd" -> new VeldPagina(null, page.geinformeerd(), null);
            case "geinformeerdOp" -> new VeldPagina(page.geinformeerdOp(), null, null);
            default -> new VeldPagina(null, null, page.redenNiet());
        };
        return pages.werkplek(request, m, VELD, field);
    }

    /**
     * The API's request for what the form holds, and in {@code errors} (field to key) everything wrong with it that
     * can be known before writing: first what only the page asks (a day typed as day-month-year, which choice was
     * made), then the request record's Bean Validation and the service's own rules ({@link SignalService#check}), as
     * the API applies them; a field keeps its first error. Left for {@link SignalService#register}: a second active
     * signal on the youth.
     */
    private RegisterSignalRequest registratie(NieuwFormulier form, Map<String, String> errors) {
        LocalDate birth = date(form.geboortedatum(), "geboortedatum",
                Tekst.key("werkplek.signalen.fout.geboortedatum.leeg"), errors);
        boolean informed = "ja".equals(form.geinformeerd());
        boolean notInformed = "nee".equals(form.geinformeerd());
        LocalDate on = null;
        String reason = null;
        if (informed) {
            on = date(form.geinformeerdOp(), "geinformeerdOp",
                    Tekst.key("werkplek.signalen.fout.geinformeerdOp.leeg"), errors);
        } else if (notInformed) {
            reason = blank(form.redenNiet()) ? null : form.redenNiet().strip();
            if (reason == null) {
                errors.put("redenNiet", Tekst.key("werkplek.signalen.fout.reden-niet.leeg"));
            }
        } else {
            errors.put("geinformeerd", Tekst.key("werkplek.signalen.fout.geinformeerd.leeg"));
        }
        List<RegisterSignalRequest.Parent> parents = new ArrayList<>();
        for (String parent : form.ouders()) {
            if (!blank(parent)) {
                parents.add(new RegisterSignalRequest.Parent(parent.strip()));
            }
        }
        RegisterSignalRequest registration = new RegisterSignalRequest(
                new RegisterSignalRequest.Youth(form.bsn() == null ? null : form.bsn().strip(), birth,
                        blank(form.naam()) ? null : form.naam().strip()),
                parents, blank(form.grond()) ? null : form.grond(),
                new RegisterSignalRequest.ParentsInformed(on, reason));
        // The API's checks: first its request record's, then the service's.
        for (Problem.Violation v : Problems.violations(validator.validate(registration))) {
            put(errors, v, form);
        }
        for (Problem.Violation v : signals.check(registration)) {
            put(errors, v, form);
        }
        return registration;
    }

    @Get("/{id}")
    ModelAndView<?> signaal(HttpRequest<?> request, @PathVariable String id, @QueryValue @Nullable String nieuw) {
        Medewerker m = sessions.require(request, Role.PROFESSIONAL);
        SignalView s = find(m, id);
        Tekst t = pages.tekst();
        List<Onderdelen.Gegeven> facts = new ArrayList<>();
        facts.add(fact(t.get("werkplek.signaal.naam"), s.youth().name()));
        facts.add(fact(t.get("werkplek.signaal.geboortedatum"), t.datum(s.youth().birthDate())));
        facts.add(fact(t.get("werkplek.signaal.bsn"), s.youth().bsn()));
        facts.add(fact(t.get("werkplek.signaal.grond"), t.get("werkplek.signaal.grond.waarde", s.ground(),
                t.get(grondKort(s.ground())))));
        facts.add(fact(t.get("werkplek.signaal.ouders"), s.parents() == 0 ? t.get("werkplek.signaal.ouders.geen")
                : t.get("werkplek.signaal.ouders.aantal", s.parents())));
        facts.add(fact(t.get("werkplek.signaal.geinformeerd"), s.parentsNotInformed()
                ? t.get("werkplek.signaal.geinformeerd.nee")
                : t.get("werkplek.signaal.geinformeerd.ja", t.datum(s.parentsInformedOn()))));
        facts.add(fact(t.get("werkplek.signaal.geregistreerd"), t.datum(s.registeredOn())));
        facts.add(fact(t.get("werkplek.signaal.actief-tot"), t.datum(s.activeUntil())));
        facts.add(fact(t.get("werkplek.signaal.status"), s.endedOn() == null ? t.get(PortaalTeksten.status(s.status()))
                : t.get("werkplek.signaal.status.beeindigd", t.datum(s.endedOn()), s.endReason())));
        facts.add(fact(t.get("werkplek.signaal.hulpverlener"), naam(s.professional())));
        List<MatchRegel> rows = new ArrayList<>();
        for (MatchView match : matches.list(m.username(), m.organisationId(), s.id())) {
            rows.add(new MatchRegel("/werkplek/matches/" + match.id(), t.get(soort(match.type())),
                    match.counterpart() == null ? t.get("werkplek.match.contact.onbekend")
                            : match.counterpart().organisation(),
                    t.get(matchStatus(match.status())), t.get(opvolging(match.followUp()))));
        }
        return pages.werkplek(request, m, SIGNAAL, new SignaalPagina(s.id().toString(), s.youth().name(),
                "ACTIVE".equals(s.status()), nieuw != null, new Onderdelen.Gegevenslijst(facts), rows));
    }

    @Get("/{id}/beeindigen")
    ModelAndView<?> beeindigen(HttpRequest<?> request, @PathVariable String id) {
        Medewerker m = sessions.require(request, Role.PROFESSIONAL);
        SignalView s = find(m, id);
        return pages.werkplek(request, m, BEEINDIGEN, beeindigPagina(m, s, null, null));
    }

    @Post(value = "/{id}/beeindigen", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> beeindigd(HttpRequest<?> request, @PathVariable String id, @Body BeeindigFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.PROFESSIONAL);
        SignalView s = find(m, id);
        String reason = form.reden() == null ? "" : form.reden().strip();
        String error;
        if (validator.validate(new EndSignalRequest(reason)).isEmpty()) {
            try {
                signals.end(caller(m), s.id(), reason);
                return HttpResponse.seeOther(URI.create(PAD + "/" + s.id()));
            } catch (ProblemException e) {
                if (e.problem().status() == 404) {
                    throw nietGevonden();
                }
                if (e.problem().status() != 409) {
                    throw e;
                }
                error = Tekst.key("werkplek.signalen.fout.beeindigen.niet-actief");
            }
        } else {
            error = reason.isEmpty() ? Tekst.key("werkplek.signalen.fout.beeindigen.leeg")
                    : Tekst.key("werkplek.signalen.fout.beeindigen.lang");
        }
        return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, BEEINDIGEN,
                beeindigPagina(m, s, form.reden(), error));
    }

    /** The caller's organisation's signal {@code id} (read through the service, which records it), or the 404 page. */
    private SignalView find(Medewerker m, String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw nietGevonden();
        }
        return signals.find(caller(m), uuid).orElseThrow(WerkplekSignalenController::nietGevonden);
    }

    static WerkplekFouten.Fout nietGevonden() {
        return WerkplekFouten.nietGevonden(Tekst.key("werkplek.signalen.fout.signaal.titel"),
                Tekst.key("werkplek.signalen.fout.signaal.tekst"));
    }

    static SignalService.Caller caller(Medewerker m) {
        return new SignalService.Caller(m.username(), m.organisationId());
    }

    private String naam(String username) {
        return accounts.find(username).map(Account::displayName).orElse(username);
    }

    private NieuwPagina nieuwPagina(Medewerker m, NieuwFormulier form, Map<String, String> errorKeys) {
        Tekst t = pages.tekst();
        Map<String, String> errors = new LinkedHashMap<>();
        errorKeys.forEach((field, key) -> errors.put(field, t.get(key, NAAM_MAX, REDEN_MAX)));
        List<Onderdelen.Fout> summary = new ArrayList<>();
        // In the order of the form, so that the summary reads as the page does.
        for (String field : VELDEN) {
            if (errors.containsKey(field)) {
                summary.add(new Onderdelen.Fout("#" + field, errors.get(field)));
            }
        }
        List<Onderdelen.Keuze> grounds = new ArrayList<>();
        for (String g : GRONDEN) {
            grounds.add(new Onderdelen.Keuze(g, t.get("werkplek.grond.kort", g, t.get(grondKort(g))),
                    t.get(grondUitleg(g)), g.equals(form.grond())));
        }
        return new NieuwPagina(m.csrf(), new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"), summary),
                veld("naam", t.get("werkplek.signaal-nieuw.naam"), null, form.naam(), errors, "off", "text"),
                veld("bsn", t.get("werkplek.signaal-nieuw.bsn"), t.get("werkplek.signaal-nieuw.bsn.uitleg"),
                        form.bsn(), errors, "off", "numeric"),
                veld("geboortedatum", t.get("werkplek.signaal-nieuw.geboortedatum"),
                        t.get("werkplek.signalen.datum-uitleg"), form.geboortedatum(), errors, "off", "text"),
                veld("ouder1", t.get("werkplek.signaal-nieuw.ouder1"), t.get("werkplek.signaal-nieuw.ouder.uitleg"),
                        form.ouder1(), errors, "off", "numeric"),
                veld("ouder2", t.get("werkplek.signaal-nieuw.ouder2"), null, form.ouder2(), errors, "off", "numeric"),
                veld("ouder3", t.get("werkplek.signaal-nieuw.ouder3"), null, form.ouder3(), errors, "off", "numeric"),
                veld("ouder4", t.get("werkplek.signaal-nieuw.ouder4"), null, form.ouder4(), errors, "off", "numeric"),
                new Onderdelen.Keuzerondjes("grond", "grond", t.get("werkplek.signaal-nieuw.grond"),
                        t.get("werkplek.signaal-nieuw.grond.uitleg"), grounds, errors.get("grond")),
                new Onderdelen.Keuzerondjes("geinformeerd", "geinformeerd",
                        t.get("werkplek.signaal-nieuw.geinformeerd"), t.get("werkplek.signaal-nieuw.geinformeerd.uitleg"),
                        List.of(
                        new Onderdelen.Keuze("ja", t.get("werkplek.signaal-nieuw.geinformeerd.ja"), null,
                                "ja".equals(form.geinformeerd())),
                        new Onderdelen.Keuze("nee", t.get("werkplek.signaal-nieuw.geinformeerd.nee"),
                                t.get("werkplek.signaal-nieuw.geinformeerd.nee.uitleg"),
                                "nee".equals(form.geinformeerd()))),
                        errors.get("geinformeerd")),
                veld("geinformeerdOp", t.get("werkplek.signaal-nieuw.geinformeerd-op"),
                        t.get("werkplek.signalen.datum-uitleg"), form.geinformeerdOp(), errors, "off", "text"),
                new Onderdelen.Tekstvak("redenNiet", "redenNiet", t.get("werkplek.signaal-nieuw.reden-niet"), false,
                        t.get("werkplek.signaal-nieuw.reden-niet.uitleg"), form.redenNiet(), errors.get("redenNiet"),
                        4));
    }

    private static Onderdelen.Invoerveld veld(String id, String label, @Nullable String description,
                                              @Nullable String value, Map<String, String> errors, String autocomplete,
                                              String inputmode) {
        return new Onderdelen.Invoerveld(id, id, label, description, value, errors.get(id), autocomplete, inputmode);
    }

    private BeeindigPagina beeindigPagina(Medewerker m, SignalView s, @Nullable String value,
                                          @Nullable String errorKey) {
        Tekst t = pages.tekst();
        String error = errorKey == null ? null : t.get(errorKey, REDEN_MAX);
        String self = PAD + "/" + s.id();
        return new BeeindigPagina(self + "/beeindigen", m.csrf(), self, s.youth().name(),
                new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"),
                        error == null ? List.of() : List.of(new Onderdelen.Fout("#reden", error))),
                new Onderdelen.Tekstvak("reden", "reden", t.get("werkplek.beeindigen.titel"), true,
                        t.get("werkplek.beeindigen.uitleg", REDEN_MAX), value, error, 5));
    }

    /** A date typed as day-month-year in {@code field}; an error there when it is empty or no date. */
    private static @Nullable LocalDate date(@Nullable String typed, String field, String emptyKey,
                                            Map<String, String> errors) {
        if (blank(typed)) {
            errors.put(field, emptyKey);
            return null;
        }
        Optional<LocalDate> date = Tekst.leesDatum(typed);
        if (date.isEmpty()) {
            errors.put(field, Tekst.key("werkplek.signalen.fout.datum.ongeldig"));
            return null;
        }
        return date.get();
    }

    /** The API's violation at the form's field, in Dutch; a field that has an error already keeps the first. */
    private static void put(Map<String, String> errors, Problem.Violation v, NieuwFormulier form) {
        String field = v.field();
        String message = v.message() == null ? "" : v.message();
        if (field.startsWith("parents[")) {
            int index = Integer.parseInt(field.substring("parents[".length(), field.indexOf(']')));
            String key = message.contains("own BSN") ? Tekst.key("werkplek.signalen.fout.ouder.jongere")
                    : message.contains("more than once") ? Tekst.key("werkplek.signalen.fout.ouder.dubbel")
                    : Tekst.key("werkplek.signalen.fout.ouder.ongeldig");
            // Only the filled-in parent fields were sent, in order: the API's index counts those.
            List<String> filled = new ArrayList<>();
            for (int i = 0; i < form.ouders().size(); i++) {
                if (!blank(form.ouders().get(i))) {
                    filled.add("ouder" + (i + 1));
                }
            }
            if (index < filled.size()) {
                errors.putIfAbsent(filled.get(index), key);
            }
            return;
        }
        switch (field) {
            case "youth.name" -> errors.putIfAbsent("naam", blank(form.naam())
                    ? Tekst.key("werkplek.signalen.fout.naam.leeg") : Tekst.key("werkplek.signalen.fout.naam.lang"));
            case "youth.bsn" -> errors.putIfAbsent("bsn", blank(form.bsn())
                    ? Tekst.key("werkplek.signalen.fout.bsn.leeg") : Tekst.key("werkplek.signalen.fout.bsn.ongeldig"));
            case "youth.birthDate" -> errors.putIfAbsent("geboortedatum", message.contains("future")
                    ? Tekst.key("werkplek.signalen.fout.geboortedatum.toekomst") : message.contains("23")
                    ? Tekst.key("werkplek.signalen.fout.geboortedatum.te-oud")
                    : Tekst.key("werkplek.signalen.fout.geboortedatum.leeg"));
            case "ground" -> errors.putIfAbsent("grond", Tekst.key("werkplek.signalen.fout.grond.leeg"));
            case "parentsInformed.on" -> errors.putIfAbsent("geinformeerdOp",
                    Tekst.key("werkplek.signalen.fout.geinformeerdOp.toekomst"));
            case "parentsInformed.notInformedReason" -> errors.putIfAbsent("redenNiet",
                    Tekst.key("werkplek.signalen.fout.reden-niet.lang"));
            default -> errors.putIfAbsent("geinformeerd", Tekst.key("werkplek.signalen.fout.geinformeerd.leeg"));
        }
    }

    private static boolean blank(@Nullable String s) {
        return s == null || s.isBlank();
    }

    private static Onderdelen.Gegeven fact(String term, String value) {
        return new Onderdelen.Gegeven(term, value, null, null);
    }

    /** The key of a ground's short name in plain Dutch (Jeugdwet 7.1.4.1, a to l). */
    static String grondKort(String ground) {
        return switch (ground) {
            case "a" -> Tekst.key("werkplek.grond.a");
            case "b" -> Tekst.key("werkplek.grond.b");
            case "c" -> Tekst.key("werkplek.grond.c");
            case "d" -> Tekst.key("werkplek.grond.d");
            case "e" -> Tekst.key("werkplek.grond.e");
            case "f" -> Tekst.key("werkplek.grond.f");
            case "g" -> Tekst.key("werkplek.grond.g");
            case "h" -> Tekst.key("werkplek.grond.h");
            case "i" -> Tekst.key("werkplek.grond.i");
            case "j" -> Tekst.key("werkplek.grond.j");
            case "k" -> Tekst.key("werkplek.grond.k");
            case "l" -> Tekst.key("werkplek.grond.l");
            default -> Tekst.key("status.onbekend");
        };
    }

    /** The key of a ground's explanation: when it applies, in a sentence or two. */
    static String grondUitleg(String ground) {
        return switch (ground) {
            case "a" -> Tekst.key("werkplek.grond.a.uitleg");
            case "b" -> Tekst.key("werkplek.grond.b.uitleg");
            case "c" -> Tekst.key("werkplek.grond.c.uitleg");
            case "d" -> Tekst.key("werkplek.grond.d.uitleg");
            case "e" -> Tekst.key("werkplek.grond.e.uitleg");
            case "f" -> Tekst.key("werkplek.grond.f.uitleg");
            case "g" -> Tekst.key("werkplek.grond.g.uitleg");
            case "h" -> Tekst.key("werkplek.grond.h.uitleg");
            case "i" -> Tekst.key("werkplek.grond.i.uitleg");
            case "j" -> Tekst.key("werkplek.grond.j.uitleg");
            case "k" -> Tekst.key("werkplek.grond.k.uitleg");
            case "l" -> Tekst.key("werkplek.grond.l.uitleg");
            default -> Tekst.key("status.onbekend");
        };
    }

    /** The key of a match's kind: the same youth, or a brother or sister. */
    public static String soort(String type) {
        return "FAMILY".equals(type) ? Tekst.key("werkplek.match.soort.gezin") : Tekst.key("werkplek.match.soort.kind");
    }

    public static String matchStatus(String status) {
        return switch (status) {
            case "ACTIVE" -> Tekst.key("werkplek.match.status.actief");
            case "WITHDRAWN" -> Tekst.key("werkplek.match.status.ingetrokken");
            case "ARCHIVED" -> Tekst.key("status.archief");
            default -> Tekst.key("status.onbekend");
        };
    }

    /** The key of this side's latest follow-up. */
    public static String opvolging(@Nullable String outcome) {
        if (outcome == null) {
            return Tekst.key("werkplek.opvolging.geen");
        }
        return switch (outcome) {
            case "CONTACT_MADE" -> Tekst.key("werkplek.opvolging.contact");
            case "NOT_NEEDED" -> Tekst.key("werkplek.opvolging.niet-nodig");
            case "TAKES_REGIE" -> Tekst.key("werkplek.opvolging.regie");
            case "REGIE_RELEASED" -> Tekst.key("werkplek.opvolging.regie-overgedragen");
            default -> Tekst.key("status.onbekend");
        };
    }
}
