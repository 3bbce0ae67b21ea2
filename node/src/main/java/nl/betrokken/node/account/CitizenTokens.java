package nl.betrokken.node.account;

import java.text.ParseException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import nl.betrokken.crypto.bsn.Bsn;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs parents and youths in ({@link Citizens}): with a token of the dev identity provider (dev environment only), or
 * of the configured citizen identity provider ({@link CitizenIdentityProviderConfiguration}), checked with the same
 * nimbus processor as professionals' tokens ({@link IdentityProviderTokens#processor}). The BSN claim must pass the
 * elfproef. A citizen has role {@code CITIZEN} only, so every professional endpoint answers 403; professionals' sign-ins
 * never have that role, so no citizen endpoint lets them in. The BSN is never logged.
 */
@Singleton
class CitizenTokens implements TokenValidator<HttpRequest<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(CitizenTokens.class);

    private final @Nullable DevIdentityProvider dev;
    private final @Nullable ConfigurableJWTProcessor<SecurityContext> processor;
    private final String bsnClaim;
    private final ExecutorService blocking;

    CitizenTokens(CitizenIdentityProviderConfiguration config, @Nullable DevIdentityProvider dev, Clock clock,
                  @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.dev = dev;
        this.blocking = blocking;
        this.bsnClaim = config.bsnClaimName();
        this.processor = config.bearerConfigured() ? IdentityProviderTokens.processor(CitizenIdentityProviderConfiguration.PREFIX,
                CitizenIdentityProviderConfiguration.ENV, config.issuer(), config.jwks(), config.audience(),
                config.algorithms(), bsnClaim, clock) : null;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
        if (dev == null && processor == null) {
            return Publishers.empty();
        }
        return Publishers.fromCompletableFuture(() -> CompletableFuture.supplyAsync(
                () -> authenticate(token).orElse(null), blocking));
    }

    /** The citizen {@code token} signs in, or empty. */
    Optional<Authentication> authenticate(String token) {
        if (dev != null) {
            Optional<Bsn> person = dev.verify(token);
            if (person.isPresent()) {
                return Optional.of(Citizens.of(person.get()));
            }
        }
        if (processor == null) {
            return Optional.empty();
        }
        Object claim;
        try {
            claim = processor.process(token, null).getClaim(bsnClaim);
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            LOG.debug("refused a citizen token: {}", e.getMessage());
            return Optional.empty();
        }
        if (!(claim instanceof String digits) || !Bsn.isValid(digits)) {
            LOG.debug("refused a citizen token: claim {} is not a valid BSN", bsnClaim);
            return Optional.empty();
        }
        return Optional.of(Citizens.of(Bsn.parse(digits)));
    }
}
