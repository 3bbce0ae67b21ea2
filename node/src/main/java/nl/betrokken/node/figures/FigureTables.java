package nl.betrokken.node.figures;

import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.micronaut.core.annotation.Nullable;
import nl.betrokken.node.notify.StatsView;
import nl.betrokken.node.organisation.OrganisationService;
import nl.betrokken.node.organisation.WerkplekOrganisatiesController;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Tekst;

/**
 * The figures as the tables that the page shows and the CSV files hold, in Dutch: one place builds them, so that a
 * download has exactly the numbers of the page. Each table has a name ({@link #NAMES}) used in the CSV's address.
 */
final class FigureTables {

    static final String SIGNALS = "signals";
    static final String ORGANISATIONS = "organisations";
    static final String SECTORS = "sectors";
    static final String REGIONS = "regions";
    static final String MATCHES = "matches";
    static final String FOLLOW_UP = "follow-up";
    static final String FOLLOW_UP_ORGANISATIONS = "follow-up-organisations";
    static final String NOTIFICATIONS = "notifications";
    static final String OBJECTIONS = "objections";
    static final String CONSENTS = "consents";
    /** The tables, in the order of the page. */
    static final List<String> NAMES = List.of(SIGNALS, ORGANISATIONS, SECTORS, REGIONS, MATCHES, FOLLOW_UP,
            FOLLOW_UP_ORGANISATIONS, NOTIFICATIONS, OBJECTIONS, CONSENTS);

    private static final DateTimeFormatter MAAND = DateTimeFormatter.ofPattern("MMMM yyyy", Tekst.NL);
    private static final DateTimeFormatter MAAND_KORT = DateTimeFormatter.ofPattern("MMM yyyy", Tekst.NL);

    private FigureTables() {
    }

