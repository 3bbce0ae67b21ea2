package nl.betrokken.coordinator.stats;

import java.time.LocalDate;
import java.util.Set;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.coordinator.audit.CoordinatorAudit;
import nl.betrokken.coordinator.enrolment.NodeAuthentication;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.coordinator.openapi.NodeTokenApi;

/**
 * Federation-wide counts, and per region its received signals, for gemeenten, matchcoördinatoren and auditors. The
 * caller's node vouches for the caller's role: the request carries a node token (as on the internal API) with the
 * claim {@code role} = {@code gemeente}, {@code matchcoordinator} or {@code auditor}.
 */
@Controller("/api/v1/stats")
@Tag(name = "statistics")
@NodeTokenApi
@ExecuteOn(TaskExecutors.BLOCKING)
class StatsController {

    /** The roles a node may vouch for here. */
    static final Set<String> ROLES = Set.of("gemeente", "matchcoordinator", "auditor");

    private final StatsService stats;
    private final CoordinatorAudit audit;

    StatsController(StatsService stats, CoordinatorAudit audit) {
        this.stats = stats;
        this.audit = audit;
    }

    /**
     * For a gemeente, a matchcoordinator or an auditor (token claim role, 403 otherwise); from and to are days
     * (YYYY-MM-DD), to not before from (400 naming to). Counts only, never an identity; each read is audited.
     */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.Forbidden
    @Get
    @Operation(summary = "Counts of signals and matches (by type, within and across regions) for a period, and per"
            + " enrolled node (region) the signals received in it and the day of its newest signal")
    Stats stats(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId,
                @RequestAttribute(NodeAuthentication.ROLE) @Nullable String role,
                @QueryValue LocalDate from, @QueryValue LocalDate to) {
        if (role == null || !ROLES.contains(role)) {
            throw Problems.forbidden("statistics are for a gemeente, a matchcoordinator or an auditor"
                    + " (token claim role)");
        }
        if (to.isBefore(from)) {
            throw Problems.invalidField("to", "must not be before from");
        }
        audit.record(AuditEvent.of("stats.read", "node:" + nodeId + ":" + role, "stats").with("from", from).with("to", to));
        return stats.between(from, to);
    }
}
