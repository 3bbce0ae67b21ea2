package nl.betrokken.node.account;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import nl.betrokken.node.account.WerkplekInloggenGeweigerd.Reden;

/**
 * The staff's sign-in at the werkplek: the OpenID Connect authorization code flow with PKCE ({@link OidcCodeFlow},
 * which lists what it checks) against the region's identity provider, the same provider whose access tokens the API
 * accepts ({@link IdentityProviderConfiguration}; on when its {@code clientId} is set). On top of that, the ID token's
 * username claim ({@code usernameClaim}, as for access tokens) must name an active staff account of this node; role and
 * organisation then come from that account, never from the token. Every failure is a
 * {@link WerkplekInloggenGeweigerd}. The place to return to ({@code terug}, checked by the caller) is kept with the
 * pending sign-in, not in the browser.
 *
 * <p>Created at start-up, so a broken configuration stops the node before it serves.
 */
@Context
public class StaffOidc {

    static final String CALLBACK = "/werkplek/inloggen/terug";
    private static final String NAME = "werkplek sign-in";

    /** A proved sign-in: the active account, and where to go back to (null: the role's start). */
    record SignedIn(Account account, @Nullable String terug) {
    }

    private final OidcCodeFlow flow;
    private final String usernameClaim;
    private final Accounts accounts;

    StaffOidc(IdentityProviderConfiguration config, Accounts accounts, Clock clock) {
        this.accounts = accounts;
        this.usernameClaim = config.usernameClaimName();
        this.flow = new OidcCodeFlow(NAME, config, new OidcCodeFlow.Setting(IdentityProviderConfiguration.PREFIX,
                IdentityProviderConfiguration.ENV, CALLBACK), clock,
                failure -> new WerkplekInloggenGeweigerd(Reden.valueOf(failure.name())));
    }

    /** Whether the werkplek's OpenID Connect sign-in is configured at this node. */
    public boolean configured() {
        return flow.configured();
    }

    /** Starts a sign-in that returns to {@code terug} (already checked; null: the role's start). */
    OidcCodeFlow.Started begin(@Nullable String terug) {
        return flow.begin(terug);
    }

    /**
     * Completes the sign-in {@code pendingId} names with the provider's answer at {@value #CALLBACK}.
     *
     * @throws WerkplekInloggenGeweigerd with the reason
     */
    SignedIn complete(@Nullable String pendingId, Map<String, List<String>> parameters) {
        OidcCodeFlow.Completed completed = flow.complete(pendingId, parameters);
        if (!(completed.claims().getClaim(usernameClaim) instanceof String username) || username.isBlank()) {
            OidcCodeFlow.logRefusal(NAME, Reden.NO_USERNAME.code(), "claim " + usernameClaim + " is missing");
            throw new WerkplekInloggenGeweigerd(Reden.NO_USERNAME);
        }
        Optional<Account> account = accounts.find(username)
                .filter(a -> a.active() && WerkplekSessions.STAFF.contains(a.role()));
        if (account.isEmpty()) {
            OidcCodeFlow.logRefusal(NAME, Reden.NO_ACCOUNT.code(), "no active staff account for the username claim");
            throw new WerkplekInloggenGeweigerd(Reden.NO_ACCOUNT);
        }
        return new SignedIn(account.get(), completed.extra());
    }
}
