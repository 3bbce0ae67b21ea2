package nl.betrokken.node.figures;

import java.util.Map;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.web.Onderdelen;
import nl.betrokken.node.web.Tekst;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.node.openapi.StaffApi;

/**
 * The region's figures for the gemeente and the matchcoördinator: {@code GET /api/v1/figures?from=YYYY-MM&to=YYYY-MM}
 * as JSON, and each table as CSV ({@code GET /api/v1/figures/<table>.csv}), the same tables as the werkplek page.
 */
@Controller("/api/v1/figures")
@Secured({"GEMEENTE", "MATCHCOORDINATOR"})
@Tag(name = "figures")
@StaffApi
@ExecuteOn(TaskExecutors.BLOCKING)
class FiguresController {

    /** The CSV's media type: a spreadsheet opens it as UTF-8. */
    static final String CSV = "text/csv; charset=utf-8";

    private final Figures figures;
    private final Tekst tekst;
    private final NodeConfiguration node;

    FiguresController(Figures figures, Tekst tekst, NodeConfiguration node) {
        this.figures = figures;
        this.tekst = tekst;
        this.node = node;
    }

    /**
     * For a gemeente or a matchcoördinator; 400 naming from or to when it is not a month or the period is longer than
     * 24 months.
     */
    @ProblemAnswers.BadRequest
    @Get
    @Operation(summary = "The region's figures per month (from, to: YYYY-MM, at most 24 months); never an identity")
    Figures.Report report(Authentication user, @QueryValue @Nullable String from, @QueryValue @Nullable String to) {
        return figures.report(actor(user), Figures.Months.parse(from, to), "report");
    }

    // Any Accept: the answer sets its own type (CSV, or a problem), and a caller is authenticated before anything is
    // negotiated (a forged token is a 401 whatever it accepts, as on every route).
    /**
     * For a gemeente or a matchcoördinator, with the same from and to as the figures; 404 for a table not named here.
     */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @ProblemAnswers.Unavailable
    @Get(value = "/{file}", produces = MediaType.ALL)
    @Operation(summary = "One table of the figures as CSV (signals.csv, organisations.csv, sectors.csv, matches.csv,"
            + " regions.csv, follow-up.csv, follow-up-organisations.csv, notifications.csv, objections.csv,"
            + " consents.csv); regions.csv is a 503 when the coordinator does not answer")
    HttpResponse<String> csv(Authentication user, @PathVariable String file, @QueryValue @Nullable String from,
                             @QueryValue @Nullable String to) {
        String table = table(file);
        Figures.Months months = Figures.Months.parse(from, to);
        Figures.Report r = figures.report(actor(user), months, table);
        if (regionsMissing(table, r)) {
            throw Problems.unavailable("the coordinator does not answer now: the regions' figures cannot be fetched;"
                    + " try again later");
        }
        return csv(node, months, table, FigureTables.of(tekst, r));
    }

    /** Whether {@code table} is the regions' table and the coordinator gave no regions for {@code r}. */
    static boolean regionsMissing(String table, Figures.Report r) {
        return FigureTables.REGIONS.equals(table) && r.regions() == null;
    }

    /** The table a file name {@code <table>.csv} names, or a 404 problem. */
    static String table(String file) {
        String table = file.endsWith(".csv") ? file.substring(0, file.length() - 4) : "";
        if (!FigureTables.NAMES.contains(table)) {
            throw Problems.notFound("figures-table-not-found", "No such table",
                    "the tables are " + String.join(", ", FigureTables.NAMES) + ", each as <table>.csv");
        }
        return table;
    }

    /** The answer with one table of {@code tables} as a CSV download named after the node, table and months. */
    static HttpResponse<String> csv(NodeConfiguration node, Figures.Months months, String table,
                                    Map<String, Onderdelen.Tabel> tables) {
        String name = node.nodeId() + "-" + table + "-" + months.from() + "-" + months.to() + ".csv";
        return HttpResponse.ok(FigureTables.csv(tables.get(table))).contentType(CSV)
                .header("Content-Disposition", "attachment; filename=\"" + NodeAudit.reference(name) + "\"");
    }

    /** {@code gemeente:<username>} or {@code matchcoord:<username>}, the names the log knows these accounts by. */
    static String actor(Authentication user) {
        return NodeAudit.actor(user.getRoles().contains("MATCHCOORDINATOR") ? "matchcoord" : "gemeente",
                user.getName());
    }
}
