package nl.betrokken.node.staff;

import java.net.URI;
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
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.validation.Validator;
import nl.betrokken.node.account.Medewerker;
import nl.betrokken.node.account.Role;
import nl.betrokken.node.account.WerkplekSessions;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.Problems;

/**
 * {@code /werkplek/mijn-gegevens}: the signed-in professional's own name, e-mail and phone, as the other side of their
 * matches sees them, changed through the same service and the same rules as {@code PATCH /api/v1/me} and
 * {@code PATCH /api/v1/staff/{username}} ({@link ContactUpdate}, {@link StaffService#changeOwnContact}): the
 * counterparts are told, the change is recorded. POST answers 303 (the page with "saved"), or 422 with the answers
 * kept and each error at its field.
 */
@Controller("/werkplek/mijn-gegevens")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekMijnGegevensController {

    static final String VIEW = "werkplek/wijzig-mijn-gegevens";
    private static final String PAD = "/werkplek/mijn-gegevens";
    /** The longest name the API takes ({@link ContactUpdate}). */
    private static final int NAAM_MAX = 200;

    private final StaffService staff;
    private final WerkplekSessions sessions;
    private final Pages pages;
    private final Validator validator;

    WerkplekMijnGegevensController(StaffService staff, WerkplekSessions sessions, Pages pages, Validator validator) {
        this.staff = staff;
        this.sessions = sessions;
        this.pages = pages;
        this.validator = validator;
    }

    @Serdeable
    @Introspected
    record Formulier(@Nullable String csrf, @Nullable String naam, @Nullable String email,
                     @Nullable String telefoon) {
        @Override
        public String toString() {
            return "Formulier[redacted]";
        }
    }

    /** The page: the username, the three fields, errors, and after a save the notice that it was saved. */
    public record MijnGegevensPagina(String csrf, String gebruikersnaam, @Nullable Onderdelen.Melding opgeslagen,
                                     Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Invoerveld naam,
                                     Onderdelen.Invoerveld email, Onderdelen.Invoerveld telefoon) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "MijnGegevensPagina[redacted]";
        }
    }

    @Get
    ModelAndView<?> gegevens(HttpRequest<?> request, @QueryValue @Nullable String opgeslagen) {
        Medewerker m = sessions.require(request, Role.PROFESSIONAL);
        StaffMember own = staff.own(self(m));
        return pages.werkplek(request, m, VIEW, pagina(m, new Formulier(null, own.displayName(), own.email(),
                own.phone()), opgeslagen != null, Map.of()));
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> opslaan(HttpRequest<?> request, @Body Formulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.PROFESSIONAL);
        ContactUpdate update = new ContactUpdate(strip(form.naam()), strip(form.email()), strip(form.telefoon()));
        Map<String, String> errors = new LinkedHashMap<>();
        for (Problem.Violation v : Problems.violations(validator.validate(update))) {
            switch (v.field()) {
                case "displayName" -> errors.putIfAbsent("naam", Tekst.key("werkplek.mijn-gegevens.fout.naam"));
                case "email" -> errors.putIfAbsent("email", Tekst.key("werkplek.mijn-gegevens.fout.email"));
                default -> errors.putIfAbsent("telefoon", Tekst.key("werkplek.mijn-gegevens.fout.telefoon"));
            }
        }
        if (errors.isEmpty()) {
            staff.changeOwnContact(self(m), update);
            return HttpResponse.seeOther(URI.create(PAD + "?opgeslagen"));
        }
        return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, VIEW,
                pagina(m, form, false, errors));
    }

    private static StaffService.Caller self(Medewerker m) {
        return new StaffService.Caller(m.username(), m.organisationId());
    }

    private static String strip(@Nullable String s) {
        return s == null ? "" : s.strip();
    }

    private MijnGegevensPagina pagina(Medewerker m, Formulier form, boolean saved, Map<String, String> errorKeys) {
        Tekst t = pages.tekst();
        Map<String, String> errors = new LinkedHashMap<>();
        errorKeys.forEach((field, key) -> errors.put(field, t.get(key, NAAM_MAX)));
        List<Onderdelen.Fout> summary = new ArrayList<>();
        for (String field : List.of("naam", "email", "telefoon")) {
            if (errors.containsKey(field)) {
                summary.add(new Onderdelen.Fout("#" + field, errors.get(field)));
            }
        }
        return new MijnGegevensPagina(m.csrf(), m.username(),
                saved ? new Onderdelen.Melding("ok", null, t.get("werkplek.mijn-gegevens.opgeslagen")) : null,
                new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"), summary),
                new Onderdelen.Invoerveld("naam", "naam", t.get("werkplek.mijn-gegevens.naam"), null, form.naam(),
                        errors.get("naam"), "name", "text"),
                new Onderdelen.Invoerveld("email", "email", t.get("werkplek.mijn-gegevens.email"), null, form.email(),
                        errors.get("email"), "email", "email"),
                new Onderdelen.Invoerveld("telefoon", "telefoon", t.get("werkplek.mijn-gegevens.telefoon"),
                        t.get("werkplek.mijn-gegevens.telefoon.uitleg"), form.telefoon(), errors.get("telefoon"),
                        "tel", "tel"));
    }
}
