package nl.betrokken.node.account;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.account.CitizenSignInRefused.Reason;

/**
 * The parents' and youths' sign-in: the OpenID Connect authorization code flow with PKCE ({@link OidcCodeFlow}, which
 * lists what it checks) against the configured citizen identity provider
 * ({@link CitizenIdentityProviderConfiguration}); the person is signed in only when, on top of that, the ID token's BSN
 * claim (never userinfo's) passes the elfproef ({@link Bsn}). Every failure is a {@link CitizenSignInRefused}: a 4xx,
 * or a 503 while the provider cannot be reached. No BSN, code or token is logged.
 *
 * <p>Created at start-up, so a broken configuration stops the node before it serves.
 */
@Context
public class CitizenOidc {

    /** How long a started sign-in may take at the provider. */
    static final Duration PENDING_LIFETIME = OidcCodeFlow.PENDING_LIFETIME;
    private static final String NAME = "citizen sign-in";
    private static final String CALLBACK = "/portaal/inloggen/terug";

    private final OidcCodeFlow flow;
    private final String bsnClaim;

    CitizenOidc(CitizenIdentityProviderConfiguration config, Clock clock) {
        this.bsnClaim = config.bsnClaimName();
        this.flow = new OidcCodeFlow(NAME, config, new OidcCodeFlow.Setting(CitizenIdentityProviderConfiguration.PREFIX,
                CitizenIdentityProviderConfiguration.ENV, CALLBACK), clock,
                failure -> new CitizenSignInRefused(Reason.valueOf(failure.name())));
    }

    /** Whether the OpenID Connect sign-in is configured at this node. */
    public boolean configured() {
        return flow.configured();
    }

    /**
     * Starts a sign-in: a new pending one, and the provider's authorization URI to send the browser to.
     *
     * @throws CitizenSignInRefused 503 when not configured, the provider cannot be reached, or too many wait
     */
    OidcCodeFlow.Started begin() {
        return flow.begin(null);
    }

    /**
     * Completes the sign-in {@code pendingId} names with the provider's answer at the callback ({@code parameters}, the
     * query of {@code /portaal/inloggen/terug}). The pending sign-in is gone afterwards, whatever the outcome.
     *
     * @return the person the provider proved
     * @throws CitizenSignInRefused with the reason; never for an unexpected answer of the provider
     */
    Bsn complete(@Nullable String pendingId, Map<String, List<String>> parameters) {
        OidcCodeFlow.Completed completed = flow.complete(pendingId, parameters);
        if (!(completed.claims().getClaim(bsnClaim) instanceof String digits) || !Bsn.isValid(digits)) {
            OidcCodeFlow.logRefusal(NAME, Reason.NO_BSN.code(), "claim " + bsnClaim + " is missing or not a valid BSN");
            throw new CitizenSignInRefused(Reason.NO_BSN);
        }
        return Bsn.parse(digits);
    }
}
