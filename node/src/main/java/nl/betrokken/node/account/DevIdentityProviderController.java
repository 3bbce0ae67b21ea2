package nl.betrokken.node.account;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.crypto.bsn.InvalidBsnException;
import nl.betrokken.problem.Problems;
import nl.betrokken.problem.openapi.ProblemAnswers;

/** {@code POST /dev/idp/token}: the dev identity provider's token for a BSN (dev environment only). */
@Controller("/dev/idp")
@Requires(env = Environment.DEVELOPMENT)
@Requires(property = "betrokken.dev.enabled", value = "true")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "dev")
@Hidden
class DevIdentityProviderController {

    private final DevIdentityProvider provider;

    DevIdentityProviderController(DevIdentityProvider provider) {
        this.provider = provider;
    }

    /** The request: a BSN. Personal data: never printed. */
    @Serdeable
    record TokenRequest(@Nullable String bsn) {
        @Override
        public String toString() {
            return "TokenRequest[redacted]";
        }
    }

    @Serdeable
    record TokenResponse(String access_token, String token_type, long expires_in) {
        @Override
        public String toString() {
            return "TokenResponse[redacted]";
        }
    }

    @ProblemAnswers.BadRequest
    @Post("/token")
    @Operation(summary = "A short-lived citizen token for a BSN (dev identity provider; dev environment only)")
    TokenResponse token(@Body TokenRequest request) {
        if (request.bsn() == null) {
            throw Problems.invalidField("bsn", "is required");
        }
        Bsn bsn;
        try {
            bsn = Bsn.parse(request.bsn());
        } catch (InvalidBsnException e) {
            throw Problems.invalidField("bsn", e.rule().message());
        }
        return new TokenResponse(provider.issue(bsn), "Bearer", DevIdentityProvider.LIFETIME.toSeconds());
    }
}
