package nl.betrokken.coordinator.audit;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Publishes the coordinator's audit verifier keys, for anyone checking a checkpoint or a bundle. */
@Controller("/.well-known/betrokken-audit-keys.json")
@Tag(name = "audit")
class AuditKeysController {

    private final CoordinatorAudit audit;

    AuditKeysController(CoordinatorAudit audit) {
        this.audit = audit;
    }

    @Get
    @Operation(summary = "The verifier keys of the coordinator's audit log and of its countersignatures")
    AuditKeys keys() {
        return audit.keys();
    }
}
