package nl.betrokken.crypto.token;

import static nl.betrokken.crypto.token.TokenVerificationException.Reason.ALG_NONE;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.BAD_SIGNATURE;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.EXPIRED;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.MALFORMED;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.MISSING_CLAIM;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.NOT_YET_VALID;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.UNEXPECTED_ALGORITHM;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.UNKNOWN_KEY_ID;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.WRONG_AUDIENCE;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.WRONG_ISSUER;
import static nl.betrokken.crypto.token.TokenVerificationException.Reason.WRONG_TYPE;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@link TokenVerifier} for ES256 tokens from {@link Es256TokenSigner} or any JWT library that writes the same
 * claims.
 *
 * <p>Checks, in this order, each refusing with its own {@link TokenVerificationException.Reason}:
 * <ol>
 *   <li>three base64url parts, the first a JSON header with a string {@code alg} ({@code MALFORMED});</li>
 *   <li>{@code alg} is not {@code none} ({@code ALG_NONE}) and is exactly {@code ES256}
 *       ({@code UNEXPECTED_ALGORITHM}). This runs on the raw header, before nimbus parses the token, so no
 *       other algorithm ever reaches signature code and an HMAC key is never derived from a public key;</li>
 *   <li>only when an expected type is configured: the header's {@code typ} equals it ({@code WRONG_TYPE}, also
 *       when {@code typ} is absent). Compared as a media type (RFC 7515 section 4.1.9): ignoring letter case and
 *       an {@code application/} prefix. Without an expected type any {@code typ}, or none, is accepted;</li>
 *   <li>no critical header parameters ({@code MALFORMED});</li>
 *   <li>a {@code kid} that is in the trusted {@link PublicKeySet} ({@code UNKNOWN_KEY_ID});</li>
 *   <li>the signature verifies under that key ({@code BAD_SIGNATURE});</li>
 *   <li>only now the payload is read: a JSON claims set whose registered claims have their JSON types
 *       ({@code MALFORMED}), all seven present ({@code MISSING_CLAIM}), strings not blank and {@code exp} after
 *       {@code nbf} ({@code MALFORMED});</li>
 *   <li>issuer ({@code WRONG_ISSUER}, only when configured), audience ({@code WRONG_AUDIENCE});</li>
 *   <li>{@code exp} ({@code EXPIRED}), {@code nbf} and {@code iat} ({@code NOT_YET_VALID}), each with the
 *       allowed clock skew;</li>
 *   <li>each required custom claim: absent or {@code null} is {@code MISSING_CLAIM}, present with another JSON
 *       type is {@code MALFORMED} (the claim is there, it is just not what the issuer promised).</li>
 * </ol>
 *
 * <p>The trusted keys are fixed at build time. To trust a new node key or drop a revoked one, build a new
 * verifier. Immutable and thread-safe.
 */
public final class Es256TokenVerifier implements TokenVerifier {

    /** The default allowed difference between the signer's clock and ours. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofSeconds(60);
    /** The largest skew {@link Builder#maxClockSkew(Duration)} accepts. */
    public static final Duration MAX_ALLOWED_CLOCK_SKEW = Duration.ofMinutes(5);

    /** JWS algorithm names nimbus knows; any other alg value is not echoed in a message. */
    private static final Set<String> KNOWN_ALGORITHMS = Stream
            .concat(JWSAlgorithm.Family.HMAC_SHA.stream(), JWSAlgorithm.Family.SIGNATURE.stream())
            .map(Algorithm::getName)
            .collect(Collectors.toUnmodifiableSet());

    /** Base64url without padding, as RFC 7515 section 2 requires; the empty string matches. */
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");

    private final Map<String, JWSVerifier> verifiersByKid;
    private final String expectedAudience;
    private final String expectedIssuer;
    private final String expectedType;
    private final Clock clock;
    private final Duration maxClockSkew;
    private final Set<Claim<?>> requiredClaims;

