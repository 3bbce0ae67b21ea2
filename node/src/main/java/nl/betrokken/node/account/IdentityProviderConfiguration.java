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
 * @param usernameClaim the claim that names the account at this node
 */
@ConfigurationProperties(IdentityProviderConfiguration.PREFIX)
public record IdentityProviderConfiguration(
        @Nullable String issuer,
        @Nullable String jwks,
        @Nullable String audience,
        @Nullable @Bindable(defaultValue = "RS256,ES256") List<String> algorithms,
        @Nullable @Bindable(defaultValue = "preferred_username") String usernameClaim) {

    public static final String PREFIX = "betrokken.identity-provider";

    /** Whether an identity provider is configured at all (issuer or JWKS given). */
    public boolean configured() {
        return !blank(issuer) || !blank(jwks);
    }

    static boolean blank(@Nullable String s) {
        return s == null || s.isBlank();
    }
}
