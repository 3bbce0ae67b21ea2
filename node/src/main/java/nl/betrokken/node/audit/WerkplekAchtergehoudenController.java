package nl.betrokken.node.audit;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
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
 * The gemeente's held-back signals (Veilig Thuis) in the werkplek, through the same {@link Holds} as
 * {@code /api/v1/audit/held}: the list ({@code /werkplek/achtergehouden}) and, per hold, the check page whose button
 * releases it ({@code /werkplek/achtergehouden/{reference}}). The POST answers 303.
 */
@Controller("/werkplek/achtergehouden")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekAchtergehoudenController {

    static final String LIJST = "werkplek/achtergehouden-lijst";
    static final String VRIJGEVEN = "werkplek/achtergehouden-vrijgeven";
    static final String PAD = "/werkplek/achtergehouden";

    private final Holds holds;
    private final WerkplekSessions sessions;
    private final Pages pages;

    WerkplekAchtergehoudenController(Holds holds, WerkplekSessions sessions, Pages pages) {
        this.holds = holds;
        this.sessions = sessions;
        this.pages = pages;
    }

    @Serdeable
    @Introspected
    record Formulier(@Nullable String csrf) {
    }

    /** One hold: what is held back, its reference (a link to its check page), since when, how many entries. */
    public record Rij(String soort, String kenmerk, String href, String sinds, int gebeurtenissen) {
    }

    /** The list: a message after a release, the holds (oldest first). */
    public record LijstPagina(@Nullable Onderdelen.Melding melding, List<Rij> rijen) {
    }

    /** The check before a release: the hold, what the release does, the button. */
    public record VrijgevenPagina(Onderdelen.Gegevenslijst gegevens, Onderdelen.Knop knop) {
    }

    @Get
    ModelAndView<?> lijst(HttpRequest<?> request, @QueryValue @Nullable String melding) {
        Medewerker m = sessions.require(request, Role.GEMEENTE);
        Tekst t = pages.tekst();
        List<Rij> rows = new ArrayList<>();
        for (NodeAudit.Held h : holds.held()) {
            rows.add(new Rij(t.get(soort(h.reference())), h.reference(), href(h.reference()), t.moment(h.heldSince()),
                    h.sealedEntries()));
        }
        Onderdelen.Melding released = "vrijgegeven".equals(melding)
                ? new Onderdelen.Melding("ok", null, t.get("werkplek.achtergehouden.melding.vrijgegeven")) : null;
        return pages.werkplek(request, m, LIJST, new LijstPagina(released, rows));
    }

    @Get("/{reference}")
    ModelAndView<?> vrijgeven(HttpRequest<?> request, @PathVariable String reference) {
        Medewerker m = sessions.require(request, Role.GEMEENTE);
        NodeAudit.Held h = holds.held().stream().filter(x -> x.reference().equals(reference)).findFirst()
                .orElseThrow(WerkplekAchtergehoudenController::nietGevonden);
        Tekst t = pages.tekst();
        Onderdelen.Gegevenslijst facts = new Onderdelen.Gegevenslijst(List.of(
                new Onderdelen.Gegeven(t.get("werkplek.achtergehouden.soort"), t.get(soort(h.reference())), null, null),
                new Onderdelen.Gegeven(t.get("werkplek.achtergehouden.kenmerk"), h.reference(), null, null),
                new Onderdelen.Gegeven(t.get("werkplek.achtergehouden.sinds"), t.moment(h.heldSince()), null, null),
                new Onderdelen.Gegeven(t.get("werkplek.achtergehouden.gebeurtenissen"),
                        String.valueOf(h.sealedEntries()), null, null)));
        return pages.werkplek(request, m, VRIJGEVEN, new VrijgevenPagina(facts, new Onderdelen.Knop(
                href(h.reference()), m.csrf(), t.get("werkplek.achtergehouden.vrijgeven.knop"), true)));
    }

    @Post(value = "/{reference}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> vrijgeven(HttpRequest<?> request, @PathVariable String reference, @Body Formulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.GEMEENTE);
        if (!reference.startsWith("signal:") && !reference.startsWith("exchange:")
                && !reference.startsWith("lookup:")) {
            throw nietGevonden();
        }
        try {
            holds.release(m.username(), reference);
        } catch (ProblemException e) {
            throw e.problem().status() == 404 ? nietGevonden() : WerkplekFouten.onbereikbaar();
        }
        return HttpResponse.seeOther(URI.create(PAD + "?melding=vrijgegeven"));
    }

    private static String soort(String reference) {
        return reference.startsWith("exchange:") ? Tekst.key("werkplek.achtergehouden.soort.bericht")
                : reference.startsWith("lookup:") ? Tekst.key("werkplek.achtergehouden.soort.opzoeking")
                : Tekst.key("werkplek.achtergehouden.soort.signaal");
    }

    private static String href(String reference) {
        return PAD + "/" + reference; // signal:, exchange: or lookup: and hex: safe in a path
    }

    private static WerkplekFouten.Fout nietGevonden() {
        return WerkplekFouten.nietGevonden(Tekst.key("werkplek.achtergehouden.niet-gevonden.titel"),
                Tekst.key("werkplek.achtergehouden.niet-gevonden.tekst"));
    }
}
