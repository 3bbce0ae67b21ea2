package nl.betrokken.node.notify;

import java.net.URI;
import java.util.ArrayList;
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
import nl.betrokken.node.staff.ContactUpdate;
import nl.betrokken.node.staff.MedewerkerVelden;
import nl.betrokken.node.staff.StaffService;
import nl.betrokken.node.staff.WerkplekMedewerkersController;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.node.web.WerkplekFouten;
import nl.betrokken.problem.ProblemException;

/**
 * The instellingscoördinator's notification failures ({@code /werkplek/meldingen}): the e-mail to the organisation's
 * professionals that bounced or keeps failing, from the same list as {@code GET /api/v1/notifications/failures}, and
 * from each failure a way to fix the address ({@code /werkplek/meldingen/{id}}), which changes the account's e-mail
 * through {@link StaffService#changeContact} as {@code PATCH /api/v1/staff/{username}} does. The page says what then
 * happens, as {@link NotificationSender} does it: a message that failed for good ({@code FAILED}) is not sent again;
 * one still being retried ({@code RETRYING}), and every later one, goes to the address as it is when sent.
 */
@Controller("/werkplek/meldingen")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekMeldingenController {

    static final String LIJST = "werkplek/melding-lijst";
    static final String ADRES = "werkplek/melding-adres";
    private static final String PAD = "/werkplek/meldingen";

    private final Notifications notifications;
    private final StaffService staff;
    private final MedewerkerVelden velden;
    private final WerkplekSessions sessions;
    private final Pages pages;

    WerkplekMeldingenController(Notifications notifications, StaffService staff, MedewerkerVelden velden,
                                WerkplekSessions sessions, Pages pages) {
        this.notifications = notifications;
        this.staff = staff;
        this.velden = velden;
        this.sessions = sessions;
        this.pages = pages;
    }

    /** The form with the corrected address. */
    @Serdeable
    @Introspected
    record AdresFormulier(@Nullable String csrf, @Nullable String email) {
        @Override
        public String toString() {
            return "AdresFormulier[redacted]";
        }
    }

    /** One failure: a heading (to whom, about what) and its facts, the address row linking to the fix. */
    public record Regel(String kop, Onderdelen.Gegevenslijst gegevens) {
        @Override
        public String toString() {
            return "Regel[redacted]";
        }
    }

    /** The failures, newest first, and the notice after an address was fixed. */
    public record LijstPagina(@Nullable Onderdelen.Melding melding, List<Regel> meldingen) {
    }

    /** Fixing the address from one failure: its facts, what happens with the message, the field. */
    public record AdresPagina(String titel, String csrf, String actie, Onderdelen.Gegevenslijst gegevens,
                              String gevolg, Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Invoerveld email) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "AdresPagina[redacted]";
        }
    }

    @Get
    ModelAndView<?> lijst(HttpRequest<?> request, @QueryValue @Nullable Long verbeterd) {
        Medewerker m = sessions.require(request, Role.COORDINATOR);
        List<FailureView> failures = notifications.failures(WerkplekMedewerkersController.caller(m).organisationId());
        Tekst t = pages.tekst();
        List<Regel> rows = new ArrayList<>();
        for (FailureView f : failures) {
            List<Onderdelen.Gegeven> facts = new ArrayList<>();
            facts.add(fact(t.get("werkplek.melding.over"), t.get(soort(f.kind()))));
            if (f.lastAttemptAt() != null) {
                facts.add(fact(t.get("werkplek.melding.laatste-poging"), t.moment(f.lastAttemptAt())));
            }
            facts.add(new Onderdelen.Gegeven(t.get("werkplek.melding.adres"), adres(f), href(f),
                    t.get("werkplek.melding.verbeteren")));
            facts.add(fact(t.get("werkplek.melding.status"), status(f)));
            facts.add(fact(t.get("werkplek.melding.pogingen"), String.valueOf(f.attempts())));
            if (f.reason() != null) {
                facts.add(fact(t.get("werkplek.melding.reden"), f.reason()));
            }
            if (f.addressChanged()) {
                facts.add(fact(t.get("werkplek.melding.nu"), t.get("werkplek.melding.adres-gewijzigd")));
            }
            rows.add(new Regel(t.get("werkplek.melding.kop", f.displayName(), t.get(soort(f.kind()))),
                    new Onderdelen.Gegevenslijst(facts)));
        }
        Onderdelen.Melding notice = null;
        if (verbeterd != null) {
            notice = failures.stream().filter(f -> f.notificationId() == verbeterd).findFirst()
                    .map(f -> new Onderdelen.Melding("ok", t.get("werkplek.melding.verbeterd.kop"),
                            t.get("werkplek.melding.verbeterd.tekst", f.displayName()) + " " + gevolg(f)))
                    .orElse(null);
        }
        return pages.werkplek(request, m, LIJST, new LijstPagina(notice, rows));
    }

    @Get("/{id}")
    ModelAndView<?> adres(HttpRequest<?> request, @PathVariable String id) {
        Medewerker m = sessions.require(request, Role.COORDINATOR);
        FailureView f = failure(m, id);
        return pages.werkplek(request, m, ADRES, adresPagina(m, f, f.address(), null));
    }

    @Post(value = "/{id}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> opslaan(HttpRequest<?> request, @PathVariable String id, @Body AdresFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.COORDINATOR);
        FailureView f = failure(m, id);
        String typed = form.email() == null ? "" : form.email().strip();
        ContactUpdate update = new ContactUpdate(null, typed, null);
        Map<String, String> errors = velden.fouten(update);
        if (errors.isEmpty()) {
            try {
                staff.changeContact(WerkplekMedewerkersController.caller(m), f.recipient(), update);
                return HttpResponse.seeOther(URI.create(PAD + "?verbeterd=" + id));
            } catch (ProblemException e) {
                errors = MedewerkerVelden.fouten(e);
                if (errors.isEmpty()) {
                    throw e.problem().status() == 404 ? nietGevonden() : e;
                }
            }
        }
        return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, ADRES,
                adresPagina(m, f, typed, errors.get("email")));
    }

    private AdresPagina adresPagina(Medewerker m, FailureView f, @Nullable String value, @Nullable String errorKey) {
        Tekst t = pages.tekst();
        List<Onderdelen.Gegeven> facts = new ArrayList<>();
        facts.add(fact(t.get("werkplek.melding.medewerker"), f.displayName()));
        facts.add(fact(t.get("werkplek.melding.over"), t.get(soort(f.kind()))));
        facts.add(fact(t.get("werkplek.melding.adres"), adres(f)));
        if (f.reason() != null) {
            facts.add(fact(t.get("werkplek.melding.reden"), f.reason()));
        }
        facts.add(fact(t.get("werkplek.melding.status"), status(f)));
        String error = errorKey == null ? null : t.get(errorKey);
        return new AdresPagina(t.get("werkplek.melding-adres.titel", f.displayName()), m.csrf(), href(f),
                new Onderdelen.Gegevenslijst(facts), gevolg(f),
                new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"),
                        error == null ? List.of() : List.of(new Onderdelen.Fout("#email", error))),
                new Onderdelen.Invoerveld("email", "email", t.get("werkplek.melding-adres.label"),
                        t.get("werkplek.melding-adres.beschrijving", f.displayName()), value, error, "off", "email"));
    }

    /** What happens with this message once the address is fixed, as the sender does it. */
    private String gevolg(FailureView f) {
        Tekst t = pages.tekst();
        return "RETRYING".equals(f.state()) && f.nextAttemptAt() != null
                ? t.get("werkplek.melding.gevolg.opnieuw", t.moment(f.nextAttemptAt()))
                : t.get("werkplek.melding.gevolg.mislukt", f.displayName());
    }

    private String status(FailureView f) {
        Tekst t = pages.tekst();
        return "RETRYING".equals(f.state()) && f.nextAttemptAt() != null
                ? t.get("werkplek.melding.status.opnieuw", t.moment(f.nextAttemptAt()))
                : t.get("werkplek.melding.status.mislukt");
    }

    private String adres(FailureView f) {
        Tekst t = pages.tekst();
        return f.address() == null ? t.get("werkplek.melding.geen-adres") : f.address();
    }

    /** The failure, if {@code id} is the number of one of the caller's organisation's; else the 404 page. */
    private FailureView failure(Medewerker m, String id) {
        return notifications.failures(WerkplekMedewerkersController.caller(m).organisationId()).stream()
                .filter(f -> id.equals(Long.toString(f.notificationId()))).findFirst()
                .orElseThrow(WerkplekMeldingenController::nietGevonden);
    }

    private static WerkplekFouten.Fout nietGevonden() {
        return WerkplekFouten.nietGevonden(Tekst.key("werkplek.melding.niet-gevonden.titel"),
                Tekst.key("werkplek.melding.niet-gevonden.tekst"));
    }

    private static String href(FailureView f) {
        return PAD + "/" + f.notificationId();
    }

    /** The kind of message in words; a kind added later reads as news about a match. */
    private static String soort(String kind) {
        return switch (kind) {
            case Notifications.MATCH_CREATED -> Tekst.key("werkplek.melding.soort.nieuwe-match");
            case Notifications.MATCH_WITHDRAWN -> Tekst.key("werkplek.melding.soort.match-ingetrokken");
            case Notifications.MESSAGE_RECEIVED -> Tekst.key("werkplek.melding.soort.bericht");
            case Notifications.CONSENT_ENDED -> Tekst.key("werkplek.melding.soort.toestemming-beeindigd");
            case Notifications.OBJECTION_ADVICE_ASKED -> Tekst.key("werkplek.melding.soort.advies");
            case "FOLLOW_UP_OVERDUE" -> Tekst.key("werkplek.melding.soort.opvolging");
            case Notifications.MATCH_CALLED_ON -> Tekst.key("werkplek.matches-achterstand.melding.soort");
            case "FOLLOW_UP_ESCALATED" -> Tekst.key("werkplek.melding.soort.opvolging-coordinator");
            default -> Tekst.key("werkplek.melding.soort.anders");
        };
    }

    private static Onderdelen.Gegeven fact(String term, String value) {
        return new Onderdelen.Gegeven(term, value, null, null);
    }
}
