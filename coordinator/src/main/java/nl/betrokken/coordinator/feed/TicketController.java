package nl.betrokken.coordinator.feed;

import java.util.UUID;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.coordinator.enrolment.NodeAuthentication;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.coordinator.openapi.NodeTokenApi;

/** Renews the match ticket of a match for one of its parties' nodes (node token). */
@Controller("/internal/v1/matches/{matchId}/ticket")
@Tag(name = "node feed")
@NodeTokenApi
@ExecuteOn(TaskExecutors.BLOCKING)
class TicketController {

    /** A renewed match ticket. */
    @Serdeable
    record Renewed(String ticket) {
    }

    private final TicketRenewal renewal;

    TicketController(TicketRenewal renewal) {
        this.renewal = renewal;
    }

    /**
     * The same parties and type, valid 30 days; each renewal is recorded (ticket.renewed). A match that does not exist
     * and one of other nodes get the same 404.
     */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Post
    @Operation(summary = "A fresh match ticket for a match the asking node is a party of; 404 when the match is"
            + " withdrawn or not the node's")
    Renewed renew(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId, @PathVariable UUID matchId) {
        return new Renewed(renewal.renew(nodeId, matchId));
    }
}
