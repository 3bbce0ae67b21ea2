package nl.betrokken.observability;

import java.util.Map;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import jakarta.inject.Singleton;

/**
 * Keeps the metrics text clean for {@code promtool check metrics}: every meter has a help text (the ones Micronaut
 * registers without are given one here), and the two meters whose names break Prometheus' naming rules
 * ({@code process.cpu.time} in nanoseconds, {@code system.cpu.count} read as a summary's count) are left out;
 * {@code process.cpu.usage} and the JVM's own figures remain.
 */
@Singleton
public class MeterNames implements MeterFilter {

    private static final Map<String, String> HELP = Map.of(
            "http.server.requests", "HTTP calls served, by method, route template and status",
            "http.client.requests", "HTTP calls made to the coordinator and other nodes, by method and status",
            "executor", "Time tasks took on an executor");

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count")
                ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (id.getDescription() != null && !id.getDescription().isBlank()) {
            return id;
        }
        String help = HELP.getOrDefault(id.getName(), id.getName().replace('.', ' '));
        return new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(), help, id.getType());
    }
}
