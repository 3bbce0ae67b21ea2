package nl.betrokken.crypto.token;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The claims of a token: the seven registered JWT claims (RFC 7519 section 4.1), all required, plus typed custom
 * claims.
 *
 * <p>Times are whole seconds, because JWT NumericDate values are: the builder truncates any fraction. The
 * audience is a single string; Betrokken's tokens are each meant for exactly one service.
 *
 * <p>{@link #toString()} shows the issuer, audience, jti, times and the names of the custom claims, but neither
 * the subject nor any custom claim value: those may identify a person or carry a pseudonym.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class TokenClaims {

    private final String issuer;
    private final String subject;
    private final String audience;
    private final String jwtId;
    private final Instant issuedAt;
    private final Instant notBefore;
    private final Instant expiresAt;
    /** Custom claims by name, as JSON-ready values: String, Long, Boolean, List, or whatever a token carried. */
    private final Map<String, Object> custom;

    private TokenClaims(Builder b) {
        this.issuer = requireText(b.issuer, "issuer");
        this.subject = requireText(b.subject, "subject");
        this.audience = requireText(b.audience, "audience");
        this.jwtId = b.jwtId == null ? UUID.randomUUID().toString() : requireText(b.jwtId, "jwtId");
        this.issuedAt = seconds(requireSet(b.issuedAt, "issuedAt"));
        this.notBefore = b.notBefore == null ? issuedAt : seconds(b.notBefore);
        this.expiresAt = seconds(requireSet(b.expiresAt, "expiresAt"));
        if (!expiresAt.isAfter(notBefore)) {
            throw new IllegalArgumentException(
                    "expiresAt " + expiresAt + " must be after notBefore " + notBefore);
        }
        this.custom = Collections.unmodifiableMap(new LinkedHashMap<>(b.custom));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code iss}: who signed the token. */
    public String issuer() {
        return issuer;
    }

    /** {@code sub}: whom or what the token is about. */
    public String subject() {
        return subject;
    }

    /** {@code aud}: the one service the token is meant for. */
    public String audience() {
        return audience;
    }

    /** {@code jti}: the token's unique id, for replay detection by the recipient. */
    public String jwtId() {
        return jwtId;
    }

    /** {@code iat}, in whole seconds. */
    public Instant issuedAt() {
        return issuedAt;
    }

    /** {@code nbf}, in whole seconds. */
    public Instant notBefore() {
        return notBefore;
    }

    /** {@code exp}, in whole seconds; the token is valid strictly before this instant. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /**
     * The custom claim's value, or empty if the token does not carry it (a JSON {@code null} counts as absent).
     *
     * @throws IllegalStateException if the claim is present with another JSON type. A verifier that was told to
     *     require the claim has already refused such a token, so this only happens for claims read without
     *     being required.
     */
    public <T> Optional<T> get(Claim<T> claim) {
        Object raw = custom.get(claim.name());
        if (raw == null) {
            return Optional.empty();
        }
        T value = claim.decode(raw);
        if (value == null) {
            throw new IllegalStateException("claim '" + claim.name() + "' is not " + claim.typeDescription());
        }
        return Optional.of(value);
    }

    /**
     * The custom claim's value.
     *
     * @throws NoSuchElementException if the claim is absent
     * @throws IllegalStateException if the claim is present with another JSON type
     */
    public <T> T require(Claim<T> claim) {
        return get(claim).orElseThrow(() -> new NoSuchElementException("claim '" + claim.name() + "' is missing"));
    }

    /** The custom claims, for the signer in this package. */
    Map<String, Object> customClaims() {
        return custom;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenClaims other
                && issuer.equals(other.issuer)
                && subject.equals(other.subject)
                && audience.equals(other.audience)
                && jwtId.equals(other.jwtId)
                && issuedAt.equals(other.issuedAt)
                && notBefore.equals(other.notBefore)
                && expiresAt.equals(other.expiresAt)
                && custom.equals(other.custom);
    }

    @Override
    public int hashCode() {
        return Objects.hash(issuer, subject, audience, jwtId, issuedAt, notBefore, expiresAt, custom);
    }

    @Override
    public String toString() {
        return "TokenClaims[iss=" + issuer + ", aud=" + audience + ", jti=" + jwtId + ", iat=" + issuedAt
                + ", nbf=" + notBefore + ", exp=" + expiresAt + ", claims=" + custom.keySet() + "]";
    }

    private static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    private static Instant requireSet(Instant value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    private static Instant seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * Builds {@link TokenClaims}. Required: issuer, subject, audience, issuedAt, expiresAt. Defaults: jwtId is a
     * random UUID, notBefore is issuedAt. {@link #build()} refuses blank strings and an expiresAt that is not
     * after notBefore (both compared after truncation to whole seconds).
     */
    public static final class Builder {
        private String issuer;
        private String subject;
        private String audience;
        private String jwtId;
        private Instant issuedAt;
        private Instant notBefore;
        private Instant expiresAt;
        private final Map<String, Object> custom = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        public Builder jwtId(String jwtId) {
            this.jwtId = jwtId;
            return this;
        }

        public Builder issuedAt(Instant issuedAt) {
            this.issuedAt = issuedAt;
            return this;
        }

        public Builder notBefore(Instant notBefore) {
            this.notBefore = notBefore;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        /** Sets a custom claim; a second call with the same name replaces the value. */
        public <T> Builder claim(Claim<T> claim, T value) {
            custom.put(claim.name(), claim.encode(value));
            return this;
        }

        /** Custom claims as parsed from a verified token, whatever their JSON type; for the verifier. */
        Builder parsedClaims(Map<String, Object> parsed) {
            custom.putAll(parsed);
            return this;
        }

        /**
         * @throws IllegalArgumentException if a required field is missing or blank, or expiresAt is not after
         *     notBefore
         */
        public TokenClaims build() {
            return new TokenClaims(this);
        }
    }
}
