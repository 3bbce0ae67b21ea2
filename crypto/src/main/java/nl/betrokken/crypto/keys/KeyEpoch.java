package nl.betrokken.crypto.keys;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The public description of one key epoch: its id, state and dates. It holds no key material, so it may be
 * logged and listed. The secret stays inside {@link KeyRing}.
 */
public final class KeyEpoch {

    /** The lifecycle state of an epoch, in the manner of Tink's key status. */
    public enum State {
        /** Computes new pseudonyms and keys; exactly one epoch of a ring is primary. */
        PRIMARY,
        /** Still accepted for matching and verifying until {@link KeyEpoch#acceptedUntil()}. */
        ACCEPTED,
        /**
         * Refused for every use, e.g. because its secret leaked. A disabled epoch holds no secret: nothing may use
         * it, so {@link KeyRing#disable} drops the secret and {@link KeyRingFile} writes none. There is no way back.
         */
        DISABLED
    }

    private final int id;
    private final State state;
    private final Instant createdAt;
    private final Instant acceptedUntil; // non-null iff state == ACCEPTED

    private KeyEpoch(int id, State state, Instant createdAt, Instant acceptedUntil) {
        if (id < 1) {
            throw new IllegalArgumentException("epoch id " + id + " must be positive");
        }
        this.id = id;
        this.state = Objects.requireNonNull(state, "state");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.acceptedUntil = acceptedUntil;
    }

    /** Returns a primary epoch. Requires {@code id >= 1}. */
    public static KeyEpoch primary(int id, Instant createdAt) {
        return new KeyEpoch(id, State.PRIMARY, createdAt, null);
    }

    /**
     * Returns an epoch accepted until (exclusive) {@code acceptedUntil}. Requires {@code id >= 1} and
     * {@code acceptedUntil} not before {@code createdAt}.
     */
    public static KeyEpoch accepted(int id, Instant createdAt, Instant acceptedUntil) {
        Objects.requireNonNull(acceptedUntil, "acceptedUntil");
        if (acceptedUntil.isBefore(Objects.requireNonNull(createdAt, "createdAt"))) {
            throw new IllegalArgumentException(
                    "epoch " + id + ": acceptedUntil " + acceptedUntil + " is before createdAt " + createdAt);
        }
        return new KeyEpoch(id, State.ACCEPTED, createdAt, acceptedUntil);
    }

    /** Returns a disabled epoch. Requires {@code id >= 1}. */
    public static KeyEpoch disabled(int id, Instant createdAt) {
        return new KeyEpoch(id, State.DISABLED, createdAt, null);
    }

    public int id() {
        return id;
    }

    public State state() {
        return state;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** Returns the instant from which an {@link State#ACCEPTED} epoch is refused; empty for other states. */
    public Optional<Instant> acceptedUntil() {
        return Optional.ofNullable(acceptedUntil);
    }

    /**
     * Returns whether this epoch may be used at {@code now}: always if primary, never if disabled, and if
     * accepted only while {@code now} is strictly before {@code acceptedUntil}.
     */
    public boolean isAcceptedAt(Instant now) {
        Objects.requireNonNull(now, "now");
        return switch (state) {
            case PRIMARY -> true;
            case ACCEPTED -> now.isBefore(acceptedUntil);
            case DISABLED -> false;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyEpoch other
                && id == other.id
                && state == other.state
                && createdAt.equals(other.createdAt)
                && Objects.equals(acceptedUntil, other.acceptedUntil);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, state, createdAt, acceptedUntil);
    }

    @Override
    public String toString() {
        return "KeyEpoch[id=" + id + ", state=" + state + ", createdAt=" + createdAt
                + (acceptedUntil == null ? "" : ", acceptedUntil=" + acceptedUntil) + "]";
    }
}
