package nl.betrokken.coordinator.enrolment;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The enrolled nodes' public token keys, as one JWK set, for enrolled nodes only: a node that is asked for contact
 * data by another node checks the asker's token against it. Each key id starts with its node's id and a hyphen.
 */
@Controller("/internal/v1/nodes/keys")
@Tag(name = "node directory")
@ExecuteOn(TaskExecutors.BLOCKING)
class NodeKeysController {

    private final EnrolledNodes nodes;

    NodeKeysController(EnrolledNodes nodes) {
        this.nodes = nodes;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Every enrolled node's public token keys (RFC 7517 JWK set)")
    String keys() {
        return nodes.refreshed().keys().toJson();
    }
}
