package nl.betrokken.coordinator.keys;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;

/** Publishes the public keys that sign match tickets, so any node can check a ticket offline. */
@Controller("/.well-known/jwks.json")
@Tag(name = "keys")
@SecurityRequirements
class JwksController {

    private final CoordinatorKeys keys;

    JwksController(CoordinatorKeys keys) {
        this.keys = keys;
    }

    /**
     * Anonymous: a node checks a match ticket against these keys before it answers with its professional's contact
     * data.
     */
    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The coordinator's public ticket-signing keys (RFC 7517 JWK set)")
    String jwks() {
        return keys.publicKeys().toJson();
    }
}
