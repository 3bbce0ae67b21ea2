package nl.betrokken.coordinator.enrolment;

import java.text.ParseException;
import java.util.Map;
import java.util.TreeMap;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;
import nl.betrokken.coordinator.openapi.NodeTokenApi;

/**
 * The enrolled nodes' public token keys, for enrolled nodes only: a node that is asked for contact data by another
 * node checks the asker's token against them. Key ids are the keys' RFC 7638 thumbprints; which node a key belongs
 * to is what its enrolment says, served beside the keys ({@code nodes}: key id to node id), never read from the key
 * id. A node's current keys can be asked for one node, straight from the database, to confirm that a key is still
 * enrolled (a replaced key is refused at once).
 */
@Controller("/internal/v1/nodes")
@Tag(name = "node directory")
@NodeTokenApi
@ExecuteOn(TaskExecutors.BLOCKING)
class NodeKeysController {

    private final EnrolledNodes nodes;

    NodeKeysController(EnrolledNodes nodes) {
        this.nodes = nodes;
    }

    /** The keys by which a node checks another node's token (federation API); key ids are RFC 7638 thumbprints. */
    @Get(value = "/keys", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Every enrolled node's public token keys (RFC 7517 JWK set), with the node of each key id")
    String keys() {
        EnrolledNodes.Snapshot snapshot = nodes.refreshed();
        try {
            Map<String, Object> document = JSONObjectUtils.parse(snapshot.keys().toJson());
            document.put("nodes", new TreeMap<>(snapshot.nodeOfKid()));
            return JSONObjectUtils.toJSONString(document);
        } catch (ParseException e) {
            throw new IllegalStateException("a key set this coordinator wrote does not parse", e);
        }
    }

    /** 400 naming nodeId when it is not a node id; 404 when no node of that id is enrolled. */
    @ProblemAnswers.BadRequest
    @ProblemAnswers.NotFound
    @Get(value = "/{nodeId}/keys", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "One node's public token keys as enrolled now (RFC 7517 JWK set); 404 when not enrolled")
    String keysOf(@PathVariable String nodeId) {
        if (!EnrolledNodes.NODE_ID.matcher(nodeId).matches()) {
            throw Problems.invalidField("nodeId", "must match " + EnrolledNodes.NODE_ID.pattern());
        }
        PublicKeySet keys = nodes.keysNow(nodeId);
        if (keys.keyIds().isEmpty()) {
            throw Problems.notFound("node-not-enrolled", "Node not enrolled", "no node " + nodeId + " is enrolled");
        }
        return keys.toJson();
    }
}
