package nl.betrokken.node.account;

import java.util.List;

import io.micronaut.core.annotation.Nullable;

/**
 * The settings of a node's OpenID Connect client at an identity provider, as both the citizens' and the staff's
 * provider configuration give them ({@link CitizenIdentityProviderConfiguration},
 * {@link IdentityProviderConfiguration}); {@link OidcCodeFlow} checks and uses them.
 */
public interface OidcClientConfiguration {

    @Nullable String issuer();

    @Nullable String jwks();

    @Nullable List<String> algorithms();

    @Nullable String clientId();

    @Nullable String clientSecret();

    @Nullable String clientSecretFile();

    @Nullable String clientAuthentication();

    @Nullable String redirectUri();

    @Nullable List<String> scopes();

    @Nullable String authorizationEndpoint();

    @Nullable String tokenEndpoint();

    /** Whether the sign-in is on (a client id is given). */
    default boolean oidcConfigured() {
        return !IdentityProviderConfiguration.blank(clientId());
    }
}
