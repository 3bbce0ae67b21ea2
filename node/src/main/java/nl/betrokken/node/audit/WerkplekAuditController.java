package nl.betrokken.node.audit;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.account.Medewerker;
import nl.betrokken.node.account.Role;
import nl.betrokken.node.account.WerkplekSessions;
import nl.betrokken.node.followup.FollowUpStats;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Pages;
import nl.betrokken.node.web.Periodeformulier;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.node.web.WerkplekFouten;

/**
 * The auditor's werkplek pages (docs/werkplek.md, "Auditor"), over the services of the audit API
 * ({@link AuditController}): the report of a period ({@code /werkplek/audit}, {@link AuditReports}), the checkpoints
 * ({@code /werkplek/audit/controlepunten}) and the bundle with how to verify it ({@code /werkplek/audit/bundel}, the
 * file itself at {@code /werkplek/audit/bundel/bestand}, {@link AuditReads}). Each read is the same {@code audit.read}
 * entry as the API's; the page request itself is an {@code access.auditor} entry (audit/PrivilegedAccessRule).
 */
@Controller("/werkplek/audit")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
@Produces(MediaType.TEXT_HTML)
public class WerkplekAuditController {

    static final String RAPPORT = "werkplek/audit-rapport";
    static final String CONTROLEPUNTEN = "werkplek/audit-controlepunten";
    static final String BUNDEL = "werkplek/audit-bundel";

    /** Dates as people type them: 1-3-2026 or 01-03-2026; also as the API takes them, 2026-03-01. */
    private static final DateTimeFormatter DAG_MAAND_JAAR = DateTimeFormatter.ofPattern("d-M-uuuu")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter VELD = DateTimeFormatter.ofPattern("dd-MM-uuuu");

    private static final Map<String, String> ROL = Map.of(
            "prof", Tekst.key("werkplek.audit.rol.prof"),
            "coord", Tekst.key("werkplek.audit.rol.coord"),
            "gemeente", Tekst.key("werkplek.audit.rol.gemeente"),
            "auditor", Tekst.key("werkplek.audit.rol.auditor"),
            "node", Tekst.key("werkplek.audit.rol.node"),
            "system", Tekst.key("werkplek.audit.rol.system"),
            "citizen", Tekst.key("werkplek.audit.rol.citizen"));

    private static final Periodeformulier.Teksten TEKSTEN = new Periodeformulier.Teksten(
            Tekst.key("werkplek.audit.van.label"), Tekst.key("werkplek.audit.tot.label"),
            Tekst.key("werkplek.audit.datum.beschrijving"), Tekst.key("werkplek.audit.fout.kop"));

    private final Pages pages;
    private final WerkplekSessions sessions;
    private final AuditReports reports;
    private final AuditReads reads;
    private final NodeAudit audit;

    WerkplekAuditController(Pages pages, WerkplekSessions sessions, AuditReports reports, AuditReads reads,
                            NodeAudit audit) {
        this.pages = pages;
        this.sessions = sessions;
        this.reports = reports;
        this.reads = reads;
        this.audit = audit;
    }

    /** The report page: the period's form (kept as typed) and, when the period is valid, the report's tables. */
    public record RapportPagina(Onderdelen.Foutsamenvatting samenvatting, Onderdelen.Invoerveld van,
                                Onderdelen.Invoerveld tot, @Nullable String periode,
                                @Nullable Onderdelen.Melding bewaren, List<Onderdelen.Tabel> tabellen) {
        public boolean fout() {
            return !samenvatting().fouten().isEmpty();
        }
    }

    /** The checkpoints page: the log's name and key, and one row per checkpoint. */
    public record ControlepuntenPagina(String logboek, String sleutel, Onderdelen.Tabel tabel) {
    }

    /** The bundle page: the log's name and key, and the file's name. */
    public record BundelPagina(String logboek, String sleutel, String bestand, String coordinatorBestand) {
    }

