package nl.betrokken.node.account;

import java.util.List;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The identity provider whose access tokens sign parents and youths in ({@code betrokken.citizen-identity-provider.*},
 * environment variables {@code BETROKKEN_CITIZEN_IDENTITY_PROVIDER_*}): DigiD behind an OIDC bridge, the person's BSN
 * in {@code bsnClaim}. Checked exactly as the professionals' provider ({@link IdentityProviderConfiguration}); without
 * {@code issuer} and {@code jwks} no citizen signs in (outside the dev environment's dev identity provider).
 *
 * @param issuer the provider's {@code iss}, matched exactly
 * @param jwks an {@code https://} URL of its JWK set, or a file
 * @param audience when set, the {@code aud} every token must contain
 * @param algorithms the asymmetric signature algorithms accepted
 * @param bsnClaim the claim that carries the person's BSN
 */
@ConfigurationProperties(CitizenIdentityProviderConfiguration.PREFIX)
public record CitizenIdentityProviderConfiguration(
        @Nullable String issuer,
        @Nullable String jwks,
        @Nullable String audience,
        @Nullable @Bindable(defaultValue = "RS256,ES256") List<String> algorithms,
        @Nullable @Bindable(defaultValue = "bsn") String bsnClaim) {

    public static final String PREFIX = "betrokken.citizen-identity-provider";

    /** Whether a citizen identity provider is configured at all (issuer or JWKS given). */
    public boolean configured() {
        return !IdentityProviderConfiguration.blank(issuer) || !IdentityProviderConfiguration.blank(jwks);
    }
}
