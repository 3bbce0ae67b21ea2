package nl.betrokken.node.followup;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

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
import nl.betrokken.node.staff.WerkplekMedewerkersController;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Tekst;

/**
 * The instellingscoördinator's overdue follow-up ({@code /werkplek/achterstand}): the organisation's sides of active
 * matches without follow-up past {@code overdue-days}, from the same service as {@code GET /api/v1/follow-up/overdue}
 * ({@link OverdueFlags#overdue}), with who holds the signal and when it was escalated to the coördinator.
 */
@Controller("/werkplek/achterstand")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekAchterstandController {

    static final String ACHTERSTAND = "werkplek/achterstand-lijst";

    private final OverdueFlags flags;
    private final WerkplekSessions sessions;
    private final Pages pages;

    WerkplekAchterstandController(OverdueFlags flags, WerkplekSessions sessions, Pages pages) {
        this.flags = flags;
        this.sessions = sessions;
        this.pages = pages;
    }

    /** The rule in words and the overdue match sides as a table (empty: none). */
    public record AchterstandPagina(String uitleg, @Nullable Onderdelen.Tabel achterstand) {
    }

    @Get
    ModelAndView<?> achterstand(HttpRequest<?> request) {
        Medewerker m = sessions.require(request, Role.COORDINATOR);
        OverdueView.Page page = flags.overdue(WerkplekMedewerkersController.caller(m).organisationId());
        Tekst t = pages.tekst();
        List<List<String>> rows = new ArrayList<>();
        for (OverdueView o : page.items()) {
            OverdueView.Professional p = o.professional();
            String contact = String.join(", ", Stream.of(p.email(), p.phone())
                    .filter(v -> v != null && !v.isBlank()).toList());
            rows.add(List.of(p.displayName(), contact,
                    t.get(soort(o)),
                    t.datum(o.matchedOn()),
                    o.escalatedOn() == null ? t.get("werkplek.achterstand.nog-niet") : t.datum(o.escalatedOn()),
                    o.matchId().toString()));
        }
        Onderdelen.Tabel table = rows.isEmpty() ? null : new Onderdelen.Tabel(t.get("werkplek.achterstand.bijschrift"),
                List.of(t.get("werkplek.achterstand.professional"), t.get("werkplek.achterstand.contact"),
                        t.get("werkplek.achterstand.soort"), t.get("werkplek.achterstand.gemaakt"),
                        t.get("werkplek.achterstand.gemeld"),
                        t.get("werkplek.achterstand.kenmerk")), rows);
        return pages.werkplek(request, m, ACHTERSTAND, new AchterstandPagina(
                t.get("werkplek.achterstand.uitleg", page.overdueDays(), page.escalateDays()), table));
    }

    private static String soort(OverdueView o) {
        return "FAMILY".equals(o.type()) ? Tekst.key("werkplek.achterstand.gezinsmatch")
                : Tekst.key("werkplek.achterstand.match");
    }
}
