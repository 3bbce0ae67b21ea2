package nl.betrokken.node.account;

import java.util.List;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The region's identity provider (OIDC), whose access tokens sign professionals in ({@code betrokken.identity-provider.*},
 * environment variables {@code BETROKKEN_IDENTITY_PROVIDER_*}). Without {@code issuer} and {@code jwks} no bearer
 * token signs anyone in; a node outside the {@code dev} environment then refuses to start its HTTP server.
 *
 * @param issuer the provider's {@code iss}, matched exactly ({@code https://login.regio.example/realms/jeugd})
 * @param jwks where its public keys are: an {@code https://} URL (fetched and cached), or a file ({@code file:/path}
 *             or a path) read once at start-up
 * @param audience when set, the {@code aud} every token must contain (the node's client id at the provider)
 * @param algorithms the signature algorithms accepted; only asymmetric ones (RS*, PS*, ES*, EdDSA) are allowed
 * @param usernameClaim the claim that names the account at this node (in access tokens and in the werkplek's ID
 *                      tokens)
 * @param clientId the node's client id at the provider for the werkplek's sign-in (the OpenID Connect authorization
 *                 code flow with PKCE, {@link StaffOidc}); the sign-in is on when it is set, and then {@code issuer},
 *                 {@code redirectUri} and a client secret are required
 * @param clientSecret the client secret (prefer {@code clientSecretFile})
 * @param clientSecretFile a file holding the client secret (trailing white space ignored)
 * @param clientAuthentication {@code client_secret_basic} (default) or {@code client_secret_post}
 * @param redirectUri the node's public base URL + {@code /werkplek/inloggen/terug}, as registered at the provider
 * @param scopes the scopes asked for; {@code openid} is always among them
 * @param authorizationEndpoint the provider's authorization endpoint, instead of discovery
 * @param tokenEndpoint the provider's token endpoint, instead of discovery
 */
@ConfigurationProperties(IdentityProviderConfiguration.PREFIX)
public record IdentityProviderConfiguration(
        @Nullable String issuer,
        @Nullable String jwks,
        @Nullable String audience,
        @Nullable @Bindable(defaultValue = "RS256,ES256") List<String> algorithms,
        @Nullable @Bindable(defaultValue = "preferred_username") String usernameClaim,
        @Nullable String clientId,
        @Nullable String clientSecret,
        @Nullable String clientSecretFile,
        @Nullable @Bindable(defaultValue = "client_secret_basic") String clientAuthentication,
        @Nullable String redirectUri,
        @Nullable @Bindable(defaultValue = "openid") List<String> scopes,
        @Nullable String authorizationEndpoint,
        @Nullable String tokenEndpoint) implements OidcClientConfiguration {

    public static final String PREFIX = "betrokken.identity-provider";
    static final String ENV = "BETROKKEN_IDENTITY_PROVIDER";

    /** Whether an identity provider is configured at all (issuer or JWKS given). */
    public boolean configured() {
        return !blank(issuer) || !blank(jwks);
    }


    /** The username claim's name, {@code preferred_username} when not set. */
    String usernameClaimName() {
        return blank(usernameClaim) ? "preferred_username" : usernameClaim.strip();
    }

    /** Never prints the client secret. */
    @Override
    public String toString() {
        return "IdentityProviderConfiguration[issuer=" + issuer + ", clientId=" + clientId + ", redirectUri="
                + redirectUri + ", clientSecret=" + (blank(clientSecret) ? "unset" : "redacted") + "]";
    }

    static boolean blank(@Nullable String s) {
        return s == null || s.isBlank();
    }
}
