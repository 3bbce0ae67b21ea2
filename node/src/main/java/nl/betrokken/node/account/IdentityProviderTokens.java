package nl.betrokken.node.account;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import nl.betrokken.crypto.token.Es256Provider;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one validator of bearer tokens: access tokens of the region's identity provider
 * ({@link IdentityProviderConfiguration}). A token signs a user in only when all of these hold:
 * <ul>
 *   <li>it is a JWS (never unsigned, {@code "alg":"none"}, never encrypted) with a configured asymmetric algorithm,
 *       verified with a key of the provider's JWK set (RFC 7515, RFC 8725 section 3.1-3.2): a symmetric
 *       algorithm, an unknown key, or another key under a known {@code kid} is refused;</li>
 *   <li>{@code iss} is the configured issuer exactly, {@code aud} contains the configured audience (when one is
 *       set), {@code exp} is present and not past and {@code nbf} not ahead, with a minute of clock skew;</li>
 *   <li>the username claim names an <em>active</em> account at this node.</li>
 * </ul>
 * The user's role and organisation are then the account's ({@link SignIn}); the token's own role or organisation
 * claims are never read. Without a configured provider no token signs anyone in. Checks are nimbus-jose-jwt's
 * {@link DefaultJWTProcessor}, not hand-written. The same token sent again within {@link #VERIFIED_FOR} (and before
 * its {@code exp}) is not checked again; its account is.
 */