    /** Every table of {@code r}, by name, in the order of {@link #NAMES}. */
    static Map<String, Onderdelen.Tabel> of(Tekst t, Figures.Report r) {
        Map<String, Onderdelen.Tabel> out = new LinkedHashMap<>();
        String maand = t.get(Tekst.key("werkplek.cijfers.kop.maand"));
        String totaal = t.get(Tekst.key("werkplek.cijfers.kop.totaal"));

        out.put(SIGNALS, tabel(t, Tekst.key("werkplek.cijfers.signalen.bijschrift"),
                List.of(maand, t.get(Tekst.key("werkplek.cijfers.kop.signalen"))),
                r.signals(), s -> List.of(maand(s.month()), Integer.toString(s.count()))));

        List<String> perMaand = r.months().stream().map(FigureTables::maandKort).toList();
        List<String> koppen = new ArrayList<>(List.of(t.get(Tekst.key("werkplek.cijfers.kop.organisatie")),
                t.get(Tekst.key("werkplek.cijfers.kop.sector"))));
        koppen.addAll(perMaand);
        koppen.addAll(List.of(totaal, t.get(Tekst.key("werkplek.cijfers.kop.laatste-signaal")),
                t.get(Tekst.key("werkplek.cijfers.kop.laatste-dagen"), Figures.SILENT_DAYS)));
        out.put(ORGANISATIONS, tabel(t, Tekst.key("werkplek.cijfers.organisaties.bijschrift"), koppen,
                r.organisations(), o -> {
                    List<String> rij = new ArrayList<>(List.of(o.organisation(), sector(t, o.sector())));
                    o.perMonth().forEach(n -> rij.add(Integer.toString(n)));
                    rij.add(Integer.toString(o.total()));
                    rij.add(o.lastSignalOn() == null ? t.get(Tekst.key("werkplek.cijfers.nooit"))
                            : t.datum(o.lastSignalOn()));
                    rij.add(t.get(o.silent() ? Tekst.key("werkplek.cijfers.stil")
                            : OrganisationService.ACTIVE.equals(o.status()) ? Tekst.key("werkplek.cijfers.niet-stil")
                            : Tekst.key("werkplek.cijfers.doet-niet-mee")));
                    return rij;
                }));

        List<String> sectorKoppen = new ArrayList<>(List.of(t.get(Tekst.key("werkplek.cijfers.kop.sector"))));
        sectorKoppen.addAll(perMaand);
        sectorKoppen.add(totaal);
        out.put(SECTORS, tabel(t, Tekst.key("werkplek.cijfers.sectoren.bijschrift"), sectorKoppen, r.sectors(), s -> {
            List<String> rij = new ArrayList<>(List.of(sector(t, s.sector())));
            s.perMonth().forEach(n -> rij.add(Integer.toString(n)));
            rij.add(Integer.toString(s.total()));
            return rij;
        }));

        // without the coordinator's answer: no rows (the page says why; the CSV is refused, FiguresController)
        List<Figures.RegionRow> regions = r.regions() == null ? List.of() : r.regions();
        out.put(REGIONS, new Onderdelen.Tabel(t.get(Tekst.key("werkplek.cijfers.regios.bijschrift"),
                Figures.SILENT_DAYS), List.of(t.get(Tekst.key("werkplek.cijfers.kop.regio")),
                t.get(Tekst.key("werkplek.cijfers.kop.regio-ontvangen"), Figures.SILENT_DAYS),
                t.get(Tekst.key("werkplek.cijfers.kop.laatste-signaal")),
                t.get(Tekst.key("werkplek.cijfers.kop.laatste-dagen"), Figures.SILENT_DAYS)),
                regions.stream().map(g -> List.of(g.node(), n(g.signalsReceived()), g.lastSignalOn() == null
                        ? t.get(Tekst.key("werkplek.cijfers.nooit")) : t.datum(g.lastSignalOn()),
                        t.get(g.silent() ? Tekst.key("werkplek.cijfers.stil")
                                : Tekst.key("werkplek.cijfers.niet-stil")))).toList()));

        out.put(MATCHES, tabel(t, Tekst.key("werkplek.cijfers.matches.bijschrift"), List.of(maand,
                        t.get(Tekst.key("werkplek.cijfers.kop.kind-binnen")),
                        t.get(Tekst.key("werkplek.cijfers.kop.kind-buiten")),
                        t.get(Tekst.key("werkplek.cijfers.kop.gezin-binnen")),
                        t.get(Tekst.key("werkplek.cijfers.kop.gezin-buiten")), totaal),
                r.matches(), m -> List.of(maand(m.month()), n(m.childWithin()), n(m.childAcross()),
                        n(m.familyWithin()), n(m.familyAcross()),
                        n(m.childWithin() + m.childAcross() + m.familyWithin() + m.familyAcross()))));

        List<String> opvolging = List.of(t.get(Tekst.key("werkplek.cijfers.kop.matches")),
                t.get(Tekst.key("werkplek.cijfers.kop.opgevolgd")), t.get(Tekst.key("werkplek.cijfers.kop.percentage")),
                t.get(Tekst.key("werkplek.cijfers.kop.te-laat")), t.get(Tekst.key("werkplek.cijfers.kop.coordinator")));
        List<String> opvolgingKoppen = new ArrayList<>(List.of(maand));
        opvolgingKoppen.addAll(opvolging);
        out.put(FOLLOW_UP, tabel(t, Tekst.key("werkplek.cijfers.opvolging.bijschrift"), opvolgingKoppen, r.followUp(),
                f -> List.of(maand(f.month()), n(f.matches()), n(f.followedUp()), procent(t, f.followUpRate()),
                        n(f.overdue()), n(f.escalated()))));
        List<String> perOrganisatie = new ArrayList<>(List.of(t.get(Tekst.key("werkplek.cijfers.kop.organisatie"))));
        perOrganisatie.addAll(opvolging);
        out.put(FOLLOW_UP_ORGANISATIONS, tabel(t, Tekst.key("werkplek.cijfers.opvolging-organisaties.bijschrift"),
                perOrganisatie, r.followUpPerOrganisation(), f -> List.of(f.organisation(), n(f.matches()),
                        n(f.followedUp()), procent(t, f.followUpRate()), n(f.overdue()), n(f.escalated()))));

        out.put(NOTIFICATIONS, tabel(t, Tekst.key("werkplek.cijfers.berichten.bijschrift"), List.of(maand,
                        t.get(Tekst.key("werkplek.cijfers.kop.berichten")),
                        t.get(Tekst.key("werkplek.cijfers.kop.email-bezorgd")),
                        t.get(Tekst.key("werkplek.cijfers.kop.email-mislukt")),
                        t.get(Tekst.key("werkplek.cijfers.kop.email-onderweg")),
                        t.get(Tekst.key("werkplek.cijfers.kop.email-percentage")),
                        t.get(Tekst.key("werkplek.cijfers.kop.webhook-bezorgd")),
                        t.get(Tekst.key("werkplek.cijfers.kop.webhook-mislukt")),
                        t.get(Tekst.key("werkplek.cijfers.kop.webhook-percentage"))),
                r.notifications(), b -> {
                    StatsView.Channel e = b.email();
                    StatsView.Channel w = b.webhook();
                    return List.of(maand(b.month()), n(b.notifications()), n(e.delivered()), n(e.failed()),
                            n(e.pending()), procent(t, e.failureRate()), n(w.delivered()), n(w.failed()),
                            procent(t, w.failureRate()));
                }));

        out.put(OBJECTIONS, tabel(t, Tekst.key("werkplek.cijfers.bezwaren.bijschrift"), List.of(maand,
                        t.get(Tekst.key("werkplek.cijfers.kop.ingediend")),
                        t.get(Tekst.key("werkplek.cijfers.kop.toegewezen")),
                        t.get(Tekst.key("werkplek.cijfers.kop.afgewezen")),
                        t.get(Tekst.key("werkplek.cijfers.kop.open"))),
                r.objections(), o -> List.of(maand(o.month()), n(o.filed()), n(o.upheld()), n(o.rejected()),
                        n(o.open()))));

        out.put(CONSENTS, tabel(t, Tekst.key("werkplek.cijfers.toestemming.bijschrift"), List.of(maand,
                        t.get(Tekst.key("werkplek.cijfers.kop.gevraagd")),
                        t.get(Tekst.key("werkplek.cijfers.kop.gegeven")),
                        t.get(Tekst.key("werkplek.cijfers.kop.geweigerd")),
                        t.get(Tekst.key("werkplek.cijfers.kop.ingetrokken"))),
                r.consents(), c -> List.of(maand(c.month()), n(c.asked()), n(c.granted()), n(c.refused()),
                        n(c.withdrawn()))));
        return out;
    }

