package nl.betrokken.coordinator.matching;

import java.util.Arrays;

/**
 * Persons as the coordinator knows them: re-keyed pseudonyms (HMAC of the coordinator's re-key key over an epoch
 * pseudonym), stored in each link of {@code signal_person} that names them. There is no table of persons: a pseudonym
 * is held as long as a link holds it.
 */
public final class Persons {

    private Persons() {
    }

    /** A re-keyed pseudonym, usable as a map key. */
    public record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Person.Key[redacted]";
        }
    }
}
