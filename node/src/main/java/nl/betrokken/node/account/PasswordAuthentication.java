package nl.betrokken.node.account;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestExecutorAuthenticationProvider;
import jakarta.inject.Singleton;

/**
 * HTTP Basic sign-in against the accounts that have a password (the dev profile's demo users). Production sign-in
 * for professionals is OIDC, configured as in {@code docs/node.md}; those accounts have no password here.
 * The signed-in user carries the role and, as attribute {@value #ORGANISATION}, the organisation.
 */
@Singleton
class PasswordAuthentication<B> implements HttpRequestExecutorAuthenticationProvider<B> {

    static final String ORGANISATION = "organisation";

    private final Accounts accounts;

    PasswordAuthentication(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public @NonNull AuthenticationResponse authenticate(@Nullable HttpRequest<B> request,
                                                        @NonNull AuthenticationRequest<String, String> credentials) {
        Optional<Account> account = accounts.find(credentials.getIdentity());
        String hash = account.filter(Account::active).map(Account::passwordHash).orElse(null);
        if (!Passwords.matches(credentials.getSecret(), hash)) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        Account a = account.get();
        return AuthenticationResponse.success(a.username(), List.of(a.role().name()),
                a.organisationId() == null ? Map.of() : Map.of(ORGANISATION, a.organisationId()));
    }
}
