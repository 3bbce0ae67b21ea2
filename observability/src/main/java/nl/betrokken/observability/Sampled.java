package nl.betrokken.observability;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A figure read from the database by a service's metrics refresh (not at each scrape, so a busy scraper costs the
 * database nothing), shown as a gauge; NaN until the first refresh and when the last one failed.
 */
public final class Sampled {

    private final AtomicReference<Double> value = new AtomicReference<>(Double.NaN);

    private Sampled() {
    }

    public static Sampled gauge(MeterRegistry registry, String name, String description, String unit) {
        Sampled s = new Sampled();
        Gauge.builder(name, s.value, AtomicReference::get).description(description).baseUnit(unit).register(registry);
        return s;
    }

    public void set(double v) {
        value.set(v);
    }

    public void unknown() {
        value.set(Double.NaN);
    }

    /** The one number {@code sql} answers (0 when it answers null). */
    public static double number(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    /** The seconds since the time {@code sql} answers, or {@code none} when it answers null. */
    public static double secondsSince(Connection c, String sql, Clock clock, double none) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            Timestamp t = rs.getTimestamp(1);
            return t == null ? none : Duration.between(t.toInstant(), clock.instant()).toMillis() / 1000.0;
        }
    }
}