    @Get(uris = {"", "/"})
    HttpResponse<?> rapport(HttpRequest<?> request, @QueryValue @Nullable String van, @QueryValue @Nullable String tot) {
        Medewerker m = sessions.require(request, Role.AUDITOR);
        Tekst t = pages.tekst();
        LocalDate today = LocalDate.now(audit.clock());
        String vanTekst = van == null && tot == null ? VELD.format(today.minusMonths(1)) : van;
        String totTekst = van == null && tot == null ? VELD.format(today) : tot;
        Periodeformulier<LocalDate> formulier = Periodeformulier.lees(t, TEKSTEN, vanTekst, totTekst,
                WerkplekAuditController::dag, (from, to) -> {
                    AuditReads.Period.Refusal refusal = AuditReads.Period.refused(from, to);
                    return refusal == AuditReads.Period.Refusal.TO_BEFORE_FROM
                            ? t.get(Tekst.key("werkplek.audit.fout.tot-voor-van"))
                            : refusal == AuditReads.Period.Refusal.TOO_LONG
                            ? t.get(Tekst.key("werkplek.audit.fout.te-lang"), AuditReads.MAX_DAYS) : null;
                });
        Onderdelen.Invoerveld vanVeld = formulier.vanVeld();
        Onderdelen.Invoerveld totVeld = formulier.totVeld();
        Onderdelen.Foutsamenvatting samenvatting = formulier.samenvatting();
        if (!formulier.geldig()) {
            return pages.werkplekStatus(HttpStatus.UNPROCESSABLE_ENTITY, request, m, RAPPORT,
                    new RapportPagina(samenvatting, vanVeld, totVeld, null, null, List.of()));
        }
        AuditReads.Period period = AuditReads.Period.of(formulier.van(), formulier.tot()).orElseThrow();
        AuditReports.Report report = reports.report(m.username(), period);
        String periode = t.get(Tekst.key("werkplek.audit.periode"), t.datum(period.from()), t.datum(period.to()));
        return HttpResponse.ok(pages.werkplek(request, m, RAPPORT, new RapportPagina(samenvatting, vanVeld, totVeld,
                periode, bewaren(t, report.retention()), tabellen(t, report))));
    }

    @Get("/controlepunten")
    ModelAndView<?> controlepunten(HttpRequest<?> request) {
        Medewerker m = sessions.require(request, Role.AUDITOR);
        Tekst t = pages.tekst();
        AuditReads.KeptCheckpoints kept = reads.keptCheckpoints(m.username());
        List<List<String>> rijen = new ArrayList<>();
        for (int i = kept.kept().size() - 1; i >= 0; i--) {
            AuditReads.Kept k = kept.kept().get(i);
            String mede = k.countersignedAt() != null
                    ? t.get(Tekst.key("werkplek.audit.controlepunten.ja"), t.moment(k.countersignedAt()))
                    : t.get(k.unchecked() ? Tekst.key("werkplek.audit.controlepunten.niet-te-controleren")
                            : Tekst.key("werkplek.audit.controlepunten.nee"));
            rijen.add(List.of(Long.toString(k.size()), t.moment(k.signedAt()), mede));
        }
        Onderdelen.Tabel tabel = new Onderdelen.Tabel(t.get(Tekst.key("werkplek.audit.controlepunten.bijschrift")),
                List.of(t.get(Tekst.key("werkplek.audit.controlepunten.grootte")),
                        t.get(Tekst.key("werkplek.audit.controlepunten.getekend")),
                        t.get(Tekst.key("werkplek.audit.controlepunten.medeondertekend"))), rijen);
        return pages.werkplek(request, m, CONTROLEPUNTEN,
                new ControlepuntenPagina(kept.origin(), kept.logKey(), tabel));
    }

    @Get("/bundel")
    ModelAndView<?> bundel(HttpRequest<?> request) {
        Medewerker m = sessions.require(request, Role.AUDITOR);
        return pages.werkplek(request, m, BUNDEL, new BundelPagina(audit.log().origin(),
                audit.keys().auditLogSigner().verifier().verifierKey(), bestand(), coordinatorBestand()));
    }

    /** The bundle itself: the same file as {@code GET /api/v1/audit/bundle}, made by the same service call. */
    @Get(value = "/bundel/bestand", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> bestand(HttpRequest<?> request) {
        Medewerker m = sessions.require(request, Role.AUDITOR);
        return HttpResponse.ok(reads.bundle(m.username())).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + bestand() + "\"");
    }

    /**
     * The coordinator's own bundle, fetched through this node on the auditor's behalf: the same call as
     * {@code GET /api/v1/audit/coordinator/bundle}. A coordinator that does not give it now is the 503 page.
     */
    @Get(value = "/bundel/coordinator", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> coordinatorBestand(HttpRequest<?> request) {
        Medewerker m = sessions.require(request, Role.AUDITOR);
        String json;
        try {
            json = reads.coordinatorBundle(m.username());
        } catch (HttpStatusException e) {
            throw WerkplekFouten.onbereikbaar();
        }
        return HttpResponse.ok(json).contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + coordinatorBestand() + "\"");
    }

    static String coordinatorBestand() {
        return "coordinator-bundle-" + LocalDate.now(ClockFactory.ZONE) + ".json";
    }