    private Es256TokenVerifier(Builder b) {
        Map<String, JWSVerifier> verifiers = new LinkedHashMap<>();
        for (String kid : b.trustedKeys.keyIds()) {
            ECKey key = b.trustedKeys.find(kid).orElseThrow();
            try {
                verifiers.put(kid, Es256Provider.use(new ECDSAVerifier(key)));
            } catch (JOSEException e) {
                throw new IllegalArgumentException("trusted key '" + kid + "' cannot verify ES256", e);
            }
        }
        this.verifiersByKid = Map.copyOf(verifiers);
        this.expectedAudience = b.expectedAudience;
        this.expectedIssuer = b.expectedIssuer;
        this.expectedType = b.expectedType;
        this.clock = b.clock;
        this.maxClockSkew = b.maxClockSkew;
        this.requiredClaims = Set.copyOf(b.requiredClaims);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public VerifiedToken verify(String compactJws) throws TokenVerificationException {
        if (compactJws == null) {
            throw refuse(MALFORMED, "token is null");
        }
        String[] parts = compactJws.split("\\.", -1);
        if (parts.length != 3) {
            throw refuse(MALFORMED, "token has " + parts.length + " dot-separated parts; a compact JWS has 3");
        }
        for (String part : parts) {
            if (!BASE64URL.matcher(part).matches()) {
                throw refuse(MALFORMED, "token contains characters outside unpadded base64url");
            }
        }

        Map<String, Object> rawHeader = parseHeader(parts[0]);
        checkAlgorithm(rawHeader);
        checkType(rawHeader);

        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(compactJws);
        } catch (ParseException e) {
            throw refuse(MALFORMED, "header is not a valid JWS header");
        }
        Set<String> critical = jwt.getHeader().getCriticalParams();
        if (critical != null && !critical.isEmpty()) {
            throw refuse(MALFORMED, "header has critical parameters, which this verifier does not support");
        }

        String kid = jwt.getHeader().getKeyID();
        if (kid == null) {
            throw refuse(UNKNOWN_KEY_ID, "header has no kid");
        }
        JWSVerifier verifier = verifiersByKid.get(kid);
        if (verifier == null) {
            throw refuse(UNKNOWN_KEY_ID, "kid is not among the trusted keys " + verifiersByKid.keySet());
        }
        boolean valid;
        try {
            valid = jwt.verify(verifier);
        } catch (JOSEException e) {
            valid = false;
        }
        if (!valid) {
            throw refuse(BAD_SIGNATURE, "signature does not verify under trusted key '" + kid + "'");
        }

        // The signature holds: from here on the payload is what a trusted key signed.
        JWTClaimsSet payload;
        try {
            payload = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refuse(MALFORMED, "payload is not a JSON claims set with correctly typed registered claims");
        }
        TokenClaims claims = readClaims(payload);
        checkIssuerAndAudience(claims, payload.getAudience());
        checkTimes(claims);
        checkRequiredClaims(claims);
        return new VerifiedToken(kid, claims);
    }

