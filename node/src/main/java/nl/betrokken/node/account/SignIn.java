package nl.betrokken.node.account;

import java.util.List;
import java.util.Map;

import io.micronaut.security.authentication.Authentication;

/**
 * The signed-in user as every sign-in builds it: from the account at this node, never from what a token or a request
 * claims. The role is the account's role; the attribute {@value #ORGANISATION} is the account's organisation.
 */
public final class SignIn {

    /** The attribute that carries the account's organisation id (absent for gemeente and auditor). */
    public static final String ORGANISATION = "organisation";

    private SignIn() {
    }

    /** The authentication of {@code account}, which must be active. */
    static Authentication of(Account account) {
        if (!account.active()) {
            throw new IllegalArgumentException("an inactive account cannot sign in");
        }
        if (account.role() == Role.CITIZEN) {
            // Citizens have no account: a row that says otherwise must not give anyone a citizen's role.
            throw new IllegalArgumentException("an account cannot have the citizen role");
        }
        return Authentication.build(account.username(), List.of(account.role().name()),
                account.organisationId() == null ? Map.of() : Map.of(ORGANISATION, account.organisationId()));
    }
}
