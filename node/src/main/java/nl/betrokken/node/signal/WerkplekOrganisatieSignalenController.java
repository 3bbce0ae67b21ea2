package nl.betrokken.node.signal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.node.account.Medewerker;
import nl.betrokken.node.account.Role;
import nl.betrokken.node.account.WerkplekSessions;
import nl.betrokken.node.inzage.PortaalTeksten;
import nl.betrokken.node.staff.StaffMember;
import nl.betrokken.node.staff.StaffService;
import nl.betrokken.node.staff.WerkplekMedewerkersController;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Tekst;

/**
 * The instellingscoördinator's read-only list of the organisation's signals ({@code /werkplek/organisatie/signalen}):
 * {@link SignalService#list}, as {@code GET /api/v1/signals} answers the coördinator (audited as {@code coord:}), with
 * the professional's name from {@link StaffService#list}. No BSN and no ground: the coördinator manages who holds
 * which signal, not its content.
 */
@Controller("/werkplek/organisatie/signalen")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekOrganisatieSignalenController {

    static final String SIGNALEN = "werkplek/organisatie-signalen";

    private final SignalService signals;
    private final StaffService staff;
    private final WerkplekSessions sessions;
    private final Pages pages;

    WerkplekOrganisatieSignalenController(SignalService signals, StaffService staff, WerkplekSessions sessions,
                                          Pages pages) {
        this.signals = signals;
        this.staff = staff;
        this.sessions = sessions;
        this.pages = pages;
    }

    /** The organisation's signals as a table (empty: none). */
    public record SignalenPagina(@Nullable Onderdelen.Tabel signalen) {
    }

    @Get
    ModelAndView<?> signalen(HttpRequest<?> request) {
        Medewerker m = sessions.require(request, Role.COORDINATOR);
        StaffService.Caller caller = WerkplekMedewerkersController.caller(m);
        List<SignalView> list = signals.list(new SignalService.Caller(caller.username(), caller.organisationId()));
        Map<String, String> names = staff.list(caller).stream()
                .collect(Collectors.toMap(StaffMember::username, StaffMember::displayName));
        Tekst t = pages.tekst();
        List<List<String>> rows = new ArrayList<>();
        for (SignalView s : list) {
            rows.add(List.of(s.youth().name(), t.datum(s.youth().birthDate()),
                    names.getOrDefault(s.professional(), s.professional()), t.datum(s.registeredOn()),
                    t.get(PortaalTeksten.status(s.status())),
                    s.endedOn() == null ? t.datum(s.activeUntil()) : t.datum(s.endedOn())));
        }
        Onderdelen.Tabel table = rows.isEmpty() ? null : new Onderdelen.Tabel(
                t.get("werkplek.organisatie-signalen.bijschrift", list.size()),
                List.of(t.get("werkplek.organisatie-signalen.jongere"),
                        t.get("werkplek.organisatie-signalen.geboortedatum"),
                        t.get("werkplek.organisatie-signalen.professional"),
                        t.get("werkplek.organisatie-signalen.geregistreerd"),
                        t.get("werkplek.organisatie-signalen.status"),
                        t.get("werkplek.organisatie-signalen.tot")), rows);
        return pages.werkplek(request, m, SIGNALEN, new SignalenPagina(table));
    }
}
