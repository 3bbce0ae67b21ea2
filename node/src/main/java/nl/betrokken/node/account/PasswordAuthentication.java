package nl.betrokken.node.account;

import java.util.Optional;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestExecutorAuthenticationProvider;
import jakarta.inject.Singleton;

/**
 * HTTP Basic sign-in against the accounts that have a password (the dev profile's demo users). It exists only in the
 * {@code dev} environment (where {@code application-dev.yml} turns Basic on): a production node signs professionals
 * in through the region's identity provider ({@link IdentityProviderTokens}) alone, even if someone turns
 * {@code micronaut.security.basic-auth} on. The signed-in user is built from the account ({@link SignIn}).
 */
@Singleton
@Requires(env = Environment.DEVELOPMENT)
class PasswordAuthentication<B> implements HttpRequestExecutorAuthenticationProvider<B> {

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
        Authentication user = SignIn.of(account.get());
        return AuthenticationResponse.success(user.getName(), user.getRoles(), user.getAttributes());
    }
}
