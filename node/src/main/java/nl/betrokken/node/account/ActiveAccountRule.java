package nl.betrokken.node.account;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecuredAnnotationRule;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Refuses every request of an account that the instellingscoördinator has deactivated, however it signed in. HTTP
 * Basic already refuses an inactive account's password ({@link PasswordAuthentication}); an access token of the
 * identity provider stays valid until it expires, so it is checked here against the account at this node. Runs
 * before the {@code @Secured} rule; for anyone else it decides nothing.
 */
@Singleton
class ActiveAccountRule implements SecurityRule<HttpRequest<?>> {

    static final int ORDER = SecuredAnnotationRule.ORDER - 100;

    private final Accounts accounts;
    private final ExecutorService blocking;

    ActiveAccountRule(Accounts accounts, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.accounts = accounts;
        this.blocking = blocking;
    }

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, @Nullable Authentication authentication) {
        if (authentication == null) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        String username = authentication.getName();
        // A database read: off the event loop.
        return Publishers.fromCompletableFuture(() -> CompletableFuture.supplyAsync(() ->
                accounts.find(username).filter(a -> !a.active()).isPresent()
                        ? SecurityRuleResult.REJECTED : SecurityRuleResult.UNKNOWN, blocking));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
