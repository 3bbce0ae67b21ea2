package nl.betrokken.observability;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import jakarta.inject.Singleton;

/**
 * Keeps the metrics text clean for {@code promtool check metrics}: every meter has a help text (the ones Micronaut
 * registers without are given one here), and the two meters whose names break Prometheus' naming rules
 * ({@code process.cpu.time} in nanoseconds, {@code system.cpu.count} read as a summary's count) are left out;
 * {@code process.cpu.usage} and the JVM's own figures remain. Label names are made snake_case.
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
        boolean camel = id.getTags().stream().anyMatch(t -> !t.getKey().equals(snake(t.getKey())));
        boolean described = id.getDescription() != null && !id.getDescription().isBlank();
        if (described && !camel) {
            return id;
        }
        String help = described ? id.getDescription() : HELP.getOrDefault(id.getName(), id.getName().replace('.', ' '));
        List<Tag> tags = id.getTags().stream().map(t -> Tag.of(snake(t.getKey()), t.getValue())).toList();
        return new Meter.Id(id.getName(), Tags.of(tags), id.getBaseUnit(), help, id.getType());
    }

    /** A label name in snake_case, as Prometheus wants (Micronaut's HTTP client tags {@code serviceId}). */
    static String snake(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
