package nl.betrokken.crypto.bench;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.pseudonym.HmacPseudonymizer;
import nl.betrokken.crypto.pseudonym.Pseudonym;
import nl.betrokken.crypto.pseudonym.Pseudonymizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Single-thread throughput of pseudonymizing pre-parsed BSNs: one HMAC-SHA256 per call under the primary
 * epoch, and two during a key transition ({@code pseudonymizeForMatching}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Thread)
public class PseudonymBenchmark {
    private static final int BSN_COUNT = 4096; // a power of two, so the index wraps with a mask

    private Pseudonymizer pseudonymizer;
    private Bsn[] bsns;
    private int next;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        // Rotated a moment ago: epoch 2 is primary and epoch 1 is still accepted.
        KeyRing ring = KeyRing.generate(random, now.minus(Duration.ofDays(90)))
                .rotate(random, now, Duration.ofDays(30));
        pseudonymizer = HmacPseudonymizer.create(ring, Clock.fixed(now, ZoneOffset.UTC));

        bsns = new Bsn[BSN_COUNT];
        Random digits = new Random(42);
        for (int n = 0; n < BSN_COUNT; ) {
            String candidate = String.format("%09d", digits.nextInt(1_000_000_000));
            if (Bsn.isValid(candidate)) {
                bsns[n++] = Bsn.parse(candidate);
            }
        }
    }

    @Benchmark
    public Pseudonym pseudonymize() {
        return pseudonymizer.pseudonymize(bsns[next++ & (BSN_COUNT - 1)]);
    }

    @Benchmark
    public List<Pseudonym> pseudonymizeForMatching() {
        return pseudonymizer.pseudonymizeForMatching(bsns[next++ & (BSN_COUNT - 1)]);
    }
}
