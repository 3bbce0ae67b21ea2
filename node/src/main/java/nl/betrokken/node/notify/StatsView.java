package nl.betrokken.node.notify;

import java.time.LocalDate;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The region's notification figures for a period (the days {@code from} to {@code to}, both included): how many
 * messages there were and, per channel, how many were delivered, failed for good, or are still under way. No identity.
 */
@Serdeable
public record StatsView(LocalDate from, LocalDate to, long notifications, Channel email, Channel webhook) {

    /**
     * One channel's counts.
     *
     * @param failureRate failed / (delivered + failed), over the deliveries that have an outcome; absent when none has
     */
    @Serdeable
    public record Channel(long delivered, long failed, long pending, @Nullable Double failureRate) {

        static Channel of(long delivered, long failed, long pending) {
            long done = delivered + failed;
            return new Channel(delivered, failed, pending, done == 0 ? null : Math.round(10_000.0 * failed / done) / 10_000.0);
        }
    }

    /** What the database counted. */
    public record Counts(long notifications, Channel email, Channel webhook) {
    }
}