    /**
     * {@code tabel} as CSV for a spreadsheet set to Dutch: a byte order mark (so that it opens as UTF-8), fields
     * separated by {@code ;} (the comma is the decimal sign), CRLF line ends, the header row first. A field that a
     * spreadsheet would read as a formula ({@code = + - @} first) gets a leading {@code '}.
     */
    static String csv(Onderdelen.Tabel tabel) {
        StringBuilder out = new StringBuilder("\uFEFF");
        line(out, tabel.koppen());
        tabel.rijen().forEach(rij -> line(out, rij));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            out.append(i == 0 ? "" : ";").append(field(fields.get(i)));
        }
        out.append("\r\n");
    }

    private static String field(String value) {
        String v = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return v.contains(";") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    /** "januari 2026". */
    static String maand(String month) {
        return MAAND.format(YearMonth.parse(month));
    }

    /** "jan. 2026", for the month columns. */
    static String maandKort(String month) {
        return MAAND_KORT.format(YearMonth.parse(month));
    }

    static String sector(Tekst t, @Nullable String code) {
        return t.get(WerkplekOrganisatiesController.sectorKey(code));
    }

    /** A rate as a percentage with one decimal ("66,7%"), or "geen" when there is nothing to divide by. */
    static String procent(Tekst t, @Nullable Double rate) {
        return rate == null ? t.get(Tekst.key("werkplek.cijfers.geen")) : String.format(Tekst.NL, "%.1f%%", rate * 100);
    }

    private static String n(long value) {
        return Long.toString(value);
    }

    private static <T> Onderdelen.Tabel tabel(Tekst t, String bijschrift, List<String> koppen, List<T> rows,
                                              Function<T, List<String>> rij) {
        return new Onderdelen.Tabel(t.get(bijschrift), koppen, rows.stream().map(rij).toList());
    }
}
