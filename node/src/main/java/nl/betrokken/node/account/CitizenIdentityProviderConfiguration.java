package nl.betrokken.node.account;

import java.util.List;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The identity provider that signs parents and youths in ({@code betrokken.citizen-identity-provider.*}, environment
 * variables {@code BETROKKEN_CITIZEN_IDENTITY_PROVIDER_*}): DigiD behind an OIDC bridge, the person's BSN in
 * {@code bsnClaim}. Two ways in, each optional:
 * <ul>
 *   <li>the portal's sign-in, the OpenID Connect authorization code flow with PKCE ({@link CitizenOidc}), on when
 *       {@code clientId} is set: {@code issuer}, {@code redirectUri} and a client secret are then required; the
 *       provider's endpoints come from its discovery document unless {@code authorizationEndpoint},
 *       {@code tokenEndpoint} and {@code jwks} are all given;</li>
 *   <li>bearer access tokens for the JSON API ({@link CitizenTokens}), checked exactly as the professionals' provider
 *       ({@link IdentityProviderConfiguration}), on when {@code jwks} is set (or {@code issuer} without
 *       {@code clientId}, which then stops the start for want of {@code jwks}).</li>
 * </ul>
 *
 * @param issuer the provider's {@code iss}, matched exactly
 * @param jwks an {@code https://} URL of its JWK set, or a file
 * @param audience when set, the {@code aud} every bearer token must contain
 * @param algorithms the asymmetric signature algorithms accepted (bearer tokens and ID tokens)
 * @param bsnClaim the claim that carries the person's BSN (in the ID token, or the bearer token)
 * @param clientId the node's client id at the provider; the audience of its ID tokens
 * @param clientSecret the client secret (prefer {@code clientSecretFile})
 * @param clientSecretFile a file holding the client secret (trailing white space ignored)
 * @param clientAuthentication {@code client_secret_basic} (default) or {@code client_secret_post}
 * @param redirectUri the node's public base URL + {@code /portaal/inloggen/terug}, as registered at the provider
 * @param scopes the scopes asked for; {@code openid} is always among them
 * @param authorizationEndpoint the provider's authorization endpoint, instead of discovery
 * @param tokenEndpoint the provider's token endpoint, instead of discovery
 */
@ConfigurationProperties(CitizenIdentityProviderConfiguration.PREFIX)
public record CitizenIdentityProviderConfiguration(
        @Nullable String issuer,
        @Nullable String jwks,
        @Nullable String audience,
        @Nullable @Bindable(defaultValue = "RS256,ES256") List<String> algorithms,
        @Nullable @Bindable(defaultValue = "bsn") String bsnClaim,
        @Nullable String clientId,
        @Nullable String clientSecret,
        @Nullable String clientSecretFile,
        @Nullable @Bindable(defaultValue = "client_secret_basic") String clientAuthentication,
        @Nullable String redirectUri,
        @Nullable @Bindable(defaultValue = "openid") List<String> scopes,
        @Nullable String authorizationEndpoint,
        @Nullable String tokenEndpoint) implements OidcClientConfiguration {

    public static final String PREFIX = "betrokken.citizen-identity-provider";
    static final String ENV = "BETROKKEN_CITIZEN_IDENTITY_PROVIDER";

    /**
     * Whether bearer access tokens of this provider sign citizens in: a JWK set is given, or an issuer without an
     * OIDC client (kept so that an issuer without keys stops the start, as it always has).
     */
    public boolean bearerConfigured() {
        return !IdentityProviderConfiguration.blank(jwks)
                || (!IdentityProviderConfiguration.blank(issuer) && IdentityProviderConfiguration.blank(clientId));
    }


    /** The BSN claim's name, {@code bsn} when not set. */
    String bsnClaimName() {
        return IdentityProviderConfiguration.blank(bsnClaim) ? "bsn" : bsnClaim.strip();
    }

    /** Never prints the client secret. */
    @Override
    public String toString() {
        return "CitizenIdentityProviderConfiguration[issuer=" + issuer + ", clientId=" + clientId + ", redirectUri="
                + redirectUri + ", clientSecret=" + (IdentityProviderConfiguration.blank(clientSecret) ? "unset" : "redacted")
                + "]";
    }
}