@Singleton
class IdentityProviderTokens implements TokenValidator<HttpRequest<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityProviderTokens.class);
    /** The {@code typ} headers an identity provider puts on access tokens: none, {@code JWT}, RFC 9068's {@code at+jwt}. */
    private static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");
    private static final Set<JWSAlgorithm> ASYMMETRIC = asymmetric();
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    private final Accounts accounts;
    private final ExecutorService blocking;
    private final @Nullable ConfigurableJWTProcessor<SecurityContext> processor;
    private final String usernameClaim;
    private final Clock clock;

    IdentityProviderTokens(IdentityProviderConfiguration config, Accounts accounts, Clock clock,
                           @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.accounts = accounts;
        this.blocking = blocking;
        this.usernameClaim = config.usernameClaimName();
        this.clock = clock;
        this.processor = config.configured() ? processor(config, usernameClaim, clock) : null;
    }

    /** Whether an identity provider is configured; without one every token is refused. */
    boolean configured() {
        return processor != null;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
        if (processor == null) {
            return Publishers.empty();
        }
        // Fetching the provider's keys and reading the account block: off the event loop.
        return Publishers.fromCompletableFuture(() -> CompletableFuture.supplyAsync(
                () -> authenticate(token).orElse(null), blocking));
    }

    /** The user {@code token} signs in, or empty when it is refused for any reason. */
    Optional<Authentication> authenticate(String token) {
        if (processor == null) {
            return Optional.empty();
        }
        JWTClaimsSet claims = recentlyVerified(token);
        try {
            if (claims == null) {
                claims = processor.process(token, null);
                remember(token, claims);
            }
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            // Junk is a refusal, never a 500. The reason is nimbus's text ("Signed JWT rejected: Invalid signature",
            // at most an issuer or audience value), never the username. Debug, not info: anyone can send junk, and a
            // flood of it must not flood the log.
            LOG.debug("refused a user token: {}", e.getMessage());
            return Optional.empty();
        }
        Object username = claims.getClaim(usernameClaim);
        if (!(username instanceof String name) || name.isBlank()) {
            LOG.debug("refused a user token: claim {} is not a username", usernameClaim);
            return Optional.empty();
        }
        Optional<Account> account = accounts.find(name).filter(Account::active);
        if (account.isEmpty()) {
            // The account is not named: the log names no account (docs/node.md).
            LOG.debug("refused a user token: no active account at this node for its username");
            return Optional.empty();
        }
        return Optional.of(SignIn.of(account.get()));
    }

    /**
     * How long a token's signature and claims, once verified, are taken as verified when the same token comes again:
     * a user's client sends one access token with every request, and its signature need not be checked on each. Never
     * past the token's {@code exp}; short, so that a key the provider withdraws stops working soon after nimbus's key
     * cache lets it go. The account is read on every request all the same.
     */
    static final Duration VERIFIED_FOR = Duration.ofMinutes(1);
    /** How many verified tokens are kept; when full, the lot is dropped (a flood of new tokens costs checks, not memory). */
    static final int VERIFIED_KEPT = 4096;

    private record Verified(JWTClaimsSet claims, Instant until) {
    }

    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private @Nullable JWTClaimsSet recentlyVerified(String token) {
        Verified v = verified.get(token);
        if (v == null) {
            return null;
        }
        if (!clock.instant().isBefore(v.until())) {
            verified.remove(token, v);
            return null;
        }
        return v.claims();
    }

    private void remember(String token, JWTClaimsSet claims) {
        Instant now = clock.instant();
        Instant until = now.plus(VERIFIED_FOR);
        Date exp = claims.getExpirationTime();
        if (exp != null && exp.toInstant().isBefore(until)) {
            until = exp.toInstant();
        }
        if (verified.size() >= VERIFIED_KEPT) {
            verified.clear();
        }
        verified.put(token, new Verified(claims, until));
    }

    private static ConfigurableJWTProcessor<SecurityContext> processor(IdentityProviderConfiguration config,
                                                                       String usernameClaim, Clock clock) {
        return processor(IdentityProviderConfiguration.PREFIX, "BETROKKEN_IDENTITY_PROVIDER", config.issuer(),
                config.jwks(), config.audience(), config.algorithms(), usernameClaim, clock);
    }

    /**
     * The checks of a configured provider's tokens, for professionals here and for citizens
     * ({@link CitizenTokens}): the same guarantees, named in start-up errors by {@code prefix} and {@code env}.
     */
    static ConfigurableJWTProcessor<SecurityContext> processor(String prefix, String env, @Nullable String issuer,
                                                               @Nullable String jwks, @Nullable String audience,
                                                               @Nullable List<String> algorithms, String claim,
                                                               Clock clock) {
        if (IdentityProviderConfiguration.blank(issuer)) {
            throw new IllegalStateException(prefix + ".issuer"
                    + " (" + env + "_ISSUER) is required when a JWK set is configured");
        }
        if (IdentityProviderConfiguration.blank(jwks)) {
            throw new IllegalStateException(prefix + ".jwks"
                    + " (" + env + "_JWKS) is required when an issuer is configured:"
                    + " the URL or file of the identity provider's public keys");
        }
        return processor(issuer.strip(), keys(jwks.strip(), prefix + ".jwks (" + env + "_JWKS)"),
                algorithms(algorithms, prefix + ".algorithms (" + env + "_ALGORITHMS)"),
                IdentityProviderConfiguration.blank(audience) ? null : audience.strip(), claim, clock);
    }

    /**
     * A processor that accepts a JWS of {@code algorithms} signed by one of {@code keys}, with {@code iss} exactly
     * {@code issuer}, {@code aud} containing {@code audience} (when not null), {@code exp} and {@code claim} present,
     * {@code exp}/{@code nbf} checked against {@code clock} with a minute of skew.
     */
    static ConfigurableJWTProcessor<SecurityContext> processor(String issuer, JWKSource<SecurityContext> keys,
                                                               Set<JWSAlgorithm> algorithms, @Nullable String audience,
                                                               String claim, Clock clock) {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        Set<JOSEObjectType> types = new HashSet<>(Arrays.asList(JOSEObjectType.JWT, ACCESS_TOKEN, null));
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(types));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        p.setJWSVerifierFactory(new DefaultJWSVerifierFactory() {
            // ES* on Bouncy Castle, as the node's own tokens (Es256Provider): checked on every request a user makes.
            @Override
            public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
                JWSVerifier verifier = super.createJWSVerifier(header, key);
                if (verifier instanceof ECDSAVerifier ecdsa) {
                    Es256Provider.use(ecdsa);
                }
                return verifier;
            }
        });
        Set<String> required = new HashSet<>(List.of(JWTClaimNames.ISSUER, JWTClaimNames.EXPIRATION_TIME, claim));
        Set<String> audiences = null;
        if (audience != null) {
            audiences = new HashSet<>(List.of(audience));
            required.add(JWTClaimNames.AUDIENCE);
        }
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audiences,
                new JWTClaimsSet.Builder().issuer(issuer).build(), required, null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        });
        return p;
    }

    /** The configured algorithms; refuses to start on a symmetric one or {@code none}. */
    static Set<JWSAlgorithm> algorithms(@Nullable List<String> names, String where) {
        List<String> given = names == null || names.isEmpty() ? List.of("RS256", "ES256") : names;
        Set<JWSAlgorithm> out = new LinkedHashSet<>();
        for (String name : given) {
            JWSAlgorithm alg = JWSAlgorithm.parse(name.strip());
            if (!ASYMMETRIC.contains(alg)) {
                throw new IllegalStateException(where + ": " + name.strip()
                        + " is not an asymmetric signature algorithm; allowed are RS*, PS*, ES*, EdDSA");
            }
            out.add(alg);
        }
        return out;
    }

    /**
     * {@code url} as a URI, when it is an {@code https://} URL, or an {@code http://} one on this host (a provider on
     * loopback, as in tests and on a developer's machine): anything fetched or sent in the clear elsewhere could be
     * read or swapped on the path. Otherwise the start stops, naming {@code where}.
     */
    static URI httpsOrLoopback(String url, String where) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is not a valid URL", e);
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        boolean loopback = "http".equalsIgnoreCase(uri.getScheme()) && LOOPBACK.contains(uri.getHost());
        if (uri.getHost() == null || !(https || loopback)) {
            throw new IllegalStateException(where + " must be an https:// URL (http:// only on this host)");
        }
        return uri;
    }

    private static Set<JWSAlgorithm> asymmetric() {
        Set<JWSAlgorithm> all = new HashSet<>(new ArrayList<>(JWSAlgorithm.Family.RSA));
        all.addAll(JWSAlgorithm.Family.EC);
        all.addAll(JWSAlgorithm.Family.ED);
        return Set.copyOf(all);
    }

    /**
     * The provider's public keys: from an {@code https://} URL ({@code http://} only on this host), fetched when first needed and
     * cached and refreshed by nimbus (rate-limited, so an unknown kid cannot make us hammer the provider); from a file,
     * read now, so a missing or broken file stops the start.
     */
    static JWKSource<SecurityContext> keys(String jwks, String where) {
        if (jwks.startsWith("https://") || jwks.startsWith("http://")) {
            URI uri;
            try {
                uri = URI.create(jwks);
                if (jwks.startsWith("http://") && !LOOPBACK.contains(uri.getHost())) {
                    // Keys fetched in the clear could be swapped by anyone on the path.
                    throw new IllegalStateException(where + " must be an https:// URL (http:// only on this host)");
                }
                return JWKSourceBuilder.<SecurityContext>create(uri.toURL()).build();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalStateException(where + " is not a valid URL", e);
            }
        }
        Path file = Path.of(jwks.startsWith("file:") ? jwks.substring("file:".length()) : jwks);
        try {
            JWKSet set = JWKSet.parse(Files.readString(file)).toPublicJWKSet();
            if (set.isEmpty()) {
                throw new IllegalStateException(where + ": " + file + " holds no public key");
            }
            return new ImmutableJWKSet<>(set);
        } catch (IOException | ParseException e) {
            throw new IllegalStateException(where + ": cannot read a JWK set from " + file, e);
        }
    }
}