    private static Map<String, Object> parseHeader(String encodedHeader) throws TokenVerificationException {
        try {
            byte[] json = Base64.getUrlDecoder().decode(encodedHeader);
            return JSONObjectUtils.parse(new String(json, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | ParseException e) {
            throw refuse(MALFORMED, "header is not base64url-encoded JSON");
        }
    }

    private static void checkAlgorithm(Map<String, Object> header) throws TokenVerificationException {
        if (!(header.get("alg") instanceof String alg)) {
            throw refuse(MALFORMED, "header has no string alg");
        }
        if (alg.equalsIgnoreCase("none")) {
            throw refuse(ALG_NONE, "unsecured token (alg none) refused");
        }
        if (!alg.equals(JWSAlgorithm.ES256.getName())) {
            throw refuse(UNEXPECTED_ALGORITHM,
                    "algorithm " + nameIfRegistered(alg) + " refused; only ES256 is accepted");
        }
    }

    /** Runs on the raw header like {@link #checkAlgorithm}, so a token of the wrong kind never reaches a key. */
    private void checkType(Map<String, Object> header) throws TokenVerificationException {
        if (expectedType == null) {
            return;
        }
        if (!(header.get("typ") instanceof String typ)) {
            throw refuse(WRONG_TYPE, "header has no string typ; expected '" + expectedType + "'");
        }
        if (!mediaType(typ).equals(mediaType(expectedType))) {
            throw refuse(WRONG_TYPE, "typ is not the expected type '" + expectedType + "'");
        }
    }

    /**
     * A typ value in a comparable form. RFC 7515 section 4.1.9: media type names compare case-insensitively, and
     * a value without a '/' stands for {@code application/<value>}.
     */
    private static String mediaType(String typ) {
        String lower = typ.toLowerCase(Locale.ROOT);
        return lower.indexOf('/') < 0 ? "application/" + lower : lower;
    }

    /** The alg as written if it is a JWS algorithm nimbus knows, so that a message never echoes free text. */
    private static String nameIfRegistered(String alg) {
        return KNOWN_ALGORITHMS.contains(alg) ? alg : "(unregistered name)";
    }

    /**
     * Builds the claims from a payload whose signature has been verified. Registered claims have their JSON
     * types already (nimbus refuses a payload where they do not); here they must be present and not blank.
     */
    private static TokenClaims readClaims(JWTClaimsSet payload) throws TokenVerificationException {
        String issuer = requireText(payload.getIssuer(), "iss");
        String subject = requireText(payload.getSubject(), "sub");
        List<String> audiences = payload.getAudience();
        if (audiences.isEmpty()) {
            throw refuse(MISSING_CLAIM, "token has no 'aud' claim");
        }
        String jwtId = requireText(payload.getJWTID(), "jti");
        Instant issuedAt = requireTime(payload.getIssueTime(), "iat");
        Instant notBefore = requireTime(payload.getNotBeforeTime(), "nbf");
        Instant expiresAt = requireTime(payload.getExpirationTime(), "exp");
        if (!expiresAt.isAfter(notBefore)) {
            throw refuse(MALFORMED, "exp " + expiresAt + " is not after nbf " + notBefore);
        }
        Map<String, Object> custom = new LinkedHashMap<>();
        for (Map.Entry<String, Object> claim : payload.getClaims().entrySet()) {
            if (!Claim.REGISTERED.contains(claim.getKey()) && claim.getValue() != null) {
                custom.put(claim.getKey(), claim.getValue());
            }
        }
        try {
            return TokenClaims.builder()
                    .issuer(issuer)
                    .subject(subject)
                    // Only the first audience is kept; checkIssuerAndAudience refuses a token with more than one.
                    .audience(requireText(audiences.get(0), "aud"))
                    .jwtId(jwtId)
                    .issuedAt(issuedAt)
                    .notBefore(notBefore)
                    .expiresAt(expiresAt)
                    .parsedClaims(custom)
                    .build();
        } catch (IllegalArgumentException e) {
            // Not reached: every rule of the builder was checked above. Kept so a future rule cannot escape as an
            // unchecked exception; the builder's messages name fields and times only.
            throw refuse(MALFORMED, e.getMessage());
        }
    }

    private void checkIssuerAndAudience(TokenClaims claims, List<String> audiences)
            throws TokenVerificationException {
        if (expectedIssuer != null && !expectedIssuer.equals(claims.issuer())) {
            throw refuse(WRONG_ISSUER, "iss is not the expected issuer '" + expectedIssuer + "'");
        }
        if (audiences.size() != 1) {
            throw refuse(WRONG_AUDIENCE, "aud names " + audiences.size() + " audiences; only exactly '"
                    + expectedAudience + "' is accepted");
        }
        if (!expectedAudience.equals(claims.audience())) {
            throw refuse(WRONG_AUDIENCE, "aud is not this verifier's audience '" + expectedAudience + "'");
        }
    }

    private void checkTimes(TokenClaims claims) throws TokenVerificationException {
        Instant now = clock.instant();
        if (!now.isBefore(claims.expiresAt().plus(maxClockSkew))) {
            throw refuse(EXPIRED, "token expired at " + claims.expiresAt() + ", now " + now
                    + ", allowed skew " + maxClockSkew);
        }
        if (now.isBefore(claims.notBefore().minus(maxClockSkew))) {
            throw refuse(NOT_YET_VALID, "token not valid before " + claims.notBefore() + ", now " + now
                    + ", allowed skew " + maxClockSkew);
        }
        if (now.isBefore(claims.issuedAt().minus(maxClockSkew))) {
            throw refuse(NOT_YET_VALID, "token issued in the future at " + claims.issuedAt() + ", now " + now
                    + ", allowed skew " + maxClockSkew);
        }
    }

    private void checkRequiredClaims(TokenClaims claims) throws TokenVerificationException {
        for (Claim<?> claim : requiredClaims) {
            Object raw = claims.customClaims().get(claim.name());
            if (raw == null) {
                throw refuse(MISSING_CLAIM, "token has no '" + claim.name() + "' claim");
            }
            if (claim.decode(raw) == null) {
                throw refuse(MALFORMED, "claim '" + claim.name() + "' is not " + claim.typeDescription());
            }
        }
    }

    private static String requireText(String value, String name) throws TokenVerificationException {
        if (value == null) {
            throw refuse(MISSING_CLAIM, "token has no '" + name + "' claim");
        }
        if (value.isBlank()) {
            throw refuse(MALFORMED, "claim '" + name + "' is blank");
        }
        return value;
    }

    private static Instant requireTime(Date value, String name) throws TokenVerificationException {
        if (value == null) {
            throw refuse(MISSING_CLAIM, "token has no '" + name + "' claim");
        }
        return value.toInstant();
    }

    private static TokenVerificationException refuse(TokenVerificationException.Reason reason, String message) {
        return new TokenVerificationException(reason, message);
    }

    @Override
    public String toString() {
        return "Es256TokenVerifier[aud=" + expectedAudience
                + (expectedIssuer == null ? "" : ", iss=" + expectedIssuer)
                + (expectedType == null ? "" : ", typ=" + expectedType)
                + ", keys=" + verifiersByKid.keySet() + ", skew=" + maxClockSkew + "]";
    }

    /**
     * Builds an {@link Es256TokenVerifier}. Required: {@link #trustedKeys(PublicKeySet)} (not empty) and
     * {@link #expectedAudience(String)}. Defaults: any issuer, any type, {@link Clock#systemUTC()}, a skew of
     * {@link #DEFAULT_MAX_CLOCK_SKEW}, no required custom claims. Setters refuse bad values at once with an
     * {@link IllegalArgumentException}; {@link #build()} refuses missing required settings the same way.
     */
    public static final class Builder {
        private PublicKeySet trustedKeys;
        private String expectedAudience;
        private String expectedIssuer;
        private String expectedType;
        private Clock clock = Clock.systemUTC();
        private Duration maxClockSkew = DEFAULT_MAX_CLOCK_SKEW;
        private final Set<Claim<?>> requiredClaims = new LinkedHashSet<>();

        private Builder() {
        }

        /** The keys whose signatures are accepted, looked up by the token's kid. */
        public Builder trustedKeys(PublicKeySet trustedKeys) {
            if (trustedKeys == null || trustedKeys.keyIds().isEmpty()) {
                throw new IllegalArgumentException("trustedKeys must hold at least one key");
            }
            this.trustedKeys = trustedKeys;
            return this;
        }

        /** The {@code aud} a token must carry: the name of the service doing the verifying. */
        public Builder expectedAudience(String audience) {
            if (audience == null || audience.isBlank()) {
                throw new IllegalArgumentException("expectedAudience must not be blank");
            }
            this.expectedAudience = audience;
            return this;
        }

        /** The {@code iss} a token must carry. Not set: any issuer whose key is trusted is accepted. */
        public Builder expectedIssuer(String issuer) {
            if (issuer == null || issuer.isBlank()) {
                throw new IllegalArgumentException("expectedIssuer must not be blank");
            }
            this.expectedIssuer = issuer;
            return this;
        }

        /**
         * The header {@code typ} a token must carry, e.g. {@code betrokken-node+jwt} (explicit typing, RFC 8725
         * section 3.11). Compared ignoring letter case and an {@code application/} prefix. Not set: any
         * {@code typ}, or none, is accepted, so a token of another kind signed by a trusted key passes this check.
         */
        public Builder expectedType(String type) {
            if (type == null || type.isBlank()) {
                throw new IllegalArgumentException("expectedType must not be blank");
            }
            this.expectedType = type;
            return this;
        }

        public Builder clock(Clock clock) {
            if (clock == null) {
                throw new IllegalArgumentException("clock is null");
            }
            this.clock = clock;
            return this;
        }

        /** How far the signer's clock may differ from ours; between zero and {@link #MAX_ALLOWED_CLOCK_SKEW}. */
        public Builder maxClockSkew(Duration skew) {
            if (skew == null || skew.isNegative() || skew.compareTo(MAX_ALLOWED_CLOCK_SKEW) > 0) {
                throw new IllegalArgumentException(
                        "maxClockSkew " + skew + " must be between PT0S and " + MAX_ALLOWED_CLOCK_SKEW);
            }
            this.maxClockSkew = skew;
            return this;
        }

        /** A custom claim every token must carry with the claim's JSON type. May be called more than once. */
        public Builder requireClaim(Claim<?> claim) {
            if (claim == null) {
                throw new IllegalArgumentException("required claim is null");
            }
            requiredClaims.add(claim);
            return this;
        }

        public Es256TokenVerifier build() {
            if (trustedKeys == null) {
                throw new IllegalArgumentException("trustedKeys is required");
            }
            if (expectedAudience == null) {
                throw new IllegalArgumentException("expectedAudience is required");
            }
            return new Es256TokenVerifier(this);
        }
    }
}
