package nl.betrokken.node.staff;

import java.net.URI;
import java.util.ArrayList;
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
import nl.betrokken.node.web.WerkplekMenu;
import nl.betrokken.problem.ProblemException;

/**
 * The instellingscoördinator's pages about the organisation's accounts, through {@link StaffService} as
 * {@code /api/v1/staff} does: the list ({@code /werkplek/medewerkers}), adding a professional ({@code …/nieuw}),
 * one account with its contact data to change ({@code …/{username}}) and deactivating it with the hand-over of its
 * signals ({@code …/{username}/deactiveren}). Another organisation's account is the werkplek's 404 page, as the API
 * answers 404. Every POST answers 303, or 422 with the same page, the answers kept and the errors in Dutch by field
 * from the API's own rules ({@link MedewerkerVelden}).
 */
@Controller("/werkplek/medewerkers")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekMedewerkersController {

    static final String LIJST = "werkplek/medewerker-lijst";
    static final String NIEUW = "werkplek/medewerker-nieuw";
    static final String MEDEWERKER = "werkplek/medewerker-gegevens";
    static final String DEACTIVEREN = "werkplek/medewerker-deactiveren";
    static final String WIJZIGINGEN = "werkplek/medewerker-wijzigingen";
    private static final String PAD = "/werkplek/medewerkers";

    private final StaffService staff;
    private final MedewerkerVelden velden;
    private final WerkplekSessions sessions;
    private final Pages pages;

    WerkplekMedewerkersController(StaffService staff, MedewerkerVelden velden, WerkplekSessions sessions,
                                  Pages pages) {
        this.staff = staff;
        this.velden = velden;
        this.sessions = sessions;
        this.pages = pages;
    }

    /** A form to add a professional. */
    @Serdeable
    @Introspected
    record NieuwFormulier(@Nullable String csrf, @Nullable String naam, @Nullable String gebruikersnaam,
                          @Nullable String email, @Nullable String telefoon, @Nullable String rol) {
        @Override
        public String toString() {
            return "NieuwFormulier[redacted]";
        }
    }

    /** A form with an account's contact data. */
    @Serdeable
    @Introspected
    record ContactFormulier(@Nullable String csrf, @Nullable String naam, @Nullable String email,
                            @Nullable String telefoon) {
        @Override
        public String toString() {
            return "ContactFormulier[redacted]";
        }
    }

    /** The deactivation form: the colleague who takes the signals over, if any. */
    @Serdeable
    @Introspected
    record DeactiveerFormulier(@Nullable String csrf, @Nullable String collega) {
    }

    /** One account in the list: the name links to its page. */
    public record Regel(String naam, String href, String gebruikersnaam, String rol, String email, String telefoon,
                        String signalen, String status) {
        @Override
        public String toString() {
            return "Regel[redacted]";
        }
    }

    /** The list: a notice after a deactivation, and the accounts by username. */
    public record LijstPagina(@Nullable Onderdelen.Melding melding, List<Regel> medewerkers) {
    }

    /** Adding an account: the four fields, the role (professional or coördinator) and the errors. */
    public record NieuwPagina(String csrf, Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Invoerveld naam,
                              Onderdelen.Invoerveld gebruikersnaam, Onderdelen.Invoerveld email,
                              Onderdelen.Invoerveld telefoon, Onderdelen.Keuzerondjes rol) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "NieuwPagina[redacted]";
        }
    }

    /** One line of the change log: when, who, what, about whom, and what more there is to say. */
    public record Wijziging(String wanneer, String wie, String wat, String over, String meer) {
        @Override
        public String toString() {
            return "Wijziging[redacted]";
        }
    }

    /** The organisation's change log, newest first. */
    public record WijzigingenPagina(List<Wijziging> wijzigingen) {
    }

    /**
     * One account: its facts, a notice after adding or saving, and, while it is active, the contact form and (not for
     * oneself) the link to deactivate it.
     */
    public record MedewerkerPagina(String titel, String csrf, String actie, @Nullable Onderdelen.Melding melding,
                                   Onderdelen.Gegevenslijst gegevens, boolean actief,
                                   Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Invoerveld naam,
                                   Onderdelen.Invoerveld email, Onderdelen.Invoerveld telefoon,
                                   @Nullable String deactiverenHref) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "MedewerkerPagina[redacted]";
        }
    }

    /**
     * Deactivating an account: what it means, the colleague to choose when there are signals to hand over (or why
     * no choice is needed, or why it cannot be done now), and the button when it can be done.
     */
    public record DeactiverenPagina(String titel, String csrf, String actie, String terug,
                                    Onderdelen.Foutsamenvatting samenvatting, String uitleg,
                                    @Nullable Onderdelen.Keuzerondjes collega, @Nullable Onderdelen.Melding melding,
                                    boolean kan) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "DeactiverenPagina[redacted]";
        }
    }

    @Get
    ModelAndView<?> lijst(HttpRequest<?> request, @QueryValue @Nullable String gedeactiveerd) {
        Medewerker m = sessions.require(request, Role.COORDINATOR);
        StaffService.Caller caller = caller(m);
        List<StaffMember> members = staff.list(caller);
        Tekst t = pages.tekst();
        List<Regel> rows = new ArrayList<>();
        for (StaffMember s : members) {
            rows.add(new Regel(s.displayName(), href(s.username()), s.username(), t.get(rol(s)),
                    s.email() == null ? "" : s.email(), s.phone() == null ? "" : s.phone(),
                    String.valueOf(s.activeSignals()),
                    t.get(status(s))));
        }
        Onderdelen.Melding notice = null;
        if (gedeactiveerd != null) {
            Optional<StaffMember> gone = members.stream().filter(s -> s.username().equals(gedeactiveerd)
                    && !s.active()).findFirst();
            if (gone.isPresent()) {
                notice = deactivated(caller, gone.get(), members);
            }
        }
        return pages.werkplek(request, m, LIJST, new LijstPagina(notice, rows));
    }

    @Get("/nieuw")
    ModelAndView<?> nieuw(HttpRequest<?> request) {
        Medewerker m = sessions.require(request, Role.COORDINATOR);
        return pages.werkplek(request, m, NIEUW, nieuwPagina(m, new NieuwFormulier(null, null, null, null, null,
                Role.PROFESSIONAL.name()), Map.of()));
    }

    /**
     * The organisation's change log ({@code GET /api/v1/staff/changes}): who changed which account when and how,
     * newest first. Names are read from the organisation's accounts; one not of the organisation (the gemeente) is
     * shown by username.
     */
    @Get("/wijzigingen")
    ModelAndView<?> wijzigingen(HttpRequest<?> request) {
        Medewerker m = sessions.require(request, Role.COORDINATOR);
        StaffService.Caller caller = caller(m);
        Map<String, String> names = new java.util.HashMap<>();
        for (StaffMember s : staff.list(caller)) {
            names.put(s.username(), s.displayName());
        }
        Tekst t = pages.tekst();
        List<Wijziging> rows = new ArrayList<>();
        for (StaffChange c : staff.changes(caller)) {
            rows.add(new Wijziging(t.moment(c.changedAt()), naam(names, c.actor()), wat(c), naam(names, c.subject()),
                    meer(c, names)));
        }
        return pages.werkplek(request, m, WIJZIGINGEN, new WijzigingenPagina(rows));
    }

    @Post(value = "/nieuw", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> toevoegen(HttpRequest<?> request, @Body NieuwFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.COORDINATOR);
        // No choice is the API's default, a professional; anything but the two roles is the API's 400 at the field.
        NewStaffMember member = new NewStaffMember(text(form.gebruikersnaam()), text(form.naam()),
                text(form.email()), blankToNull(form.telefoon()), blankToNull(form.rol()), null);
        Map<String, String> errors = velden.fouten(member);
        if (errors.isEmpty()) {
            try {
                StaffMember added = staff.add(caller(m), member);
                return HttpResponse.seeOther(URI.create(href(added.username()) + "?toegevoegd"));
            } catch (ProblemException e) {
                errors = refused(e);
            }
        }
        return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, NIEUW, nieuwPagina(m, form, errors));
    }

    @Get("/{username}")
    ModelAndView<?> medewerker(HttpRequest<?> request, @PathVariable String username,
                               @QueryValue @Nullable String toegevoegd, @QueryValue @Nullable String opgeslagen) {
        Medewerker m = sessions.require(request, Role.COORDINATOR);
        StaffMember s = member(caller(m), username);
        Tekst t = pages.tekst();
        Onderdelen.Melding notice = toegevoegd != null
                ? new Onderdelen.Melding("ok", t.get("werkplek.medewerker.toegevoegd.kop"),
                        t.get("werkplek.medewerker.toegevoegd.tekst", s.displayName(), s.username()))
                : opgeslagen != null ? new Onderdelen.Melding("ok", t.get("werkplek.medewerker.opgeslagen.kop"),
                        t.get("werkplek.medewerker.opgeslagen.tekst", s.displayName()))
                : null;
        return pages.werkplek(request, m, MEDEWERKER, medewerkerPagina(m, s, notice,
                new ContactFormulier(null, s.displayName(), s.email(), s.phone()), Map.of()));
    }

    @Post(value = "/{username}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> opslaan(HttpRequest<?> request, @PathVariable String username, @Body ContactFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.COORDINATOR);
        StaffService.Caller caller = caller(m);
        StaffMember s = member(caller, username);
        // Every field of the form is sent: an empty phone removes the number, as "phone": "" does in the API.
        ContactUpdate update = new ContactUpdate(text(form.naam()), text(form.email()), text(form.telefoon()));
        Map<String, String> errors = velden.fouten(update);
        if (errors.isEmpty()) {
            try {
                staff.changeContact(caller, username, update);
                return HttpResponse.seeOther(URI.create(href(username) + "?opgeslagen"));
            } catch (ProblemException e) {
                errors = refused(e);
            }
        }
        return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, MEDEWERKER,
                medewerkerPagina(m, s, null, form, errors));
    }

    @Get("/{username}/deactiveren")
    HttpResponse<?> deactiveren(HttpRequest<?> request, @PathVariable String username) {
        Medewerker m = sessions.require(request, Role.COORDINATOR);
        List<StaffMember> members = staff.list(caller(m));
        StaffMember s = find(members, username);
        if (!s.active()) {
            return HttpResponse.seeOther(URI.create(href(username)));
        }
        return HttpResponse.ok(pages.werkplek(request, m, DEACTIVEREN,
                deactiverenPagina(m, s, members, null, null)));
    }

    @Post(value = "/{username}/deactiveren", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> deactiveer(HttpRequest<?> request, @PathVariable String username,
                               @Body DeactiveerFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.COORDINATOR);
        StaffService.Caller caller = caller(m);
        List<StaffMember> members = staff.list(caller);
        StaffMember s = find(members, username);
        String colleague = blankToNull(form.collega());
        try {
            staff.deactivate(caller, username, colleague);
            return HttpResponse.seeOther(URI.create(PAD + "?gedeactiveerd=" + username));
        } catch (ProblemException e) {
            Map<String, String> errors = refused(e);
            return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, DEACTIVEREN,
                    deactiverenPagina(m, s, members, colleague, errors.entrySet().iterator().next()));
        }
    }

    /** The notice after a deactivation: who, and to whom how many signals went (from the change log). */
    private Onderdelen.Melding deactivated(StaffService.Caller caller, StaffMember gone, List<StaffMember> members) {
        Tekst t = pages.tekst();
        StaffChange change = staff.changes(caller).stream()
                .filter(c -> c.subject().equals(gone.username()) && "DEACTIVATED".equals(c.action()))
                .findFirst().orElse(null);
        String text = change == null || change.handOverTo() == null || change.signalsMoved() == null
                || change.signalsMoved() == 0
                ? t.get("werkplek.medewerker.gedeactiveerd.tekst", gone.displayName())
                : t.get("werkplek.medewerker.gedeactiveerd.overgedragen", gone.displayName(), change.signalsMoved(),
                        members.stream().filter(s -> s.username().equals(change.handOverTo())).findFirst()
                                .map(StaffMember::displayName).orElse(change.handOverTo()));
        return new Onderdelen.Melding("ok", t.get("werkplek.medewerker.gedeactiveerd.kop"), text);
    }

    private NieuwPagina nieuwPagina(Medewerker m, NieuwFormulier form, Map<String, String> errors) {
        Tekst t = pages.tekst();
        String chosen = form.rol() == null ? Role.PROFESSIONAL.name() : form.rol();
        Onderdelen.Keuzerondjes rol = new Onderdelen.Keuzerondjes("rol", "rol",
                t.get(Tekst.key("werkplek.medewerker-nieuw.rol.legenda")), null, List.of(
                        new Onderdelen.Keuze(Role.PROFESSIONAL.name(), t.get(Tekst.key("werkplek.medewerker-nieuw.rol.PROFESSIONAL")),
                                t.get(Tekst.key("werkplek.medewerker-nieuw.rol.professional")),
                                Role.PROFESSIONAL.name().equals(chosen)),
                        new Onderdelen.Keuze(Role.COORDINATOR.name(), t.get(Tekst.key("werkplek.medewerker-nieuw.rol.COORDINATOR")),
                                t.get(Tekst.key("werkplek.medewerker-nieuw.rol.coordinator")),
                                Role.COORDINATOR.name().equals(chosen))),
                error(errors, "rol"));
        return new NieuwPagina(m.csrf(), samenvatting(errors, "naam", "gebruikersnaam", "email", "telefoon", "rol"),
                naamVeld(form.naam(), errors),
                new Onderdelen.Invoerveld("gebruikersnaam", "gebruikersnaam",
                        t.get("werkplek.medewerker.gebruikersnaam.label"),
                        t.get("werkplek.medewerker.gebruikersnaam.beschrijving"), form.gebruikersnaam(),
                        error(errors, "gebruikersnaam"), "off", "text"),
                emailVeld(form.email(), errors), telefoonVeld(form.telefoon(), errors), rol);
    }

    /** A name for an account of the change log: its name in the organisation, else its username. */
    private static String naam(Map<String, String> names, @Nullable String username) {
        if (username == null) {
            return "";
        }
        String name = names.get(username);
        return name == null ? username : name + " (" + username + ")";
    }

    /** What kind of change, in words. */
    private String wat(StaffChange c) {
        Tekst t = pages.tekst();
        return switch (c.action()) {
            case "CREATED" -> t.get(Tekst.key("werkplek.wijzigingen.wat.CREATED"));
            case "CONTACT_CHANGED" -> t.get(Tekst.key("werkplek.wijzigingen.wat.CONTACT_CHANGED"));
            case "DEACTIVATED" -> t.get(Tekst.key("werkplek.wijzigingen.wat.DEACTIVATED"));
            case "HANDED_OVER" -> t.get(Tekst.key("werkplek.wijzigingen.wat.HANDED_OVER"));
            default -> c.action();
        };
    }

    /** The fields changed (never their values), or to whom how many signals went. */
    private String meer(StaffChange c, Map<String, String> names) {
        Tekst t = pages.tekst();
        List<String> out = new ArrayList<>();
        if (c.fields() != null && !c.fields().isEmpty()) {
            out.add(t.get(Tekst.key("werkplek.wijzigingen.velden"), String.join(", ", c.fields().stream()
                    .map(f -> switch (f) {
                        case "displayName" -> t.get(Tekst.key("werkplek.wijzigingen.veld.naam"));
                        case "email" -> t.get(Tekst.key("werkplek.wijzigingen.veld.email"));
                        case "phone" -> t.get(Tekst.key("werkplek.wijzigingen.veld.telefoon"));
                        default -> f;
                    }).toList())));
        }
        if (c.handOverTo() != null) {
            out.add(t.get(Tekst.key("werkplek.wijzigingen.overgedragen"),
                    c.signalsMoved() == null ? 0 : c.signalsMoved(), naam(names, c.handOverTo())));
        }
        return String.join(". ", out);
    }

    private MedewerkerPagina medewerkerPagina(Medewerker m, StaffMember s, @Nullable Onderdelen.Melding notice,
                                              ContactFormulier form, Map<String, String> errors) {
        Tekst t = pages.tekst();
        List<Onderdelen.Gegeven> facts = List.of(
                fact(t.get("werkplek.medewerker.gebruikersnaam"), s.username()),
                fact(t.get("werkplek.medewerker.rol"), t.get(rol(s))),
                fact(t.get("werkplek.medewerker.status"),
                        t.get(status(s))),
                fact(t.get("werkplek.medewerker.signalen"), String.valueOf(s.activeSignals())));
        boolean self = s.username().equals(m.username());
        return new MedewerkerPagina(t.get("werkplek.medewerker.titel", s.displayName()), m.csrf(),
                href(s.username()), notice, new Onderdelen.Gegevenslijst(facts), s.active(),
                samenvatting(errors, "naam", "email", "telefoon"), naamVeld(form.naam(), errors),
                emailVeld(form.email(), errors), telefoonVeld(form.telefoon(), errors),
                s.active() && !self ? href(s.username()) + "/deactiveren" : null);
    }

    private DeactiverenPagina deactiverenPagina(Medewerker m, StaffMember s, List<StaffMember> members,
                                                @Nullable String chosen, @Nullable Map.Entry<String, String> error) {
        Tekst t = pages.tekst();
        String errorText = error == null ? null : t.get(error.getValue());
        List<Onderdelen.Keuze> colleagues = members.stream()
                .filter(o -> o.active() && Role.PROFESSIONAL.name().equals(o.role())
                        && !o.username().equals(s.username()))
                .map(o -> new Onderdelen.Keuze(o.username(), o.displayName(),
                        t.get("werkplek.medewerker-deactiveren.collega.signalen", o.activeSignals()),
                        o.username().equals(chosen)))
                .toList();
        boolean self = s.username().equals(m.username());
        boolean handOver = s.signalsToHandOver() > 0;
        Onderdelen.Keuzerondjes choice = null;
        Onderdelen.Melding notice = null;
        if (self) {
            notice = new Onderdelen.Melding("warning", null, t.get("werkplek.medewerker.fout.eigen-account"));
        } else if (handOver && colleagues.isEmpty()) {
            notice = new Onderdelen.Melding("warning", null,
                    t.get("werkplek.medewerker-deactiveren.geen-collega", s.displayName()));
        } else if (handOver) {
            choice = new Onderdelen.Keuzerondjes("collega", "collega",
                    t.get("werkplek.medewerker-deactiveren.collega.legenda"),
                    t.get("werkplek.medewerker-deactiveren.collega.beschrijving", s.signalsToHandOver()),
                    colleagues, error != null && "collega".equals(error.getKey()) ? errorText : null);
        }
        String fieldHref = error == null ? null : "collega".equals(error.getKey()) && choice != null ? "#collega"
                : "#inhoud";
        Onderdelen.Foutsamenvatting summary = new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"),
                error == null ? List.of() : List.of(new Onderdelen.Fout(fieldHref, errorText)));
        String explanation = handOver
                ? t.get("werkplek.medewerker-deactiveren.uitleg.overdragen", s.displayName(), s.signalsToHandOver())
                : t.get("werkplek.medewerker-deactiveren.uitleg.geen-signalen", s.displayName());
        return new DeactiverenPagina(t.get("werkplek.medewerker-deactiveren.titel", s.displayName()), m.csrf(),
                href(s.username()) + "/deactiveren", href(s.username()), summary, explanation, choice, notice,
                !self && (!handOver || !colleagues.isEmpty()));
    }

    private Onderdelen.Invoerveld naamVeld(@Nullable String value, Map<String, String> errors) {
        Tekst t = pages.tekst();
        return new Onderdelen.Invoerveld("naam", "naam", t.get("werkplek.medewerker.naam.label"), null, value,
                error(errors, "naam"), "off", "text");
    }

    private Onderdelen.Invoerveld emailVeld(@Nullable String value, Map<String, String> errors) {
        Tekst t = pages.tekst();
        return new Onderdelen.Invoerveld("email", "email", t.get("werkplek.medewerker.email.label"),
                t.get("werkplek.medewerker.email.beschrijving"), value, error(errors, "email"), "off", "email");
    }

    private Onderdelen.Invoerveld telefoonVeld(@Nullable String value, Map<String, String> errors) {
        Tekst t = pages.tekst();
        return new Onderdelen.Invoerveld("telefoon", "telefoon", t.get("werkplek.medewerker.telefoon.label"),
                t.get("werkplek.medewerker.telefoon.beschrijving"), value, error(errors, "telefoon"), "off", "tel");
    }

    /** The error summary, its links in the order of the page's fields. */
    private Onderdelen.Foutsamenvatting samenvatting(Map<String, String> errors, String... fields) {
        List<Onderdelen.Fout> out = new ArrayList<>();
        for (String field : fields) {
            if (errors.containsKey(field)) {
                out.add(new Onderdelen.Fout("#" + field, error(errors, field)));
            }
        }
        return new Onderdelen.Foutsamenvatting(pages.tekst().get("fout.samenvatting.kop"), out);
    }

    private @Nullable String error(Map<String, String> errors, String field) {
        String key = errors.get(field);
        return key == null ? null : pages.tekst().get(key);
    }

    /** The service's refusal of a form, by the page's field; anything else it is not for the page to answer. */
    private static Map<String, String> refused(ProblemException e) {
        Map<String, String> errors = MedewerkerVelden.fouten(e);
        if (errors.isEmpty()) {
            if (e.problem().status() == 404) {
                throw nietGevonden();
            }
            throw e;
        }
        return errors;
    }

    /** The account, if it is one of the caller's organisation's; else the 404 page. */
    private StaffMember member(StaffService.Caller caller, String username) {
        return find(staff.list(caller), username);
    }

    private static StaffMember find(List<StaffMember> members, String username) {
        return members.stream().filter(s -> s.username().equals(username)).findFirst()
                .orElseThrow(WerkplekMedewerkersController::nietGevonden);
    }

    static WerkplekFouten.Fout nietGevonden() {
        return WerkplekFouten.nietGevonden(Tekst.key("werkplek.medewerker.niet-gevonden.titel"),
                Tekst.key("werkplek.medewerker.niet-gevonden.tekst"));
    }

    /** The signed-in coördinator as the staff service's caller. */
    public static StaffService.Caller caller(Medewerker m) {
        if (m.organisationId() == null) {
            throw nietGevonden();
        }
        return new StaffService.Caller(m.username(), m.organisationId());
    }

    /** The page of an account. */
    public static String href(String username) {
        return PAD + "/" + username;
    }

    private static String status(StaffMember s) {
        return s.active() ? Tekst.key("werkplek.medewerker.actief") : Tekst.key("werkplek.medewerker.gedeactiveerd");
    }

    private static String rol(StaffMember s) {
        return WerkplekMenu.rol(Role.valueOf(s.role()));
    }

    private static Onderdelen.Gegeven fact(String term, String value) {
        return new Onderdelen.Gegeven(term, value, null, null);
    }

    private static String text(@Nullable String typed) {
        return typed == null ? "" : typed.strip();
    }

    private static @Nullable String blankToNull(@Nullable String typed) {
        return typed == null || typed.isBlank() ? null : typed.strip();
    }
}
