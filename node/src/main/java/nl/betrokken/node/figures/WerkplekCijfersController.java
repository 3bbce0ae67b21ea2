package nl.betrokken.node.figures;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.account.Medewerker;
import nl.betrokken.node.account.Role;
import nl.betrokken.node.account.WerkplekSessions;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Periodeformulier;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.node.web.WerkplekFouten;

/**
 * The figures page of the gemeente and the matchcoördinator ({@code /werkplek/cijfers}, docs/werkplek.md): a period
 * chooser (a GET form of months), a warning when the region or some of its organisations sent no signal for a month,
 * and per subject a bar chart drawn on the server ({@link Staafdiagram}) with its table and a CSV download
 * ({@code /werkplek/cijfers/<table>.csv}, the same file as {@code /api/v1/figures/<table>.csv}). The page calls the
 * same service as the API ({@link Figures}), so every read is the same {@code figures.read} entry.
 */
@Controller("/werkplek/cijfers")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekCijfersController {

    static final String CIJFERS = "werkplek/cijfers";
    static final String PAD = "/werkplek/cijfers";

    /** A month as people type it: 3-2026, 03-2026 (also with / . or a space), or as the API takes it: 2026-03. */
    private static final Pattern MAAND_JAAR = Pattern.compile("(\\d{1,2})[-/. ](\\d{4})");
    private static final Pattern JAAR_MAAND = Pattern.compile("(\\d{4})-(\\d{1,2})");

    private static final Periodeformulier.Teksten TEKSTEN = new Periodeformulier.Teksten(
            Tekst.key("werkplek.cijfers.van.label"), Tekst.key("werkplek.cijfers.tot.label"),
            Tekst.key("werkplek.cijfers.maand.beschrijving"), Tekst.key("werkplek.cijfers.fout.kop"));

    private final Pages pages;
    private final WerkplekSessions sessions;
    private final Figures figures;
    private final NodeConfiguration node;
    private final Clock clock;

    WerkplekCijfersController(Pages pages, WerkplekSessions sessions, Figures figures, NodeConfiguration node,
                              Clock clock) {
        this.pages = pages;
        this.sessions = sessions;
        this.figures = figures;
        this.node = node;
        this.clock = clock;
    }

    /**
     * One subject: its heading, what it means, a chart (none for a table that is not drawn) and its table, and the
     * address of the table as CSV.
     */
    public record Blok(String id, String kop, String uitleg, @Nullable Staafdiagram diagram, Onderdelen.Tabel tabel,
                       String csv) {
    }

    /** A subject's table (its name in {@link FigureTables}), its section's id, and the keys of its heading and text. */
    private record Onderwerp(String table, String id, String kop, String uitleg) {
    }

    /** The page: the period's form (kept as typed), the warnings about silence, and the subjects of a valid period. */
    public record CijfersPagina(Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Invoerveld van,
                                Onderdelen.Invoerveld tot, List<Onderdelen.Melding> waarschuwingen,
                                @Nullable String periode, List<Blok> blokken) {
        public boolean fout() {
            return !samenvatting().fouten().isEmpty();
        }
    }

    @Get(uris = {"", "/"})
    HttpResponse<?> cijfers(HttpRequest<?> request, @QueryValue @Nullable String van,
                            @QueryValue @Nullable String tot) {
        Medewerker m = sessions.require(request, Role.GEMEENTE, Role.MATCHCOORDINATOR);
        Tekst t = pages.tekst();
        boolean standaard = van == null && tot == null;
        Figures.Months last = Figures.Months.lastYear(clock);
        String vanTekst = standaard ? veld(last.from()) : van;
        String totTekst = standaard ? veld(last.to()) : tot;
        Periodeformulier<YearMonth> formulier = Periodeformulier.lees(t, TEKSTEN, vanTekst, totTekst,
                WerkplekCijfersController::maand, (from, to) -> {
                    Figures.Months.Refusal refusal = Figures.Months.refused(from, to);
                    return refusal == Figures.Months.Refusal.TO_BEFORE_FROM
                            ? t.get(Tekst.key("werkplek.cijfers.fout.tot-voor-van"))
                            : refusal == Figures.Months.Refusal.TOO_LONG
                            ? t.get(Tekst.key("werkplek.cijfers.fout.te-lang"), Figures.MAX_MONTHS) : null;
                });
        if (!formulier.geldig()) {
            return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, CIJFERS, new CijfersPagina(
                    formulier.samenvatting(), formulier.vanVeld(), formulier.totVeld(), List.of(), null, List.of()));
        }
        Figures.Months months = new Figures.Months(formulier.van(), formulier.tot());
        Figures.Report r = figures.report(FiguresController.actor(m.authentication()), months, "report");
        String periode = t.get(Tekst.key("werkplek.cijfers.periode"), FigureTables.maand(r.from()),
                FigureTables.maand(r.to()));
        return HttpResponse.ok(pages.werkplek(request, m, CIJFERS, new CijfersPagina(
                formulier.samenvatting(), formulier.vanVeld(), formulier.totVeld(), waarschuwingen(t, r), periode,
                blokken(t, r, months))));
    }

    /** One table as CSV, through the page's session: the same file as {@code GET /api/v1/figures/<table>.csv}. */
    @Get(value = "/{bestand}", produces = MediaType.ALL)
    HttpResponse<String> csv(HttpRequest<?> request, @PathVariable String bestand, @QueryValue @Nullable String van,
                             @QueryValue @Nullable String tot) {
        Medewerker m = sessions.require(request, Role.GEMEENTE, Role.MATCHCOORDINATOR);
        String table;
        Figures.Months months;
        try {
            table = FiguresController.table(bestand);
            months = new Figures.Months(maand(van), maand(tot));
        } catch (RuntimeException e) {
            throw WerkplekFouten.nietGevonden();
        }
        if (Figures.Months.refused(months.from(), months.to()) != null) {
            throw WerkplekFouten.nietGevonden();
        }
        Figures.Report r = figures.report(FiguresController.actor(m.authentication()), months, table);
        if (FiguresController.regionsMissing(table, r)) {
            throw WerkplekFouten.onbereikbaar();
        }
        return FiguresController.csv(node, months, table, FigureTables.of(pages.tekst(), r));
    }

    private static List<Onderdelen.Melding> waarschuwingen(Tekst t, Figures.Report r) {
        List<Onderdelen.Melding> out = new ArrayList<>();
        Figures.Silence s = r.silence();
        if (s.regionSilent()) {
            out.add(new Onderdelen.Melding("warning", t.get(Tekst.key("werkplek.cijfers.regio-stil.kop")),
                    s.regionLastSignal() == null ? t.get(Tekst.key("werkplek.cijfers.regio-stil.nooit"))
                            : t.get(Tekst.key("werkplek.cijfers.regio-stil"), t.datum(s.regionLastSignal()))));
        }
        List<String> stil = r.organisations().stream().filter(Figures.OrganisationRow::silent)
                .map(Figures.OrganisationRow::organisation).toList();
        if (!stil.isEmpty()) {
            out.add(new Onderdelen.Melding("warning", null, t.get(Tekst.key("werkplek.cijfers.organisaties-stil"),
                    stil.size(), Figures.SILENT_DAYS, t.datum(s.since()), String.join(", ", stil))));
        }
        if (r.regions() == null) {
            out.add(new Onderdelen.Melding("info", null, t.get(Tekst.key("werkplek.cijfers.regios-onbekend"))));
        } else if (!s.silentRegions().isEmpty()) {
            out.add(new Onderdelen.Melding("warning", t.get(Tekst.key("werkplek.cijfers.regios-stil.kop")),
                    t.get(Tekst.key("werkplek.cijfers.regios-stil"), Figures.SILENT_DAYS, t.datum(s.since()),
                            String.join(", ", s.silentRegions()))));
        }
        return out;
    }

    private static List<Blok> blokken(Tekst t, Figures.Report r, Figures.Months months) {
        Map<String, Onderdelen.Tabel> tabellen = FigureTables.of(t, r);
        String periode = "?van=" + months.from() + "&tot=" + months.to();
        List<Blok> out = new ArrayList<>();
        BiConsumer<Onderwerp, Staafdiagram> blok = (o, diagram) -> out.add(new Blok(o.id(), t.get(o.kop()),
                t.get(o.uitleg()), diagram, tabellen.get(o.table()), PAD + "/" + o.table() + ".csv" + periode));
        Function<Figures.MonthCount, String> maand = s -> FigureTables.maand(s.month());

        blok.accept(new Onderwerp(FigureTables.SIGNALS, "signalen", Tekst.key("werkplek.cijfers.signalen.kop"),
                Tekst.key("werkplek.cijfers.signalen.uitleg")), diagram("diagram-signalen",
                t.get(Tekst.key("werkplek.cijfers.signalen.diagram")), r.signals(), maand, Figures.MonthCount::count,
                s -> Integer.toString(s.count())));
        blok.accept(new Onderwerp(FigureTables.ORGANISATIONS, "organisaties",
                Tekst.key("werkplek.cijfers.organisaties.kop"), Tekst.key("werkplek.cijfers.organisaties.uitleg")),
                diagram("diagram-organisaties", t.get(Tekst.key("werkplek.cijfers.organisaties.diagram")),
                        r.organisations(), Figures.OrganisationRow::organisation, Figures.OrganisationRow::total,
                        o -> Integer.toString(o.total())));
        blok.accept(new Onderwerp(FigureTables.SECTORS, "sectoren", Tekst.key("werkplek.cijfers.sectoren.kop"),
                Tekst.key("werkplek.cijfers.sectoren.uitleg")), diagram("diagram-sectoren",
                t.get(Tekst.key("werkplek.cijfers.sectoren.diagram")), r.sectors(),
                s -> FigureTables.sector(t, s.sector()), Figures.SectorRow::total, s -> Integer.toString(s.total())));
        if (r.regions() != null) { // else the warnings say that the coordinator does not answer
            out.add(new Blok("regios", t.get(Tekst.key("werkplek.cijfers.regios.kop")),
                    t.get(Tekst.key("werkplek.cijfers.regios.uitleg"), Figures.SILENT_DAYS,
                            t.datum(r.silence().since())), null, tabellen.get(FigureTables.REGIONS),
                    PAD + "/" + FigureTables.REGIONS + ".csv" + periode));
        }

        blok.accept(new Onderwerp(FigureTables.MATCHES, "matches", Tekst.key("werkplek.cijfers.matches.kop"),
                Tekst.key("werkplek.cijfers.matches.uitleg")), totalen("diagram-matches",
                t.get(Tekst.key("werkplek.cijfers.matches.diagram")), List.of(
                        t.get(Tekst.key("werkplek.cijfers.kop.kind-binnen")),
                        t.get(Tekst.key("werkplek.cijfers.kop.kind-buiten")),
                        t.get(Tekst.key("werkplek.cijfers.kop.gezin-binnen")),
                        t.get(Tekst.key("werkplek.cijfers.kop.gezin-buiten"))),
                som(r.matches(), Figures.MatchRow::childWithin, Figures.MatchRow::childAcross,
                        Figures.MatchRow::familyWithin, Figures.MatchRow::familyAcross)));

        blok.accept(new Onderwerp(FigureTables.FOLLOW_UP, "opvolging", Tekst.key("werkplek.cijfers.opvolging.kop"),
                Tekst.key("werkplek.cijfers.opvolging.uitleg")), diagram("diagram-opvolging",
                t.get(Tekst.key("werkplek.cijfers.opvolging.diagram")), r.followUp(),
                f -> FigureTables.maand(f.month()), f -> f.followUpRate() == null ? 0.0 : f.followUpRate(),
                f -> FigureTables.procent(t, f.followUpRate())));
        blok.accept(new Onderwerp(FigureTables.FOLLOW_UP_ORGANISATIONS, "opvolging-organisaties",
                Tekst.key("werkplek.cijfers.opvolging-organisaties.kop"),
                Tekst.key("werkplek.cijfers.opvolging-organisaties.uitleg")), null);

        blok.accept(new Onderwerp(FigureTables.NOTIFICATIONS, "berichten", Tekst.key("werkplek.cijfers.berichten.kop"),
                Tekst.key("werkplek.cijfers.berichten.uitleg")), diagram("diagram-berichten",
                t.get(Tekst.key("werkplek.cijfers.berichten.diagram")), r.notifications(),
                b -> FigureTables.maand(b.month()),
                b -> b.email().failureRate() == null ? 0.0 : b.email().failureRate(),
                b -> FigureTables.procent(t, b.email().failureRate())));

        // the open ones are those at the period's end, not a sum
        long[] bezwaren = som(r.objections(), Figures.ObjectionRow::filed, Figures.ObjectionRow::upheld,
                Figures.ObjectionRow::rejected, o -> 0);
        bezwaren[3] = r.objections().isEmpty() ? 0 : r.objections().get(r.objections().size() - 1).open();
        blok.accept(new Onderwerp(FigureTables.OBJECTIONS, "bezwaren", Tekst.key("werkplek.cijfers.bezwaren.kop"),
                Tekst.key("werkplek.cijfers.bezwaren.uitleg")), totalen("diagram-bezwaren",
                t.get(Tekst.key("werkplek.cijfers.bezwaren.diagram")), List.of(
                        t.get(Tekst.key("werkplek.cijfers.kop.ingediend")),
                        t.get(Tekst.key("werkplek.cijfers.kop.toegewezen")),
                        t.get(Tekst.key("werkplek.cijfers.kop.afgewezen")),
                        t.get(Tekst.key("werkplek.cijfers.bezwaren.nog-open"))), bezwaren));

        blok.accept(new Onderwerp(FigureTables.CONSENTS, "toestemming", Tekst.key("werkplek.cijfers.toestemming.kop"),
                Tekst.key("werkplek.cijfers.toestemming.uitleg")), totalen("diagram-toestemming",
                t.get(Tekst.key("werkplek.cijfers.toestemming.diagram")), List.of(
                        t.get(Tekst.key("werkplek.cijfers.kop.gevraagd")),
                        t.get(Tekst.key("werkplek.cijfers.kop.gegeven")),
                        t.get(Tekst.key("werkplek.cijfers.kop.geweigerd")),
                        t.get(Tekst.key("werkplek.cijfers.kop.ingetrokken"))),
                som(r.consents(), Figures.ConsentRow::asked, Figures.ConsentRow::granted,
                        Figures.ConsentRow::refused, Figures.ConsentRow::withdrawn)));
        return out;
    }

    /** A chart of one bar per row: its label, its length and the value written beside it. */
    private static <T> Staafdiagram diagram(String id, String naam, List<T> rows, Function<T, String> label,
                                            ToDoubleFunction<T> waarde, Function<T, String> tekst) {
        return Staafdiagram.of(id, naam, rows.stream().map(label).toList(),
                rows.stream().map(x -> waarde.applyAsDouble(x)).toList(), rows.stream().map(tekst).toList());
    }

    /** Per function, its sum over {@code rows}. */
    @SafeVarargs
    private static <T> long[] som(List<T> rows, ToLongFunction<T>... waarden) {
        long[] out = new long[waarden.length];
        for (int i = 0; i < waarden.length; i++) {
            out[i] = rows.stream().mapToLong(waarden[i]).sum();
        }
        return out;
    }

    private static Staafdiagram totalen(String id, String naam, List<String> labels, long[] waarden) {
        List<Double> v = new ArrayList<>();
        List<String> teksten = new ArrayList<>();
        for (long n : waarden) {
            v.add((double) n);
            teksten.add(Long.toString(n));
        }
        return Staafdiagram.of(id, naam, labels, v, teksten);
    }

    /** The month as the form shows it: 03-2026. */
    private static String veld(YearMonth m) {
        return String.format("%02d-%d", m.getMonthValue(), m.getYear());
    }

    /** A month field's value, or an {@link IllegalArgumentException} whose message is the error's key. */
    static YearMonth maand(@Nullable String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(Tekst.key("werkplek.cijfers.fout.leeg"));
        }
        String s = text.strip();
        Matcher mj = MAAND_JAAR.matcher(s);
        Matcher jm = JAAR_MAAND.matcher(s);
        YearMonth m;
        try {
            if (mj.matches()) {
                m = YearMonth.of(Integer.parseInt(mj.group(2)), Integer.parseInt(mj.group(1)));
            } else if (jm.matches()) {
                m = YearMonth.of(Integer.parseInt(jm.group(1)), Integer.parseInt(jm.group(2)));
            } else {
                throw new IllegalArgumentException(Tekst.key("werkplek.cijfers.fout.geen-maand"));
            }
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(Tekst.key("werkplek.cijfers.fout.bestaat-niet"));
        }
        if (m.getYear() < Figures.FIRST_YEAR || m.getYear() > Figures.LAST_YEAR) {
            throw new IllegalArgumentException(Tekst.key("werkplek.cijfers.fout.jaar"));
        }
        return m;
    }
}
