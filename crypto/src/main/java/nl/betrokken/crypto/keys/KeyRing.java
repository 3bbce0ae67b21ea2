package nl.betrokken.crypto.keys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The federation key ring: a set of key epochs, exactly one of which is primary. Every epoch that is not
 * {@linkplain KeyEpoch.State#DISABLED disabled} holds a 256-bit secret; a disabled epoch holds none.
 * It behaves like a Tink keyset: the primary epoch computes, every epoch that is still accepted may be used
 * for matching, and rotation happens here so callers never loop over keys. Keys for a node's own data at rest
 * outlive the transition and end only when the epoch is disabled ({@link #deriveDataAtRestKey}).
 *
 * <p>Immutable: {@link #rotate} and {@link #disable} return a new ring. Safe to share between threads.
 *
 * <h2>Key derivation</h2>
 *
 * Epoch secrets are never used directly. {@link #deriveKey} runs HKDF-SHA256
 * (<a href="https://www.rfc-editor.org/rfc/rfc5869">RFC 5869</a>) with
 *
 * <ul>
 *   <li>IKM = the 32-byte epoch secret;
 *   <li>salt = the ASCII bytes of {@value #HKDF_SALT}. RFC 5869 §3.1 allows a fixed, public salt; the epoch
 *       secrets are already uniformly random, so a random salt would add nothing, and a fixed one keeps the
 *       derivation reproducible from the secret alone;
 *   <li>info = the ASCII bytes of {@code "betrokken/v1/" + purpose.label() + "/epoch-" + epochId}, e.g.
 *       {@code betrokken/v1/pseudonym/epoch-3}, so a key is bound to both its purpose and its epoch
 *       (RFC 5869 §3.2);
 *   <li>L = 32 bytes.
 * </ul>
 */
public final class KeyRing {
    /** The length of an epoch secret and of every derived key, in bytes. */
    public static final int SECRET_LENGTH = 32;

    /** The fixed HKDF salt (ASCII). Part of the published scheme: never change it within v1. */
    public static final String HKDF_SALT = "betrokken/v1/hkdf-salt";

    private static final byte[] SALT = HKDF_SALT.getBytes(StandardCharsets.US_ASCII);

    /** {@code secret} is null if and only if the epoch is disabled. */
    private record Entry(KeyEpoch epoch, SecretBytes secret) {}

    private final TreeMap<Integer, Entry> entries; // by epoch id; never mutated after construction
    private final KeyEpoch primary;

    private KeyRing(TreeMap<Integer, Entry> entries) {
        KeyEpoch found = null;
        for (Entry e : entries.values()) {
            if (e.epoch().state() == KeyEpoch.State.PRIMARY) {
                if (found != null) {
                    throw new IllegalArgumentException(
                            "epochs " + found.id() + " and " + e.epoch().id() + " are both primary");
                }
                found = e.epoch();
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("key ring has no primary epoch");
        }
        this.entries = entries;
        this.primary = found;
    }

    /** Returns a ring with one primary epoch, id 1, holding a fresh 256-bit secret from {@code random}. */
    public static KeyRing generate(SecureRandom random, Instant now) {
        return builder().add(KeyEpoch.primary(1, now), SecretBytes.random(SECRET_LENGTH, random)).build();
    }

    /** Returns a builder, for reading a ring from storage or reproducing published test vectors. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a new ring in which a fresh epoch (id = highest id + 1) is primary and the current primary is
     * accepted until {@code now + transition}. Other epochs keep their state.
     *
     * @param transition how long pseudonyms under the old primary still match; must not be negative
     */
    public KeyRing rotate(SecureRandom random, Instant now, Duration transition) {
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(now, "now");
        if (transition.isNegative()) {
            throw new IllegalArgumentException("transition " + transition + " must not be negative");
        }
        TreeMap<Integer, Entry> next = new TreeMap<>(entries);
        Entry old = next.get(primary.id());
        next.put(primary.id(), new Entry(
                KeyEpoch.accepted(primary.id(), primary.createdAt(), now.plus(transition)), old.secret()));
        int id = Math.addExact(entries.lastKey(), 1);
        next.put(id, new Entry(KeyEpoch.primary(id, now), SecretBytes.random(SECRET_LENGTH, random)));
        return new KeyRing(next);
    }

    /**
     * Returns a new ring in which epoch {@code epochId} is disabled, e.g. because its secret leaked. The new ring
     * no longer holds the epoch's secret, so a ring file written from it does not carry the secret either.
     * Disabling cannot be undone. Disabling an epoch that is already disabled returns an equal ring.
     *
     * @throws IllegalArgumentException if the epoch is unknown or is the primary (rotate first)
     */
    public KeyRing disable(int epochId) {
        Entry e = entries.get(epochId);
        if (e == null) {
            throw new IllegalArgumentException("epoch " + epochId + " is unknown");
        }
        if (epochId == primary.id()) {
            throw new IllegalArgumentException("epoch " + epochId + " is the primary; rotate before disabling it");
        }
        TreeMap<Integer, Entry> next = new TreeMap<>(entries);
        next.put(epochId, new Entry(KeyEpoch.disabled(epochId, e.epoch().createdAt()), null));
        return new KeyRing(next);
    }

    /** Returns the primary epoch. */
    public KeyEpoch primary() {
        return primary;
    }

    /** Returns every epoch, in ascending id order. */
    public List<KeyEpoch> epochs() {
        List<KeyEpoch> all = new ArrayList<>(entries.size());
        entries.values().forEach(e -> all.add(e.epoch()));
        return Collections.unmodifiableList(all);
    }

    /**
     * Returns the epochs usable at {@code now}: the primary first, then every accepted epoch whose
     * {@code acceptedUntil} is after {@code now}, newest first.
     */
    public List<KeyEpoch> acceptedEpochs(Instant now) {
        Objects.requireNonNull(now, "now");
        List<KeyEpoch> result = new ArrayList<>();
        result.add(primary);
        for (Entry e : entries.descendingMap().values()) {
            if (e.epoch().state() == KeyEpoch.State.ACCEPTED && e.epoch().isAcceptedAt(now)) {
                result.add(e.epoch());
            }
        }
        return Collections.unmodifiableList(result);
    }

    /**
     * Returns epoch {@code epochId} if it may be used at {@code now}.
     *
     * @throws KeyEpochException "epoch 7 is unknown", "epoch 7 is disabled", or
     *     "epoch 7 was accepted until 2026-01-01T00:00:00Z"
     */
    public KeyEpoch requireAccepted(int epochId, Instant now) throws KeyEpochException {
        Objects.requireNonNull(now, "now");
        Entry e = entries.get(epochId);
        if (e == null) {
            throw new KeyEpochException(epochId, "epoch " + epochId + " is unknown");
        }
        KeyEpoch epoch = e.epoch();
        if (!epoch.isAcceptedAt(now)) {
            throw new KeyEpochException(epochId, epoch.state() == KeyEpoch.State.DISABLED
                    ? "epoch " + epochId + " is disabled"
                    : "epoch " + epochId + " was accepted until " + epoch.acceptedUntil().orElseThrow());
        }
        return epoch;
    }

    /**
     * Derives the 32-byte key for {@code purpose} under epoch {@code epochId}, as described in the class
     * comment. Requires the epoch to be accepted at {@code now}.
     *
     * @throws KeyEpochException as {@link #requireAccepted}
     */
    public SecretBytes deriveKey(int epochId, KeyPurpose purpose, Instant now) throws KeyEpochException {
        Objects.requireNonNull(purpose, "purpose");
        requireAccepted(epochId, now);
        return derive(epochId, purpose);
    }

    /**
     * Derives the 32-byte key for node-local data at rest ({@link KeyPurpose#DATA_ENCRYPTION} or
     * {@link KeyPurpose#BLIND_INDEX}), or for a service's own audit log ({@link KeyPurpose#AUDIT_LOG},
     * {@link KeyPurpose#AUDIT_REFERENCE}), under any epoch that still holds a secret, including an accepted epoch whose
     * transition has ended. The derivation is the one in the class comment, so during the transition this returns
     * the same key as {@link #deriveKey}.
     *
     * <p>Why no transition: the transition bounds how long the federation matches an old epoch's pseudonyms, but
     * rows a node encrypted or indexed under that epoch stay in its database for as long as they are retained.
     * They must stay readable, so only {@link #disable} ends these keys. Likewise an audit log signs its checkpoints
     * with one key for its whole life (the coordinator pins it at the first countersignature) and names a signal by
     * the same reference in every entry, for years. Disabling an epoch therefore makes the
     * data under it unreadable: re-encrypt it under the primary first, unless that is the intent.
     *
     * @throws KeyEpochException "epoch 7 is unknown" or "epoch 7 is disabled"
     * @throws IllegalArgumentException if {@code purpose} is a federation purpose ({@code PSEUDONYM},
     *     {@code REKEY}): its keys end with the transition, so use {@link #deriveKey}
     */
    public SecretBytes deriveDataAtRestKey(int epochId, KeyPurpose purpose) throws KeyEpochException {
        Objects.requireNonNull(purpose, "purpose");
        if (purpose != KeyPurpose.DATA_ENCRYPTION && purpose != KeyPurpose.BLIND_INDEX
                && purpose != KeyPurpose.AUDIT_LOG && purpose != KeyPurpose.AUDIT_REFERENCE
                && purpose != KeyPurpose.PORTAL_SESSION) {
            throw new IllegalArgumentException("purpose " + purpose + " is not for data at rest; use deriveKey");
        }
        Entry e = entries.get(epochId);
        if (e == null) {
            throw new KeyEpochException(epochId, "epoch " + epochId + " is unknown");
        }
        if (e.secret() == null) {
            throw new KeyEpochException(epochId, "epoch " + epochId + " is disabled");
        }
        return derive(epochId, purpose);
    }

    // Requires the epoch to hold a secret.
    private SecretBytes derive(int epochId, KeyPurpose purpose) {
        byte[] info = ("betrokken/v1/" + purpose.label() + "/epoch-" + epochId).getBytes(StandardCharsets.US_ASCII);
        return SecretBytes.wrap(Hkdf.sha256(entries.get(epochId).secret().view(), SALT, info, SECRET_LENGTH));
    }

    /**
     * Returns the secret of epoch {@code epochId}, for {@link KeyRingFile}; {@code null} if the epoch is unknown
     * or disabled.
     */
    SecretBytes secret(int epochId) {
        Entry e = entries.get(epochId);
        return e == null ? null : e.secret();
    }

    /** Describes the epochs; never the secrets. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("KeyRing[primary=").append(primary.id()).append(", epochs=[");
        String sep = "";
        for (Map.Entry<Integer, Entry> e : entries.entrySet()) {
            sb.append(sep).append(e.getKey()).append(':').append(e.getValue().epoch().state());
            sep = ", ";
        }
        return sb.append("]]").toString();
    }

    /** Assembles a ring from epochs and their secrets; {@link #build()} checks the whole. */
    public static final class Builder {
        private final TreeMap<Integer, Entry> entries = new TreeMap<>();

        private Builder() {}

        /**
         * Adds a primary or accepted epoch with its secret.
         *
         * @throws IllegalArgumentException if the id is already present, the epoch is disabled (use
         *     {@link #addDisabled}) or the secret is not 32 bytes
         */
        public Builder add(KeyEpoch epoch, SecretBytes secret) {
            Objects.requireNonNull(epoch, "epoch");
            Objects.requireNonNull(secret, "secret");
            if (epoch.state() == KeyEpoch.State.DISABLED) {
                throw new IllegalArgumentException("epoch " + epoch.id() + " is disabled and holds no secret");
            }
            if (secret.size() != SECRET_LENGTH) {
                throw new IllegalArgumentException("epoch " + epoch.id() + ": secret is " + secret.size()
                        + " bytes; must be " + SECRET_LENGTH);
            }
            return put(new Entry(epoch, secret));
        }

        /**
         * Adds a disabled epoch, which has no secret.
         *
         * @throws IllegalArgumentException if the id is already present or the epoch is not disabled
         */
        public Builder addDisabled(KeyEpoch epoch) {
            Objects.requireNonNull(epoch, "epoch");
            if (epoch.state() != KeyEpoch.State.DISABLED) {
                throw new IllegalArgumentException("epoch " + epoch.id() + " is " + epoch.state()
                        + " and needs a secret");
            }
            return put(new Entry(epoch, null));
        }

        private Builder put(Entry entry) {
            if (entries.putIfAbsent(entry.epoch().id(), entry) != null) {
                throw new IllegalArgumentException("epoch " + entry.epoch().id() + " is added twice");
            }
            return this;
        }

        /**
         * Returns the ring.
         *
         * @throws IllegalArgumentException if there is not exactly one primary epoch
         */
        public KeyRing build() {
            return new KeyRing(new TreeMap<>(entries));
        }
    }
}
