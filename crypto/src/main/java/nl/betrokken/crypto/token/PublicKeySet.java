package nl.betrokken.crypto.token;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A set of ES256 public keys, looked up by key id: the trust anchor of an {@link Es256TokenVerifier}, and the
 * document a service publishes at an HTTP endpoint as a JWK set (RFC 7517 section 5, {@code {"keys":[...]}}).
 *
 * <p>Every key is an EC key on P-256 with a unique, non-blank {@code kid}; {@code alg} and {@code use}, when
 * present, are {@code ES256} and {@code sig}. A key holding private material is refused, never silently
 * stripped: a private key handed to a public set is a mistake the caller should hear about.
 *
 * <p>Instances are immutable and thread-safe; {@link #with(JWK)} returns a new set. Keys keep the order in which
 * they were added.
 */
public final class PublicKeySet {

    private static final PublicKeySet EMPTY = new PublicKeySet(Map.of());

    private final Map<String, ECKey> keysById;

    private PublicKeySet(Map<String, ECKey> keysById) {
        this.keysById = keysById;
    }

    /** A set without keys, to add to with {@link #with(JWK)}. A verifier refuses an empty set. */
    public static PublicKeySet empty() {
        return EMPTY;
    }

    /** A set holding the given public keys; see the class comment for what is refused. */
    public static PublicKeySet of(JWK... keys) {
        return of(Arrays.asList(keys));
    }

    /** A set holding the given public keys; see the class comment for what is refused. */
    public static PublicKeySet of(Collection<? extends JWK> keys) {
        PublicKeySet set = EMPTY;
        for (JWK key : keys) {
            set = set.with(key);
        }
        return set;
    }

    /**
     * Parses a JWK set document, {@code {"keys":[...]}}. Members other than {@code keys} are ignored, as RFC 7517
     * allows; a key of an unknown or unsupported type is refused, not skipped.
     *
     * @throws IllegalArgumentException naming the position or kid of the offending key
     */
    public static PublicKeySet parse(String json) {
        if (json == null) {
            throw new IllegalArgumentException("JWK set JSON is null");
        }
        List<Object> keys;
        try {
            Map<String, Object> document = JSONObjectUtils.parse(json);
            if (!(document.get("keys") instanceof List<?> list)) {
                throw new IllegalArgumentException("JWK set has no \"keys\" array");
            }
            keys = new ArrayList<>(list);
        } catch (ParseException e) {
            throw new IllegalArgumentException("JWK set is not a JSON object", e);
        }
        PublicKeySet set = EMPTY;
        for (int i = 0; i < keys.size(); i++) {
            if (!(keys.get(i) instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("keys[" + i + "] is not a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> member = (Map<String, Object>) keys.get(i);
            JWK key;
            try {
                key = JWK.parse(member);
            } catch (ParseException e) {
                throw new IllegalArgumentException("keys[" + i + "] is not a valid JWK", e);
            }
            set = set.with(key);
        }
        return set;
    }

    /**
     * A new set with {@code key} added.
     *
     * @throws IllegalArgumentException if the key is private, not EC P-256, has no kid, or its kid is taken
     */
    public PublicKeySet with(JWK key) {
        ECKey ecKey = Es256Keys.requireEs256(key);
        String kid = ecKey.getKeyID();
        if (ecKey.isPrivate()) {
            throw new IllegalArgumentException(
                    "key '" + kid + "' holds private key material; a public key set takes public keys only");
        }
        if (keysById.containsKey(kid)) {
            throw new IllegalArgumentException("key id '" + kid + "' is already in the set");
        }
        Map<String, ECKey> copy = new LinkedHashMap<>(keysById);
        copy.put(kid, ecKey);
        return new PublicKeySet(Collections.unmodifiableMap(copy));
    }

    /**
     * The same keys, each with its RFC 7638 thumbprint as key id ({@link TokenKeyPair#thumbprint(ECKey)}), whatever
     * key id it came with: a key id then names one key, and no one can choose a key id that reads as another's.
     *
     * @throws IllegalArgumentException if the set holds the same key twice under two key ids
     */
    public PublicKeySet byThumbprint() {
        PublicKeySet set = EMPTY;
        for (ECKey key : keysById.values()) {
            set = set.with(new ECKey.Builder(key).keyID(TokenKeyPair.thumbprint(key)).build());
        }
        return set;
    }

    /** The key with this kid, or empty if there is none. */
    public Optional<ECKey> find(String kid) {
        return Optional.ofNullable(kid == null ? null : keysById.get(kid));
    }

    /** The key ids in the set, in the order they were added. */
    public Set<String> keyIds() {
        return keysById.keySet();
    }

    /** The set as RFC 7517 JSON, {@code {"keys":[...]}}, fit to publish: it holds public parameters only. */
    public String toJson() {
        return new JWKSet(new ArrayList<JWK>(keysById.values())).toString(true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKeySet other && keysById.equals(other.keysById);
    }

    @Override
    public int hashCode() {
        return keysById.hashCode();
    }

    @Override
    public String toString() {
        return "PublicKeySet" + keysById.keySet();
    }
}
