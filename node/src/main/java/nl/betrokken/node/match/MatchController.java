package nl.betrokken.node.match;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.followup.FollowUps;
import nl.betrokken.problem.Problems;

/** The matches on the caller's organisation's signals, each with the counterpart to contact. */
@Controller("/api/v1/matches")
@Secured("PROFESSIONAL")
@Tag(name = "matches")
@ExecuteOn(TaskExecutors.BLOCKING)
class MatchController {

    private final Matches matches;
    private final FollowUps followUps;
    private final NodeAudit audit;

    MatchController(Matches matches, FollowUps followUps, NodeAudit audit) {
        this.matches = matches;
        this.followUps = followUps;
        this.audit = audit;
    }

    @Get
    @Operation(summary = "Matches on the caller's organisation's signals")
    MatchView.Page list(Authentication user) {
        Object organisation = user.getAttributes().get("organisation");
        if (organisation == null) {
            throw Problems.forbidden("the signed-in user belongs to no organisation");
        }
        MatchView.Page page = new MatchView.Page(followUps.withFollowUp(
                matches.forOrganisation(organisation.toString()), organisation.toString()));
        // The counterparts' contact data is seen: recorded before it leaves, naming how many matches.
        audit.record(AuditEvent.of("matches.listed", NodeAudit.actor("prof", user.getName()),
                "organisation:" + NodeAudit.reference(organisation.toString())).with("count", page.items().size()));
        return page;
    }
}
