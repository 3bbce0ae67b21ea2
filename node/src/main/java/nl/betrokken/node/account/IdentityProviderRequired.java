package nl.betrokken.node.account;

import io.micronaut.context.env.Environment;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;

/**
 * A node that serves HTTP outside the {@code dev} environment needs an identity provider: without one nobody could
 * sign in, and an operator could believe the node was protected by one. Checked when the HTTP server is created,
 * before it binds a port, so the operator commands ({@code archive}, {@code audit-checkpoint}), which run without a
 * server, work without it. Creating the token validator here also reads a configured JWK file, so a broken one
 * stops the start as well.
 */
@Singleton
class IdentityProviderRequired implements BeanCreatedEventListener<EmbeddedServer> {

    private final Environment environment;
    private final IdentityProviderTokens tokens;

    IdentityProviderRequired(Environment environment, IdentityProviderTokens tokens) {
        this.environment = environment;
        this.tokens = tokens;
    }

    @Override
    public EmbeddedServer onCreated(BeanCreatedEvent<EmbeddedServer> event) {
        if (!tokens.configured() && !environment.getActiveNames().contains(Environment.DEVELOPMENT)) {
            throw new IllegalStateException("no identity provider is configured: set "
                    + IdentityProviderConfiguration.PREFIX + ".issuer and .jwks (BETROKKEN_IDENTITY_PROVIDER_ISSUER,"
                    + " BETROKKEN_IDENTITY_PROVIDER_JWKS); outside the dev environment a node does not start without one");
        }
        return event.getBean();
    }
}
