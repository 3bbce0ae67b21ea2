package nl.betrokken.coordinator.inzage;

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

/** The inzage look-up, for a node whose portal a person signed in to (node token, like every internal call). */
@Controller("/internal/v1/inzage")
@Tag(name = "inzage")
@ExecuteOn(TaskExecutors.BLOCKING)
class InzageController {

    private final InzageLookup lookup;

    InzageController(InzageLookup lookup) {
        this.lookup = lookup;
    }

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
}