    private String bestand() {
        String origin = audit.log().origin();
        return origin.substring(origin.lastIndexOf('/') + 1) + "-bundle-" + LocalDate.now(ClockFactory.ZONE) + ".json";
    }

    /** A date field's value, or an {@link IllegalArgumentException} whose message is the error's key. */
    private static LocalDate dag(@Nullable String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(Tekst.key("werkplek.audit.fout.leeg"));
        }
        String s = text.strip();
        try {
            return s.matches("\\d{4}-\\d{2}-\\d{2}") ? LocalDate.parse(s) : LocalDate.parse(s, DAG_MAAND_JAAR);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(s.matches("\\d{1,2}-\\d{1,2}-\\d{4}|\\d{4}-\\d{2}-\\d{2}")
                    ? Tekst.key("werkplek.audit.fout.bestaat-niet") : Tekst.key("werkplek.audit.fout.geen-datum"));
        }
    }

    private static Onderdelen.Melding bewaren(Tekst t, AuditReports.Retention r) {
        return r.compliant()
                ? new Onderdelen.Melding("ok", null, t.get(Tekst.key("werkplek.audit.bewaren.goed")))
                : new Onderdelen.Melding("warning", null, t.get(Tekst.key("werkplek.audit.bewaren.niet-goed")));
    }

    private static List<Onderdelen.Tabel> tabellen(Tekst t, AuditReports.Report r) {
        List<Onderdelen.Tabel> out = new ArrayList<>();
        AuditReports.Retention b = r.retention();
        out.add(cijfers(t, Tekst.key("werkplek.audit.bewaren.bijschrift"), List.of(
                rij(t, Tekst.key("werkplek.audit.bewaren.actief-te-lang"), b.activePastEnd()),
                rij(t, Tekst.key("werkplek.audit.bewaren.archief-te-lang"), b.archivedPastFiveYears()),
                List.of(t.get(Tekst.key("werkplek.audit.bewaren.laatste")), b.lastArchiveRun() == null
                        ? t.get(Tekst.key("werkplek.audit.nooit")) : t.moment(b.lastArchiveRun())),
                rij(t, Tekst.key("werkplek.audit.bewaren.runs"), b.archiveRunsInPeriod()),
                rij(t, Tekst.key("werkplek.audit.bewaren.gearchiveerd"), b.archivedInPeriod()),
                rij(t, Tekst.key("werkplek.audit.bewaren.gewist"), b.erasedInPeriod()))));

        List<List<String>> regels = new ArrayList<>();
        for (AuditReports.Access a : r.accessesByRole()) {
            String rol = ROL.get(a.role());
            regels.add(List.of(rol == null ? a.role() : t.get(rol), a.kind(), Long.toString(a.entries())));
        }
        out.add(new Onderdelen.Tabel(t.get(Tekst.key("werkplek.audit.regels.bijschrift")),
                List.of(t.get(Tekst.key("werkplek.audit.regels.rol")), t.get(Tekst.key("werkplek.audit.regels.soort")),
                        t.get(Tekst.key("werkplek.audit.aantal"))), regels));
        out.add(cijfers(t, Tekst.key("werkplek.audit.bijzonder.bijschrift"), List.of(
                rij(t, Tekst.key("werkplek.audit.bijzonder.achtergehouden"), r.sealedEntries()),
                rij(t, Tekst.key("werkplek.audit.bijzonder.geweigerd"), r.refusedCalls()))));

        AuditReports.FollowUp f = r.followUp();
        out.add(cijfers(t, Tekst.key("werkplek.audit.opvolging.bijschrift"), List.of(
                rij(t, Tekst.key("werkplek.audit.opvolging.matches"), f.matches()),
                rij(t, Tekst.key("werkplek.audit.opvolging.opgevolgd"), f.followedUp()),
                List.of(t.get(Tekst.key("werkplek.audit.opvolging.percentage")), procent(t, f.followUpRate())),
                rij(t, Tekst.key("werkplek.audit.opvolging.contact"), f.contactMade()),
                rij(t, Tekst.key("werkplek.audit.opvolging.niet-nodig"), f.notNeeded()),
                rij(t, Tekst.key("werkplek.audit.opvolging.regie"), f.regieTaken()),
                rij(t, Tekst.key("werkplek.audit.opvolging.te-laat"), f.overdue()),
                rij(t, Tekst.key("werkplek.audit.opvolging.coordinator"), f.escalated()))));
        List<List<String>> perOrganisatie = new ArrayList<>();
        for (FollowUpStats.Row row : f.perOrganisationAndMonth()) {
            perOrganisatie.add(List.of(row.organisation(), row.month(), Integer.toString(row.matches()),
                    Integer.toString(row.followedUp()), procent(t, row.followUpRate()),
                    Integer.toString(row.overdue())));
        }
        out.add(new Onderdelen.Tabel(t.get(Tekst.key("werkplek.audit.per-organisatie.bijschrift")),
                List.of(t.get(Tekst.key("werkplek.audit.per-organisatie.organisatie")),
                        t.get(Tekst.key("werkplek.audit.per-organisatie.maand")),
                        t.get(Tekst.key("werkplek.audit.opvolging.matches")),
                        t.get(Tekst.key("werkplek.audit.opvolging.opgevolgd")),
                        t.get(Tekst.key("werkplek.audit.opvolging.percentage")),
                        t.get(Tekst.key("werkplek.audit.opvolging.te-laat"))), perOrganisatie));

        AuditReports.Objections o = r.objections();
        out.add(cijfers(t, Tekst.key("werkplek.audit.bezwaren.bijschrift"), List.of(
                rij(t, Tekst.key("werkplek.audit.bezwaren.ingediend"), o.filed()),
                rij(t, Tekst.key("werkplek.audit.bezwaren.besloten"), o.decided()),
                rij(t, Tekst.key("werkplek.audit.bezwaren.gegrond"), o.upheld()),
                rij(t, Tekst.key("werkplek.audit.bezwaren.ongegrond"), o.rejected()),
                List.of(t.get(Tekst.key("werkplek.audit.bezwaren.open"), t.datum(o.asOf())), Long.toString(o.open())),
                List.of(t.get(Tekst.key("werkplek.audit.bezwaren.te-laat"), t.datum(o.asOf())),
                        Long.toString(o.overdue())),
                rij(t, Tekst.key("werkplek.audit.bezwaren.advies"), o.adviceAsked()),
                List.of(t.get(Tekst.key("werkplek.audit.bezwaren.mediaan")), o.medianDaysToDecision() == null
                        ? t.get(Tekst.key("werkplek.audit.geen")) : dagen(o.medianDaysToDecision())),
                List.of(t.get(Tekst.key("werkplek.audit.bezwaren.langst")), o.maxDaysToDecision() == null
                        ? t.get(Tekst.key("werkplek.audit.geen")) : Long.toString(o.maxDaysToDecision())),
                rij(t, Tekst.key("werkplek.audit.bezwaren.na-termijn"), o.decidedAfterDeadline()))));

        AuditReports.Consents c = r.consents();
        out.add(cijfers(t, Tekst.key("werkplek.audit.toestemming.bijschrift"), List.of(
                rij(t, Tekst.key("werkplek.audit.toestemming.gevraagd"), c.asked()),
                rij(t, Tekst.key("werkplek.audit.toestemming.gegeven"), c.partsGranted()),
                rij(t, Tekst.key("werkplek.audit.toestemming.geweigerd"), c.refused()),
                rij(t, Tekst.key("werkplek.audit.toestemming.ingetrokken"), c.withdrawn()),
                rij(t, Tekst.key("werkplek.audit.toestemming.verlopen"), c.expired()),
                rij(t, Tekst.key("werkplek.audit.toestemming.verstuurd-met"), c.sentWithConsent()),
                rij(t, Tekst.key("werkplek.audit.toestemming.verstuurd-zonder"), c.sentWithoutConsent()),
                rij(t, Tekst.key("werkplek.audit.toestemming.ontvangen-met"), c.receivedWithConsent()),
                rij(t, Tekst.key("werkplek.audit.toestemming.ontvangen-zonder"), c.receivedWithoutConsent()),
                rij(t, Tekst.key("werkplek.audit.toestemming.uitwisseling-geweigerd"), c.exchangesRefused()))));
        return out;
    }

    private static Onderdelen.Tabel cijfers(Tekst t, String bijschrift, List<List<String>> rijen) {
        return new Onderdelen.Tabel(t.get(bijschrift), List.of(t.get(Tekst.key("werkplek.audit.onderwerp")),
                t.get(Tekst.key("werkplek.audit.aantal"))), rijen);
    }

    private static List<String> rij(Tekst t, String key, long n) {
        return List.of(t.get(key), Long.toString(n));
    }

    private static String procent(Tekst t, @Nullable Double rate) {
        return rate == null ? t.get(Tekst.key("werkplek.audit.geen")) : String.format(Tekst.NL, "%.1f%%", rate * 100);
    }

    private static String dagen(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d).replace('.', ',');
    }
}
