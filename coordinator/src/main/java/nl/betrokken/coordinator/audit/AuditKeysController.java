package nl.betrokken.coordinator.audit;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;

/**
 * Publishes the coordinator's audit verifier keys, and the log key it pinned for each node, for anyone checking a
 * checkpoint, a bundle or a person's access-log file ({@code audit.jar verify-inzage --keys}).
 */
@Controller("/.well-known/betrokken-audit-keys.json")
@Tag(name = "audit")
@SecurityRequirements
@ExecuteOn(TaskExecutors.BLOCKING)
class AuditKeysController {

    private final CoordinatorAudit audit;

    AuditKeysController(CoordinatorAudit audit) {
        this.audit = audit;
    }

    /**
     * Anonymous: what anyone needs to verify the coordinator's audit bundle and the countersigned checkpoints offline.
     */
    @Get
    @Operation(summary = "The verifier keys of the coordinator's audit log, of its countersignatures, and each node's pinned log key")
    AuditKeys keys() {
        return audit.keys();
    }
}
