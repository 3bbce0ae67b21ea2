package nl.betrokken.coordinator.inzage;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import nl.betrokken.coordinator.enrolment.NodeAuthentication;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.coordinator.openapi.NodeTokenApi;

/**
 * The inzage look-up, for a node whose portal a person signed in to (node token, like every internal call), and the
 * Veilig Thuis look-up of a youth, for a node whose Veilig Thuis worker asks (node token with the role claim).
 */
@Controller("/internal/v1/inzage")
@Tag(name = "inzage")
@NodeTokenApi
@ExecuteOn(TaskExecutors.BLOCKING)
class InzageController {

    /** The role claim by which the asking node vouches for a Veilig Thuis worker. */
    static final String VEILIG_THUIS = "veilig-thuis";

    private final InzageLookup lookup;

    InzageController(InzageLookup lookup) {
        this.lookup = lookup;
    }

    @ProblemAnswers.BadRequest
    @Post
    @Operation(summary = "The signals a signed-in person may see, in every region, each with an inzage ticket",
            description = "The body holds the person's pseudonym under each accepted federation epoch. The answer"
                    + " lists every signal about that person (SELF), every signal naming them as a parent and every"
                    + " other signal on those children (PARENT), each once, with a ticket for its holding node that is"
                    + " valid for five minutes and once. Nothing of the request is stored but an audit entry with the"
                    + " count.")
    InzageAnswer lookup(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId,
                        @Body @Valid InzageRequest request) {
        return lookup.lookup(nodeId, request);
    }

    @ProblemAnswers.BadRequest
    @ProblemAnswers.Forbidden
    @Post("/veilig-thuis")
    @Operation(summary = "The signals about a youth, in every region, for a Veilig Thuis worker's look-up",
            description = "Only for a node token whose claim role is veilig-thuis (403 otherwise). The body is as for"
                    + " the inzage. The answer lists only the signals whose youth is that person (not those naming them"
                    + " as a parent), active and archived, each with a ticket of relation VEILIG_THUIS for its holding"
                    + " node, valid for five minutes and once. The reason for the look-up is never sent here. Nothing"
                    + " of the request is stored but an audit entry with the count.")
    InzageAnswer veiligThuis(@RequestAttribute(NodeAuthentication.NODE_ID) String nodeId,
                             @RequestAttribute(NodeAuthentication.ROLE) @Nullable String role,
                             @Body @Valid InzageRequest request) {
        if (!VEILIG_THUIS.equals(role)) {
            throw Problems.forbidden("the Veilig Thuis look-up is for a Veilig Thuis worker (token claim role"
                    + " veilig-thuis)");
        }
        return lookup.lookupYouth(nodeId, request);
    }
}
