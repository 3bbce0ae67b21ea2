package nl.betrokken.node.organisation;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micronaut.context.env.Environment;
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
import nl.betrokken.node.account.Passwords;
import nl.betrokken.node.account.Role;
import nl.betrokken.node.account.WerkplekSessions;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.node.web.WerkplekFouten;
import nl.betrokken.problem.Problem;
import nl.betrokken.problem.ProblemException;

/**
 * The gemeente's pages for the organisations of the convenant, through the same {@link OrganisationService} as
 * {@code /api/v1/organisations}: the list ({@code /werkplek/organisaties}), admitting one with its coördinator
 * ({@code /nieuw}), an organisation with its accounts, suspend and reinstate ({@code /{id}}), and removing it: a
 * decision per signal ({@code /{id}/verwijderen}, kept as a draft) and the check page ({@code /{id}/verwijderen/
 * controleren}) whose button removes it. Every POST answers 303, or 422 with the same page, the answers kept.
 */
@Controller("/werkplek/organisaties")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekOrganisatiesController {

    static final String LIJST = "werkplek/organisatie-lijst";
    static final String NIEUW = "werkplek/organisatie-nieuw";
    static final String DETAILS = "werkplek/organisatie-details";
    static final String VERWIJDEREN = "werkplek/organisatie-verwijderen";
    static final String CONTROLEREN = "werkplek/organisatie-controleren";
    static final String PAD = "/werkplek/organisaties";
    /** The decision "end the signal" in the form; a hand-over is {@value #AAN} and the username. */
    static final String BEEINDIGEN = "beeindigen";
    static final String AAN = "aan:";

    private static final Map<String, String> SECTOREN = new LinkedHashMap<>();
    private static final Map<String, String> STATUSSEN = Map.of(
            OrganisationService.ACTIVE, Tekst.key("werkplek.organisatie.status.ACTIVE"),
            OrganisationService.SUSPENDED, Tekst.key("werkplek.organisatie.status.SUSPENDED"),
            OrganisationService.REMOVED, Tekst.key("werkplek.organisatie.status.REMOVED"));
    private static final Map<String, String> MELDINGEN = Map.of(
            "toegelaten", Tekst.key("werkplek.organisatie.melding.toegelaten"),
            "geschorst", Tekst.key("werkplek.organisatie.melding.geschorst"),
            "hersteld", Tekst.key("werkplek.organisatie.melding.hersteld"),
            "verwijderd", Tekst.key("werkplek.organisatie.melding.verwijderd"));

    static {
        SECTOREN.put(Sector.JEUGDHULP.name(), Tekst.key("werkplek.organisatie.sector.JEUGDHULP"));
        SECTOREN.put(Sector.JEUGDGEZONDHEIDSZORG.name(), Tekst.key("werkplek.organisatie.sector.JEUGDGEZONDHEIDSZORG"));
        SECTOREN.put(Sector.GEZONDHEIDSZORG.name(), Tekst.key("werkplek.organisatie.sector.GEZONDHEIDSZORG"));
        SECTOREN.put(Sector.ONDERWIJS.name(), Tekst.key("werkplek.organisatie.sector.ONDERWIJS"));
        SECTOREN.put(Sector.MAATSCHAPPELIJKE_ONDERSTEUNING.name(),
                Tekst.key("werkplek.organisatie.sector.MAATSCHAPPELIJKE_ONDERSTEUNING"));
        SECTOREN.put(Sector.WERK_EN_INKOMEN.name(), Tekst.key("werkplek.organisatie.sector.WERK_EN_INKOMEN"));
        SECTOREN.put(Sector.POLITIE_EN_JUSTITIE.name(), Tekst.key("werkplek.organisatie.sector.POLITIE_EN_JUSTITIE"));
    }

    private final OrganisationService organisations;
    private final RemovalDrafts drafts;
    private final WerkplekSessions sessions;
    private final Pages pages;
    private final boolean passwords;

    WerkplekOrganisatiesController(OrganisationService organisations, RemovalDrafts drafts, WerkplekSessions sessions,
                                   Pages pages, Environment environment) {
        this.organisations = organisations;
        this.drafts = drafts;
        this.sessions = sessions;
        this.pages = pages;
        this.passwords = Passwords.allowed(environment);
    }

    /** A text shown in a cell, with an optional link. */
    public record Cel(String tekst, @Nullable String href) {
    }

    /** One option of a choice: its value, its text, whether chosen. */
    public record Optie(String waarde, String tekst, boolean gekozen) {
    }

    /** The list: a message after an action, the organisations' rows. */
    public record LijstPagina(@Nullable Onderdelen.Melding melding, List<String> koppen, List<List<Cel>> rijen) {
    }

    /** The admission form. */
    public record NieuwPagina(String csrf, Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Invoerveld naam,
                              List<Optie> sectoren, @Nullable String sectorFout, Onderdelen.Invoerveld gebruikersnaam,
                              Onderdelen.Invoerveld weergavenaam, Onderdelen.Invoerveld email,
                              @Nullable Onderdelen.Invoerveld wachtwoord) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "NieuwPagina[redacted]";
        }
    }

    /** An organisation: its facts, its accounts, and what may be done (suspend, reinstate, remove). */
    public record DetailsPagina(String naam, @Nullable Onderdelen.Melding melding, Onderdelen.Gegevenslijst gegevens,
                                Onderdelen.Tabel accounts, @Nullable Onderdelen.Knop schorsen,
                                @Nullable Onderdelen.Knop herstellen, @Nullable String verwijderen) {
        @Override
        public String toString() {
            return "DetailsPagina[redacted]";
        }
    }

    /** One signal to decide on: the legend, the choice (with its error) and the reason to end it (with its error). */
    public record Besluit(String id, String legend, List<Optie> opties, @Nullable String keuzeFout,
                          @Nullable Onderdelen.Tekstvak reden) {
        @Override
        public String toString() {
            return "Besluit[" + id + "]";
        }
    }

    /** The decisions form. */
    public record VerwijderenPagina(String naam, String id, String csrf, Onderdelen.Foutsamenvatting samenvatting,
                                    List<Besluit> besluiten) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "VerwijderenPagina[redacted]";
        }
    }

    /** The check page: the decisions, a link to change them, the button. */
    public record ControlePagina(String naam, String id, Onderdelen.Foutsamenvatting samenvatting,
                                 Onderdelen.Tabel besluiten, Onderdelen.Knop knop) {
        public boolean fout() {
            return !samenvatting.fouten().isEmpty();
        }

        @Override
        public String toString() {
            return "ControlePagina[redacted]";
        }
    }

    @Serdeable
    @Introspected
    record NieuwFormulier(@Nullable String csrf, @Nullable String naam, @Nullable String sector,
                          @Nullable String gebruikersnaam, @Nullable String weergavenaam, @Nullable String email,
                          @Nullable String wachtwoord) {
        @Override
        public String toString() {
            return "NieuwFormulier[redacted]";
        }
    }

    @Serdeable
    @Introspected
    record CsrfFormulier(@Nullable String csrf) {
    }

    @Get
    ModelAndView<?> lijst(HttpRequest<?> request, @Nullable @QueryValue String melding) {
        Medewerker m = sessions.require(request, Role.GEMEENTE);
        Tekst t = pages.tekst();
        List<List<Cel>> rijen = new ArrayList<>();
        for (OrganisationView o : organisations.list()) {
            rijen.add(List.of(new Cel(o.name(), PAD + "/" + o.id()), new Cel(sector(o.sector()), null),
                    new Cel(t.get(STATUSSEN.get(o.status())), null), new Cel(String.valueOf(o.professionals()), null),
                    new Cel(String.valueOf(o.activeSignals()), null)));
        }
        return pages.werkplek(request, m, LIJST, new LijstPagina(melding(melding),
                List.of(t.get("werkplek.organisatie.kop.naam"), t.get("werkplek.organisatie.kop.sector"),
                        t.get("werkplek.organisatie.kop.status"), t.get("werkplek.organisatie.kop.professionals"),
                        t.get("werkplek.organisatie.kop.signalen")), rijen));
    }

    @Get("/nieuw")
    ModelAndView<?> nieuw(HttpRequest<?> request) {
        Medewerker m = sessions.require(request, Role.GEMEENTE);
        return pages.werkplek(request, m, NIEUW, nieuwPagina(m, new NieuwFormulier(null, null, null, null, null, null,
                null), Map.of()));
    }

    @Post(value = "/nieuw", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> toelaten(HttpRequest<?> request, @Body NieuwFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.GEMEENTE);
        Admission admission = new Admission(form.naam(), form.sector(), new Admission.Coordinator(form.gebruikersnaam(),
                form.weergavenaam(), form.email(), passwords ? form.wachtwoord() : null));
        Map<String, String> fouten = new LinkedHashMap<>();
        for (Problem.Violation v : OrganisationService.check(admission)) {
            fouten.putIfAbsent(v.field(), foutKey(v.field(), "is required".equals(v.message()), false));
        }
        if (fouten.isEmpty()) {
            try {
                OrganisationView admitted = organisations.admit(m.username(), admission);
                return HttpResponse.seeOther(URI.create(PAD + "/" + admitted.id() + "?melding=toegelaten"));
            } catch (ProblemException e) {
                Problem p = e.problem();
                if (p.violations() == null || p.violations().isEmpty()) {
                    throw e;
                }
                String field = p.violations().get(0).field();
                fouten.put(field, foutKey(field, false, p.status() == 409));
            }
        }
        return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, NIEUW, nieuwPagina(m, form, fouten));
    }

    @Get("/{id}")
    ModelAndView<?> details(HttpRequest<?> request, @PathVariable String id, @Nullable @QueryValue String melding) {
        Medewerker m = sessions.require(request, Role.GEMEENTE);
        OrganisationView.Detail d = detail(m, id);
        OrganisationView o = d.organisation();
        Tekst t = pages.tekst();
        List<Onderdelen.Gegeven> gegevens = new ArrayList<>();
        gegevens.add(new Onderdelen.Gegeven(t.get("werkplek.organisatie.kop.sector"), sector(o.sector()), null, null));
        gegevens.add(new Onderdelen.Gegeven(t.get("werkplek.organisatie.kop.status"), t.get(STATUSSEN.get(o.status())),
                null, null));
        gegevens.add(new Onderdelen.Gegeven(t.get("werkplek.organisatie.kop.toegelaten"),
                o.admittedAt() == null ? t.get("werkplek.organisatie.onbekend") : t.moment(o.admittedAt()), null, null));
        gegevens.add(new Onderdelen.Gegeven(t.get("werkplek.organisatie.kop.professionals"),
                String.valueOf(o.professionals()), null, null));
        gegevens.add(new Onderdelen.Gegeven(t.get("werkplek.organisatie.kop.signalen"), String.valueOf(o.activeSignals()),
                null, null));
        gegevens.add(new Onderdelen.Gegeven(t.get("werkplek.organisatie.kop.id"), o.id(), null, null));
        List<List<String>> accounts = new ArrayList<>();
        for (OrganisationView.Member a : d.accounts()) {
            accounts.add(List.of(a.displayName(), a.username(),
                    t.get(Role.COORDINATOR.name().equals(a.role()) ? Tekst.key("werkplek.rol.coordinator")
                            : Tekst.key("werkplek.rol.professional")),
                    a.email() == null ? "" : a.email(),
                    t.get(a.active() ? Tekst.key("werkplek.organisatie.account.actief")
                            : Tekst.key("werkplek.organisatie.account.inactief"))));
        }
        Onderdelen.Tabel tabel = new Onderdelen.Tabel(t.get("werkplek.organisatie.accounts"),
                List.of(t.get("werkplek.organisatie.kop.naam"), t.get("werkplek.organisatie.kop.gebruikersnaam"),
                        t.get("werkplek.organisatie.kop.rol"), t.get("werkplek.organisatie.kop.email"),
                        t.get("werkplek.organisatie.kop.account")), accounts);
        String pad = PAD + "/" + o.id();
        return pages.werkplek(request, m, DETAILS, new DetailsPagina(o.name(), melding(melding),
                new Onderdelen.Gegevenslijst(gegevens), tabel,
                OrganisationService.ACTIVE.equals(o.status())
                        ? new Onderdelen.Knop(pad + "/schorsen", m.csrf(), t.get("werkplek.organisatie.schorsen"), false)
                        : null,
                OrganisationService.SUSPENDED.equals(o.status())
                        ? new Onderdelen.Knop(pad + "/herstellen", m.csrf(), t.get("werkplek.organisatie.herstellen"),
                                false) : null,
                OrganisationService.REMOVED.equals(o.status()) ? null : pad + "/verwijderen"));
    }

    @Post(value = "/{id}/schorsen", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> schorsen(HttpRequest<?> request, @PathVariable String id, @Body CsrfFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.GEMEENTE);
        return statusChange(() -> organisations.suspend(m.username(), id), id, "geschorst");
    }

    @Post(value = "/{id}/herstellen", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> herstellen(HttpRequest<?> request, @PathVariable String id, @Body CsrfFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.GEMEENTE);
        return statusChange(() -> organisations.reinstate(m.username(), id), id, "hersteld");
    }

    /** Suspends or reinstates; when that no longer applies (changed meanwhile), back to the page as it is now. */
    private HttpResponse<?> statusChange(Runnable change, String id, String melding) {
        try {
            change.run();
        } catch (ProblemException e) {
            if (e.problem().status() == 404) {
                throw WerkplekFouten.nietGevonden();
            }
            return HttpResponse.seeOther(URI.create(PAD + "/" + id));
        }
        return HttpResponse.seeOther(URI.create(PAD + "/" + id + "?melding=" + melding));
    }

    @Get("/{id}/verwijderen")
    ModelAndView<?> verwijderen(HttpRequest<?> request, @PathVariable String id) {
        Medewerker m = sessions.require(request, Role.GEMEENTE);
        OrganisationView o = removable(m, id);
        Map<String, Removal.Decision> kept = drafts.find(id, m.username()).map(Removal::decisions).orElse(Map.of());
        Map<String, String> keuzes = new LinkedHashMap<>();
        Map<String, String> redenen = new LinkedHashMap<>();
        kept.forEach((signal, d) -> {
            keuzes.put(signal, d.handOverTo() != null ? AAN + d.handOverTo() : BEEINDIGEN);
            redenen.put(signal, d.endReason());
        });
        return pages.werkplek(request, m, VERWIJDEREN, verwijderenPagina(m, o, keuzes, redenen, Map.of()));
    }

    @Post(value = "/{id}/verwijderen", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> besluiten(HttpRequest<?> request, @PathVariable String id, @Body Map<String, String> form) {
        Medewerker m = sessions.requirePost(request, form.get("csrf"), Role.GEMEENTE);
        OrganisationView o = removable(m, id);
        OrganisationView.ToDecide toDecide = organisations.toDecide(m.username(), id);
        Map<String, String> keuzes = new LinkedHashMap<>();
        Map<String, String> redenen = new LinkedHashMap<>();
        Map<String, String> fouten = new LinkedHashMap<>();
        Map<String, Removal.Decision> decisions = new LinkedHashMap<>();
        for (OrganisationView.OpenSignal s : toDecide.items()) {
            String key = s.id().toString();
            String keuze = form.getOrDefault("besluit-" + key, "");
            String reden = form.getOrDefault("reden-" + key, "").strip();
            keuzes.put(key, keuze);
            redenen.put(key, reden);
            if (keuze.startsWith(AAN) && toDecide.handOverTo().stream()
                    .anyMatch(c -> c.username().equals(keuze.substring(AAN.length())))) {
                decisions.put(key, new Removal.Decision(keuze.substring(AAN.length()), null));
            } else if (BEEINDIGEN.equals(keuze)) {
                if (reden.isEmpty() && "ACTIVE".equals(s.status())) {
                    fouten.put("reden-" + key, Tekst.key("werkplek.organisatie.fout.reden.leeg"));
                } else if (reden.length() > OrganisationService.MAX_END_REASON) {
                    fouten.put("reden-" + key, Tekst.key("werkplek.organisatie.fout.reden.lang"));
                } else if ("ACTIVE".equals(s.status())) {
                    decisions.put(key, new Removal.Decision(null, reden));
                }
            } else {
                fouten.put("besluit-" + key, Tekst.key("werkplek.organisatie.fout.besluit"));
            }
        }
        if (!fouten.isEmpty()) {
            return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, VERWIJDEREN,
                    verwijderenPagina(m, o, keuzes, redenen, fouten));
        }
        drafts.save(id, m.username(), new Removal(decisions));
        return HttpResponse.seeOther(URI.create(PAD + "/" + id + "/verwijderen/controleren"));
    }

    @Get("/{id}/verwijderen/controleren")
    HttpResponse<?> controleren(HttpRequest<?> request, @PathVariable String id) {
        Medewerker m = sessions.require(request, Role.GEMEENTE);
        OrganisationView o = removable(m, id);
        if (drafts.find(id, m.username()).isEmpty()) {
            return HttpResponse.seeOther(URI.create(PAD + "/" + id + "/verwijderen"));
        }
        return HttpResponse.ok(pages.werkplek(request, m, CONTROLEREN, controlePagina(m, o, List.of())));
    }

    @Post(value = "/{id}/verwijderen/controleren", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> verwijderenBevestigd(HttpRequest<?> request, @PathVariable String id, @Body CsrfFormulier form) {
        Medewerker m = sessions.requirePost(request, form.csrf(), Role.GEMEENTE);
        OrganisationView o = removable(m, id);
        Removal removal = drafts.find(id, m.username()).orElse(null);
        if (removal == null) {
            return HttpResponse.seeOther(URI.create(PAD + "/" + id + "/verwijderen"));
        }
        try {
            organisations.remove(m.username(), id, removal);
        } catch (ProblemException e) {
            Problem p = e.problem();
            String field = p.violations() == null || p.violations().isEmpty() ? "" : p.violations().get(0).field();
            String signal = field.startsWith("decisions.") ? field.substring("decisions.".length()).split("\\.")[0]
                    : "";
            String key = field.endsWith(".handOverTo") && p.status() == 409
                    ? Tekst.key("werkplek.organisatie.fout.overdragen.bezet")
                    : Tekst.key("werkplek.organisatie.fout.veranderd");
            Tekst t = pages.tekst();
            String href = PAD + "/" + id + "/verwijderen" + (signal.isEmpty() ? "" : "#besluit-" + signal);
            return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, CONTROLEREN,
                    controlePagina(m, o, List.of(new Onderdelen.Fout(href, t.get(key)))));
        }
        return HttpResponse.seeOther(URI.create(PAD + "/" + id + "?melding=verwijderd"));
    }

    private NieuwPagina nieuwPagina(Medewerker m, NieuwFormulier form, Map<String, String> foutKeys) {
        Tekst t = pages.tekst();
        Map<String, String> fout = new LinkedHashMap<>();
        foutKeys.forEach((field, key) -> fout.put(field, t.get(key)));
        List<Onderdelen.Fout> samenvatting = new ArrayList<>();
        String[][] volgorde = {{"name", "#naam"}, {"sector", "#sector-" + Sector.values()[0].name()},
                {"coordinator.username", "#gebruikersnaam"}, {"coordinator.displayName", "#weergavenaam"},
                {"coordinator.email", "#email"}, {"coordinator.initialPassword", "#wachtwoord"}};
        for (String[] v : volgorde) {
            if (fout.containsKey(v[0])) {
                samenvatting.add(new Onderdelen.Fout(v[1], fout.get(v[0])));
            }
        }
        List<Optie> sectoren = new ArrayList<>();
        SECTOREN.forEach((code, key) -> sectoren.add(new Optie(code, t.get(key), code.equals(form.sector()))));
        return new NieuwPagina(m.csrf(), new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"), samenvatting),
                new Onderdelen.Invoerveld("naam", "naam", t.get("werkplek.organisatie.nieuw.naam"), null, form.naam(),
                        fout.get("name"), "organization", "text"),
                sectoren, fout.get("sector"),
                new Onderdelen.Invoerveld("gebruikersnaam", "gebruikersnaam",
                        t.get("werkplek.organisatie.nieuw.gebruikersnaam"),
                        t.get("werkplek.organisatie.nieuw.gebruikersnaam.beschrijving"), form.gebruikersnaam(),
                        fout.get("coordinator.username"), "off", "text"),
                new Onderdelen.Invoerveld("weergavenaam", "weergavenaam", t.get("werkplek.organisatie.nieuw.weergavenaam"),
                        null, form.weergavenaam(), fout.get("coordinator.displayName"), "off", "text"),
                new Onderdelen.Invoerveld("email", "email", t.get("werkplek.organisatie.nieuw.email"), null, form.email(),
                        fout.get("coordinator.email"), "off", "email"),
                passwords ? new Onderdelen.Invoerveld("wachtwoord", "wachtwoord",
                        t.get("werkplek.organisatie.nieuw.wachtwoord"),
                        t.get("werkplek.organisatie.nieuw.wachtwoord.beschrijving"), null,
                        fout.get("coordinator.initialPassword"), "new-password", "text") : null);
    }

    /** The message key of a broken rule of the admission form. */
    private static String foutKey(String field, boolean missing, boolean taken) {
        return switch (field) {
            case "name" -> taken ? Tekst.key("werkplek.organisatie.fout.naam.bestaat")
                    : missing ? Tekst.key("werkplek.organisatie.fout.naam.leeg")
                    : Tekst.key("werkplek.organisatie.fout.naam.lang");
            case "sector" -> Tekst.key("werkplek.organisatie.fout.sector");
            case "coordinator.username" -> taken ? Tekst.key("werkplek.organisatie.fout.gebruikersnaam.bezet")
                    : missing ? Tekst.key("werkplek.organisatie.fout.gebruikersnaam.leeg")
                    : Tekst.key("werkplek.organisatie.fout.gebruikersnaam.vorm");
            case "coordinator.displayName" -> missing ? Tekst.key("werkplek.organisatie.fout.weergavenaam.leeg")
                    : Tekst.key("werkplek.organisatie.fout.weergavenaam.lang");
            case "coordinator.email" -> missing ? Tekst.key("werkplek.organisatie.fout.email.leeg")
                    : Tekst.key("werkplek.organisatie.fout.email.vorm");
            default -> Tekst.key("werkplek.organisatie.fout.wachtwoord");
        };
    }

    private VerwijderenPagina verwijderenPagina(Medewerker m, OrganisationView o, Map<String, String> keuzes,
                                                Map<String, String> redenen, Map<String, String> foutKeys) {
        Tekst t = pages.tekst();
        OrganisationView.ToDecide toDecide = organisations.toDecide(m.username(), o.id());
        List<Besluit> besluiten = new ArrayList<>();
        List<Onderdelen.Fout> samenvatting = new ArrayList<>();
        int n = 0;
        for (OrganisationView.OpenSignal s : toDecide.items()) {
            n++;
            String key = s.id().toString();
            String keuze = keuzes.getOrDefault(key, "");
            List<Optie> opties = new ArrayList<>();
            opties.add(new Optie("", t.get("werkplek.organisatie.besluit.kies"), keuze.isEmpty()));
            boolean actief = OrganisationService.ACTIVE.equals(s.status());
            opties.add(new Optie(BEEINDIGEN, t.get(actief ? Tekst.key("werkplek.organisatie.besluit.beeindigen")
                    : Tekst.key("werkplek.organisatie.besluit.laten")), BEEINDIGEN.equals(keuze)));
            for (OrganisationView.Candidate c : toDecide.handOverTo()) {
                opties.add(new Optie(AAN + c.username(), t.get("werkplek.organisatie.besluit.aan", c.displayName(),
                        c.organisation()), (AAN + c.username()).equals(keuze)));
            }
            String keuzeFout = foutKeys.containsKey("besluit-" + key) ? t.get(foutKeys.get("besluit-" + key)) : null;
            String redenFout = foutKeys.containsKey("reden-" + key) ? t.get(foutKeys.get("reden-" + key)) : null;
            if (keuzeFout != null) {
                samenvatting.add(new Onderdelen.Fout("#besluit-" + key, t.get("werkplek.organisatie.fout.bij", n,
                        keuzeFout)));
            }
            if (redenFout != null) {
                samenvatting.add(new Onderdelen.Fout("#reden-" + key, t.get("werkplek.organisatie.fout.bij", n,
                        redenFout)));
            }
            String legend = t.get("werkplek.organisatie.signaal", n, t.datum(s.registeredOn()), s.professional(),
                    t.get(OrganisationService.ACTIVE.equals(s.status()) ? Tekst.key("werkplek.organisatie.signaal.actief")
                            : Tekst.key("werkplek.organisatie.signaal.beeindigd")), s.openMatches());
            besluiten.add(new Besluit(key, legend, opties, keuzeFout, !"ACTIVE".equals(s.status()) ? null
                    : new Onderdelen.Tekstvak("reden-" + key, "reden-" + key, t.get("werkplek.organisatie.reden"),
                            false, t.get("werkplek.organisatie.reden.beschrijving"), redenen.get(key), redenFout, 2)));
        }
        return new VerwijderenPagina(o.name(), o.id(), m.csrf(),
                new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"), samenvatting), besluiten);
    }

    private ControlePagina controlePagina(Medewerker m, OrganisationView o, List<Onderdelen.Fout> fouten) {
        Tekst t = pages.tekst();
        Removal removal = drafts.find(o.id(), m.username()).orElse(new Removal(Map.of()));
        OrganisationView.ToDecide toDecide = organisations.toDecide(m.username(), o.id());
        List<List<String>> rijen = new ArrayList<>();
        int n = 0;
        for (OrganisationView.OpenSignal s : toDecide.items()) {
            n++;
            Removal.Decision d = removal.decisions() == null ? null : removal.decisions().get(s.id().toString());
            String besluit;
            if (d == null && "ACTIVE".equals(s.status())) {
                besluit = t.get("werkplek.organisatie.besluit.geen");
            } else if (d == null || d.handOverTo() == null && !"ACTIVE".equals(s.status())) {
                besluit = t.get("werkplek.organisatie.besluit.blijft-beeindigd");
            } else if (d.handOverTo() != null) {
                besluit = toDecide.handOverTo().stream().filter(c -> c.username().equals(d.handOverTo())).findFirst()
                        .map(c -> t.get("werkplek.organisatie.besluit.aan", c.displayName(), c.organisation()))
                        .orElse(d.handOverTo());
            } else {
                besluit = t.get("werkplek.organisatie.besluit.beeindigd-om", d.endReason());
            }
            rijen.add(List.of(t.get("werkplek.organisatie.signaal.kort", n, t.datum(s.registeredOn()),
                    s.professional()), besluit));
        }
        return new ControlePagina(o.name(), o.id(),
                new Onderdelen.Foutsamenvatting(t.get("fout.samenvatting.kop"), fouten),
                new Onderdelen.Tabel(t.get("werkplek.organisatie.controleren.bijschrift"),
                        List.of(t.get("werkplek.organisatie.kop.signaal"), t.get("werkplek.organisatie.kop.besluit")),
                        rijen),
                new Onderdelen.Knop(PAD + "/" + o.id() + "/verwijderen/controleren", m.csrf(),
                        t.get("werkplek.organisatie.verwijderen.knop"), true));
    }

    /** The organisation's details; 404 page when there is none. */
    private OrganisationView.Detail detail(Medewerker m, String id) {
        try {
            return organisations.find(m.username(), id);
        } catch (ProblemException e) {
            throw WerkplekFouten.nietGevonden(Tekst.key("werkplek.organisatie.niet-gevonden.titel"),
                    Tekst.key("werkplek.organisatie.niet-gevonden.tekst"));
        }
    }

    /** The organisation, unless it is removed or missing (404 page). */
    private OrganisationView removable(Medewerker m, String id) {
        OrganisationView o = organisations.list().stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
        if (o == null || OrganisationService.REMOVED.equals(o.status())) {
            throw WerkplekFouten.nietGevonden(Tekst.key("werkplek.organisatie.niet-gevonden.titel"),
                    Tekst.key("werkplek.organisatie.niet-gevonden.tekst"));
        }
        return o;
    }

    private String sector(@Nullable String code) {
        return pages.tekst().get(sectorKey(code));
    }

    /** The text key of a sector's Dutch name; "unknown" for none (organisations made before sectors were kept). */
    public static String sectorKey(@Nullable String code) {
        return code == null || !SECTOREN.containsKey(code) ? Tekst.key("werkplek.organisatie.onbekend")
                : SECTOREN.get(code);
    }

    private @Nullable Onderdelen.Melding melding(@Nullable String code) {
        Tekst t = pages.tekst();
        return code == null || !MELDINGEN.containsKey(code) ? null
                : new Onderdelen.Melding("ok", null, t.get(MELDINGEN.get(code)));
    }
}
