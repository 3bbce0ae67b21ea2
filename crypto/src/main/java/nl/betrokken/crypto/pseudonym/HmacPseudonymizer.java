package nl.betrokken.crypto.pseudonym;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.crypto.keys.KeyEpoch;
import nl.betrokken.crypto.keys.KeyPurpose;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.pseudonym.subtle.HmacSha256;

/**
 * A {@link Pseudonymizer} that computes, for epoch {@code e},
 *
 * <pre>
 * K_e       = ring.deriveKey(e, PSEUDONYM, now)       (HKDF-SHA256, see {@link KeyRing})
 * pseudonym = HMAC-SHA256(K_e, "betrokken/pseudonym/v1/person-bsn" || 0x00 || the 9 BSN digits in ASCII)
 * </pre>
 *
 * <p>The label is a fixed, versioned domain-separation string; the 0x00 byte ends it, so no identifier can
 * be read as a continuation of the label. The exact scheme and vectors are published in
 * {@code src/test/resources/vectors/pseudonym/betrokken-pseudonym-v1.json}.
 *
 * <p>Immutable and thread-safe. The key ring is immutable, so per-epoch keys are derived once and cached; the
 * hot path is one HMAC.
 */
public final class HmacPseudonymizer implements Pseudonymizer {
    /** The domain-separation label, without its terminating 0x00. Part of the published v1 scheme. */
    public static final String LABEL = "betrokken/pseudonym/v1/person-bsn";

    private static final byte[] PREFIX = (LABEL + "\0").getBytes(StandardCharsets.US_ASCII);
    private static final int BSN_LENGTH = 9;

    private final KeyRing ring;
    private final Clock clock;
    private final int primaryEpoch;
    private final HmacSha256 primary;
    private final Map<Integer, HmacSha256> byEpoch = new ConcurrentHashMap<>();

    private HmacPseudonymizer(KeyRing ring, Clock clock) throws GeneralSecurityException {
        this.ring = ring;
        this.clock = clock;
        this.primaryEpoch = ring.primary().id();
        Instant now = clock.instant();
        for (KeyEpoch e : ring.acceptedEpochs(now)) {
            byEpoch.put(e.id(), HmacSha256.create(ring.deriveKey(e.id(), KeyPurpose.PSEUDONYM, now)));
        }
        this.primary = byEpoch.get(primaryEpoch);
    }

    /**
     * Returns a pseudonymizer over {@code ring}, which reads {@code clock} to decide which epochs are still
     * accepted.
     */
    public static HmacPseudonymizer create(KeyRing ring, Clock clock) {
        Objects.requireNonNull(ring, "ring");
        Objects.requireNonNull(clock, "clock");
        try {
            return new HmacPseudonymizer(ring, clock);
        } catch (GeneralSecurityException e) {
            // The primary is always accepted and derived keys are 32 bytes, so this is a broken JDK.
            throw new IllegalStateException("cannot set up HMAC-SHA256", e);
        }
    }

    @Override
    public Pseudonym pseudonymize(Bsn person) {
        return Pseudonym.wrap(primaryEpoch, primary.compute(message(person)));
    }

    @Override
    public List<Pseudonym> pseudonymizeForMatching(Bsn person) {
        byte[] message = message(person);
        Instant now = clock.instant();
        List<KeyEpoch> epochs = ring.acceptedEpochs(now);
        List<Pseudonym> result = new ArrayList<>(epochs.size());
        for (KeyEpoch e : epochs) {
            result.add(Pseudonym.wrap(e.id(), hmacFor(e.id(), now).compute(message)));
        }
        return List.copyOf(result);
    }

    // Cached at creation; an epoch missing there (the clock moved backwards) is derived once here.
    private HmacSha256 hmacFor(int epochId, Instant now) {
        return byEpoch.computeIfAbsent(epochId, id -> {
            try {
                return HmacSha256.create(ring.deriveKey(id, KeyPurpose.PSEUDONYM, now));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("epoch " + id + " was accepted a moment ago", e);
            }
        });
    }

    private static byte[] message(Bsn person) {
        String digits = person.digits();
        byte[] m = new byte[PREFIX.length + BSN_LENGTH];
        System.arraycopy(PREFIX, 0, m, 0, PREFIX.length);
        for (int i = 0; i < BSN_LENGTH; i++) {
            m[PREFIX.length + i] = (byte) digits.charAt(i); // Bsn guarantees ASCII '0'..'9'
        }
        return m;
    }

    @Override
    public String toString() {
        return "HmacPseudonymizer[primaryEpoch=" + primaryEpoch + "]";
    }
}
