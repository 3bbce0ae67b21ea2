package nl.betrokken.node.account;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenID Connect authorization code flow (OpenID Connect Core 1.0 section 3.1) with PKCE S256 (RFC 7636),
 * {@code state} and {@code nonce}, built with nimbus's oauth2-oidc-sdk rather than by hand. Shared by the parents'
 * sign-in ({@link CitizenOidc}) and the staff's ({@link StaffOidc}); each gives its configuration and turns a
 * {@link Failure} into its own refusal.
 *
 * <p>{@link #begin} makes a fresh state, nonce and code verifier, keeps them in memory under a random id for
 * {@link #PENDING_LIFETIME} with the caller's {@code extra} (the caller puts the id in a cookie) and answers the
 * provider's authorization URI. {@link #complete} takes that pending sign-in out (so it is used once, whatever happens
 * next) and answers the ID token's claims only when all of these hold:
 * <ul>
 *   <li>the response's {@code state} is the pending one (a login started elsewhere cannot be completed here);</li>
 *   <li>its {@code iss} parameter (RFC 9207), when present, or required because the provider announces it, is the
 *       configured issuer (mix-up);</li>
 *   <li>it carries a code, which the provider's token endpoint exchanges, with this client's secret and the pending
 *       code verifier, for an ID token;</li>
 *   <li>the ID token is signed with a configured asymmetric algorithm by a key of the provider's JWK set, {@code iss}
 *       is the issuer exactly, {@code aud} holds the client id, it is not expired (a minute of clock skew), and its
 *       {@code nonce} is the pending one (nimbus's {@link IDTokenValidator}).</li>
 * </ul>
 * What the claims must then say (a BSN, a username) is the caller's check. Discovery
 * ({@code /.well-known/openid-configuration}) waits for the first sign-in, so the node starts while the provider is
 * down; a failed discovery is tried again after {@link #RETRY_DISCOVERY}. No code or token is logged.
 *
 * <p>The constructor checks the settings: a broken configuration stops the node before it serves.
 */
final class OidcCodeFlow {

    /** How long a started sign-in may take at the provider. */
    static final Duration PENDING_LIFETIME = Duration.ofMinutes(10);
    /** At most this many sign-ins wait at once; more is refused ({@link Failure#BUSY}), not unbounded memory. */
    static final int MAX_PENDING = 10_000;
    static final Duration RETRY_DISCOVERY = Duration.ofSeconds(2);
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 10_000;
    private static final int CLOCK_SKEW_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(OidcCodeFlow.class);

    /** Why a sign-in failed in the flow itself. */
    enum Failure {
        NOT_CONFIGURED, PROVIDER_UNAVAILABLE, BUSY, NO_PENDING, STATE_MISMATCH, ISSUER_MISMATCH, BAD_RESPONSE, DENIED,
        TOKEN_REFUSED, ID_TOKEN
    }

    /**
     * Where the settings come from: {@code prefix} and {@code env} name them in the messages that stop the start,
     * {@code callback} is the path the redirect URI must have.
     */
    record Setting(String prefix, String env, String callback) {
    }

    /** A sign-in under way: its secrets, kept only here, and what the caller keeps with it. */
    private record Pending(State state, Nonce nonce, CodeVerifier verifier, Instant expires, @Nullable String extra) {
        @Override
        public String toString() {
            return "Pending[redacted]";
        }
    }

    /** Where the provider is and how its ID tokens are checked. */
    private record Endpoints(URI authorization, URI token, IDTokenValidator validator, boolean issuerParameter) {
    }

    /** A started sign-in: the id to keep in the browser's cookie, and where to send the browser. */
    record Started(String id, URI authorization) {
        @Override
        public String toString() {
            return "Started[redacted]";
        }
    }

    /** A completed sign-in: the ID token's checked claims, and what the caller kept with it at {@link #begin}. */
    record Completed(IDTokenClaimsSet claims, @Nullable String extra) {
        @Override
        public String toString() {
            return "Completed[redacted]";
        }
    }

    private final String name;
    private final boolean configured;
    private final Clock clock;
    private final Function<Failure, RuntimeException> refusal;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private @Nullable Issuer issuer;
    private @Nullable ClientID clientId;
    private @Nullable ClientAuthentication clientAuthentication;
    private @Nullable URI redirectUri;
    private @Nullable Scope scope;
    private @Nullable List<String> algorithms;
    private @Nullable String algorithmsSetting;
    private volatile @Nullable Endpoints endpoints;
    private volatile Instant discoveryFailedAt = Instant.MIN;

    /**
     * @param name what the logs call this sign-in ("citizen sign-in")
     * @param config the client's settings; the sign-in is off unless {@link OidcClientConfiguration#oidcConfigured}
     * @param setting where they come from
     * @param refusal what to throw for a failure
     */
    OidcCodeFlow(String name, OidcClientConfiguration config, Setting setting, Clock clock,
                 Function<Failure, RuntimeException> refusal) {
        this.name = name;
        this.clock = clock;
        this.refusal = refusal;
        this.configured = config.oidcConfigured();
        if (configured) {
            configure(config, setting);
        }
    }

    private void configure(OidcClientConfiguration config, Setting setting) {
        String p = setting.prefix();
        String env = setting.env();
        if (IdentityProviderConfiguration.blank(config.issuer())) {
            throw new IllegalStateException(p + ".issuer (" + env + "_ISSUER) is required for the OpenID Connect"
                    + " sign-in (" + p + ".client-id is set)");
        }
        this.issuer = new Issuer(IdentityProviderTokens.httpsOrLoopback(config.issuer(), p + ".issuer (" + env
                + "_ISSUER)").toString());
        this.clientId = new ClientID(config.clientId().strip());
        if (IdentityProviderConfiguration.blank(config.redirectUri())) {
            throw new IllegalStateException(p + ".redirect-uri (" + env + "_REDIRECT_URI) is required: the node's"
                    + " public base URL + " + setting.callback());
        }
        this.redirectUri = IdentityProviderTokens.httpsOrLoopback(config.redirectUri(),
                p + ".redirect-uri (" + env + "_REDIRECT_URI)");
        if (!setting.callback().equals(redirectUri.getPath()) || redirectUri.getRawQuery() != null) {
            throw new IllegalStateException(p + ".redirect-uri (" + env + "_REDIRECT_URI) must be the node's public"
                    + " base URL + " + setting.callback() + ", the address that completes the sign-in");
        }
        Secret secret = new Secret(secret(config, p, env));
        String method = IdentityProviderConfiguration.blank(config.clientAuthentication())
                ? "client_secret_basic" : config.clientAuthentication().strip();
        this.clientAuthentication = switch (method) {
            case "client_secret_basic" -> new ClientSecretBasic(clientId, secret);
            case "client_secret_post" -> new ClientSecretPost(clientId, secret);
            default -> throw new IllegalStateException(p + ".client-authentication (" + env
                    + "_CLIENT_AUTHENTICATION) must be client_secret_basic or client_secret_post");
        };
        Scope s = new Scope("openid");
        if (config.scopes() != null) {
            config.scopes().stream().map(String::strip).filter(x -> !x.isEmpty()).forEach(s::add);
        }
        this.scope = s;
        this.algorithms = config.algorithms() == null ? List.of() : new ArrayList<>(config.algorithms());
        this.algorithmsSetting = p + ".algorithms";
        // Refuses a symmetric algorithm now, not at the first sign-in.
        IdentityProviderTokens.algorithms(algorithms, p + ".algorithms (" + env + "_ALGORITHMS)");
        boolean anyExplicit = !IdentityProviderConfiguration.blank(config.authorizationEndpoint())
                || !IdentityProviderConfiguration.blank(config.tokenEndpoint());
        if (anyExplicit) {
            if (IdentityProviderConfiguration.blank(config.authorizationEndpoint())
                    || IdentityProviderConfiguration.blank(config.tokenEndpoint())
                    || IdentityProviderConfiguration.blank(config.jwks())) {
                throw new IllegalStateException("without discovery, " + p + ".authorization-endpoint, "
                        + p + ".token-endpoint and " + p + ".jwks (" + env + "_AUTHORIZATION_ENDPOINT, "
                        + env + "_TOKEN_ENDPOINT, " + env + "_JWKS) are all required");
            }
            this.endpoints = new Endpoints(
                    IdentityProviderTokens.httpsOrLoopback(config.authorizationEndpoint(), p + ".authorization-endpoint"),
                    IdentityProviderTokens.httpsOrLoopback(config.tokenEndpoint(), p + ".token-endpoint"),
                    validator(IdentityProviderTokens.keys(config.jwks().strip(), p + ".jwks (" + env + "_JWKS)")),
                    false);
        }
    }

    private static String secret(OidcClientConfiguration config, String p, String env) {
        if (!IdentityProviderConfiguration.blank(config.clientSecretFile())) {
            Path file = Path.of(config.clientSecretFile().strip());
            try {
                String s = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (s.isEmpty()) {
                    throw new IllegalStateException(p + ".client-secret-file: " + file + " is empty");
                }
                return s;
            } catch (IOException e) {
                throw new IllegalStateException(p + ".client-secret-file (" + env + "_CLIENT_SECRET_FILE): cannot read "
                        + file, e);
            }
        }
        if (IdentityProviderConfiguration.blank(config.clientSecret())) {
            throw new IllegalStateException(p + ".client-secret-file or .client-secret (" + env
                    + "_CLIENT_SECRET_FILE, " + env + "_CLIENT_SECRET) is required for the OpenID Connect sign-in");
        }
        return config.clientSecret().strip();
    }

    /** Whether this sign-in is configured at this node. */
    boolean configured() {
        return configured;
    }

    /**
     * Starts a sign-in: a new pending one that keeps {@code extra}, and the provider's authorization URI to send the
     * browser to.
     *
     * @throws RuntimeException the refusal of NOT_CONFIGURED, PROVIDER_UNAVAILABLE or BUSY
     */
    Started begin(@Nullable String extra) {
        if (!configured) {
            throw refusal.apply(Failure.NOT_CONFIGURED);
        }
        Instant now = clock.instant();
        pending.values().removeIf(x -> !now.isBefore(x.expires()));
        if (pending.size() >= MAX_PENDING) {
            LOG.warn("{} refused: {} sign-ins are already waiting", name, pending.size());
            throw refusal.apply(Failure.BUSY);
        }
        Endpoints e = endpoints();
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        URI uri = new AuthenticationRequest.Builder(ResponseType.CODE, scope, clientId, redirectUri)
                .endpointURI(e.authorization()).state(state).nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI();
        String id = new State().getValue();
        pending.put(id, new Pending(state, nonce, verifier, now.plus(PENDING_LIFETIME), extra));
        return new Started(id, uri);
    }

    /**
     * Completes the sign-in {@code pendingId} names with the provider's answer at the callback ({@code parameters}, the
     * callback's query). The pending sign-in is gone afterwards, whatever the outcome.
     *
     * @return the ID token's checked claims, and the pending sign-in's {@code extra}
     * @throws RuntimeException the refusal of the failure; never for an unexpected answer of the provider
     */
    Completed complete(@Nullable String pendingId, Map<String, List<String>> parameters) {
        if (!configured) {
            throw refusal.apply(Failure.NOT_CONFIGURED);
        }
        Pending p = pendingId == null ? null : pending.remove(pendingId);
        if (p == null || !clock.instant().isBefore(p.expires())) {
            throw refused(Failure.NO_PENDING, "no pending sign-in for this browser (expired, used, or never started)");
        }
        AuthenticationResponse response;
        try {
            response = AuthenticationResponseParser.parse(redirectUri, parameters);
        } catch (ParseException | RuntimeException e) {
            throw refused(Failure.BAD_RESPONSE, e.getMessage());
        }
        State state = response.getState();
        if (state == null || !MessageDigest.isEqual(state.getValue().getBytes(StandardCharsets.UTF_8),
                p.state().getValue().getBytes(StandardCharsets.UTF_8))) {
            throw refused(Failure.STATE_MISMATCH, "the state does not match the pending sign-in");
        }
        Endpoints e = endpoints();
        Issuer iss = response.getIssuer();
        if (iss != null ? !iss.equals(issuer) : e.issuerParameter()) {
            throw refused(Failure.ISSUER_MISMATCH, "the authorization response's iss parameter is not the issuer");
        }
        if (!response.indicatesSuccess()) {
            // The provider's error code (access_denied, login_required, ...) is not personal; its description could be.
            throw refused(Failure.DENIED, "the provider answered "
                    + response.toErrorResponse().getErrorObject().getCode());
        }
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();
        if (code == null) {
            throw refused(Failure.BAD_RESPONSE, "the authorization response carries no code");
        }
        JWT idToken = exchange(e, code, p.verifier());
        try {
            return new Completed(e.validator().validate(idToken, p.nonce()), p.extra());
        } catch (KeySourceException ex) {
            throw refused(Failure.PROVIDER_UNAVAILABLE, "cannot fetch the provider's keys: " + ex.getMessage());
        } catch (BadJOSEException | JOSEException | RuntimeException ex) {
            throw refused(Failure.ID_TOKEN, ex.getMessage());
        }
    }

    /** The ID token the token endpoint gives for {@code code} and {@code verifier}. */
    private JWT exchange(Endpoints e, AuthorizationCode code, CodeVerifier verifier) {
        HTTPRequest request = new TokenRequest(e.token(), clientAuthentication,
                new AuthorizationCodeGrant(code, redirectUri, verifier)).toHTTPRequest();
        request.setConnectTimeout(CONNECT_TIMEOUT_MS);
        request.setReadTimeout(READ_TIMEOUT_MS);
        HTTPResponse http;
        try {
            http = request.send();
        } catch (IOException ex) {
            throw refused(Failure.PROVIDER_UNAVAILABLE, "the token endpoint does not answer: " + ex.getMessage());
        }
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(http);
        } catch (ParseException | RuntimeException ex) {
            throw refused(Failure.TOKEN_REFUSED, "the token endpoint answered HTTP " + http.getStatusCode()
                    + " that is not a token response");
        }
        if (!response.indicatesSuccess()) {
            throw refused(Failure.TOKEN_REFUSED, "the token endpoint refused the code: "
                    + response.toErrorResponse().getErrorObject().getCode());
        }
        if (!(response instanceof OIDCTokenResponse oidc) || oidc.getOIDCTokens().getIDToken() == null) {
            throw refused(Failure.TOKEN_REFUSED, "the token endpoint answered no ID token");
        }
        return oidc.getOIDCTokens().getIDToken();
    }

    /** The provider's endpoints: configured, or discovered once (retried after a failure). */
    private Endpoints endpoints() {
        Endpoints e = endpoints;
        if (e != null) {
            return e;
        }
        synchronized (this) {
            if (endpoints != null) {
                return endpoints;
            }
            if (clock.instant().isBefore(discoveryFailedAt.plus(RETRY_DISCOVERY))) {
                throw refusal.apply(Failure.PROVIDER_UNAVAILABLE);
            }
            Endpoints discovered = discover();
            if (discovered == null) {
                discoveryFailedAt = clock.instant();
                throw refusal.apply(Failure.PROVIDER_UNAVAILABLE);
            }
            endpoints = discovered;
            return discovered;
        }
    }

    /** The endpoints the issuer's discovery document names; null when it cannot be had or is incomplete. */
    private @Nullable Endpoints discover() {
        OIDCProviderMetadata metadata;
        try {
            // Checks that the document names exactly this issuer (OpenID Connect Discovery 1.0 section 4.3).
            metadata = OIDCProviderMetadata.resolve(issuer, CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
        } catch (IOException | GeneralException | RuntimeException e) {
            LOG.warn("{}: discovery at {} failed: {}", name, issuer, e.getMessage());
            return null;
        }
        try {
            if (metadata.getAuthorizationEndpointURI() == null || metadata.getTokenEndpointURI() == null
                    || metadata.getJWKSetURI() == null) {
                throw new IllegalStateException("the discovery document lacks an authorization, token or jwks endpoint");
            }
            String where = "the discovery document of " + issuer;
            return new Endpoints(
                    IdentityProviderTokens.httpsOrLoopback(metadata.getAuthorizationEndpointURI().toString(), where),
                    IdentityProviderTokens.httpsOrLoopback(metadata.getTokenEndpointURI().toString(), where),
                    validator(IdentityProviderTokens.keys(metadata.getJWKSetURI().toString(), where)),
                    metadata.supportsAuthorizationResponseIssuerParam());
        } catch (IllegalStateException e) {
            LOG.warn("{}: {}", name, e.getMessage());
            return null;
        }
    }

    private IDTokenValidator validator(JWKSource<SecurityContext> keys) {
        IDTokenValidator v = new IDTokenValidator(issuer, clientId, new JWSVerificationKeySelector<>(
                IdentityProviderTokens.algorithms(algorithms, algorithmsSetting), keys), null);
        v.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        return v;
    }

    /**
     * A refusal; its code at info (counts of refusals are worth watching), the reason at debug: nimbus's and the
     * provider's texts name claims, issuers and error codes, never the person, but anyone can send junk.
     */
    private RuntimeException refused(Failure failure, @Nullable String why) {
        logRefusal(name, failure.name().toLowerCase().replace('_', '-'), why);
        return refusal.apply(failure);
    }

    /** Logs a refusal of sign-in {@code name}: the code at info, {@code why} at debug. */
    static void logRefusal(String name, String code, @Nullable String why) {
        LOG.info("{} refused: {}", name, code);
        LOG.debug("{} refused ({}): {}", name, code, why);
    }
}
