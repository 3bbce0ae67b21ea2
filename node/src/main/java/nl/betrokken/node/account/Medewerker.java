package nl.betrokken.node.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;

/**
 * A staff member signed in at the werkplek ({@link WerkplekSessions}): the session's keyed id hash, the account as
 * read again for this request, the {@link Authentication} that {@link SignIn#of} builds from it (role and organisation
 * from the account, never from a token), and the CSRF token every werkplek form of this session carries.
 */
public record Medewerker(String idHash, Account account, Authentication authentication, String csrf) {

    public String username() {
        return account.username();
    }

    public Role role() {
        return account.role();
    }

    /** The account's organisation; null for the gemeente and the auditor. */
    public @Nullable String organisationId() {
        return account.organisationId();
    }

    public String displayName() {
        return account.displayName();
    }

    /** Prints no CSRF token and no contact data. */
    @Override
    public String toString() {
        return "Medewerker[" + account.username() + ", " + account.role() + "]";
    }
}
