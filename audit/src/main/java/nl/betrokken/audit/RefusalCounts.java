package nl.betrokken.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refused requests counted in memory per caller and minute, so that the audit log gets one entry per caller and
 * minute with the count instead of one per refusal: a flood of junk tokens then costs a map update each, never the
 * audit log's head lock, and cannot slow the requests that are let in.
 *
 * <p>The caller names who the refused request claimed to be. Callers must pass a bounded set (a known node id, or
 * {@code unknown} for anything else), so that junk cannot grow the map or the log; the reasons likewise come from
 * the code, not from the request. Thread-safe. A count is lost only if the process dies without {@link #drainAll()}
 * (the owner drains at shutdown).
 */
public final class RefusalCounts {

    /** What was refused from one caller in one minute: the count, and the count per reason. */
    public record Tally(String caller, Instant minute, long count, Map<String, Long> reasons) {

        /** The reasons as one audit detail value: {@code reason=count} pairs, comma-separated. */
        public String reasonsText() {
            StringBuilder b = new StringBuilder();
            reasons.forEach((r, n) -> b.append(b.isEmpty() ? "" : ",").append(r).append('=').append(n));
            return b.length() > 300 ? b.substring(0, 300) : b.toString();
        }

        /** The audit entry of this tally: {@code kind} by {@code actor}, subject {@code minute:<instant>}, with count and reasons. */
        public AuditEvent event(String kind, String actor) {
            return AuditEvent.of(kind, actor, "minute:" + minute).with("count", count).with("reasons", reasonsText());
        }
    }

    private record Key(String caller, Instant minute) {
    }

    private final Clock clock;
    /** Per caller and minute, the count per reason; updated and removed atomically per key (compute, remove). */
    private final ConcurrentHashMap<Key, Map<String, Long>> counts = new ConcurrentHashMap<>();

    public RefusalCounts(Clock clock) {
        this.clock = clock;
    }

    /** Counts one refusal of {@code caller} for {@code reason}, in the current minute. */
    public void count(String caller, String reason) {
        Key key = new Key(caller, clock.instant().truncatedTo(ChronoUnit.MINUTES));
        counts.compute(key, (k, reasons) -> {
            Map<String, Long> m = reasons == null ? new TreeMap<>() : reasons;
            m.merge(reason, 1L, Long::sum);
            return m;
        });
    }

    /** Takes the tallies of the minutes that have ended: the current minute keeps counting. */
    public List<Tally> drainEnded() {
        return drain(clock.instant().truncatedTo(ChronoUnit.MINUTES));
    }

    /** Takes every tally, the current minute's too (at shutdown). */
    public List<Tally> drainAll() {
        return drain(Instant.MAX);
    }

    private List<Tally> drain(Instant before) {
        List<Tally> out = new ArrayList<>();
        for (Key key : List.copyOf(counts.keySet())) {
            if (!key.minute().isBefore(before)) {
                continue;
            }
            Map<String, Long> sums = counts.remove(key);
            if (sums == null) {
                continue;
            }
            long total = sums.values().stream().mapToLong(Long::longValue).sum();
            out.add(new Tally(key.caller(), key.minute(), total, java.util.Collections.unmodifiableMap(new TreeMap<>(sums))));
        }
        out.sort(Comparator.comparing(Tally::minute).thenComparing(Tally::caller));
        return out;
    }
}
