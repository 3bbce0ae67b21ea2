package nl.betrokken.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import nl.betrokken.problem.Problems;

/**
 * Guards the metrics ({@code GET /prometheus}) with a scrape token: {@code Authorization: Bearer <token>}, the token
 * read from the file {@code betrokken.metrics.token-file} (env {@code BETROKKEN_METRICS_TOKEN_FILE}) or given as
 * {@code betrokken.metrics.token}, at least 32 characters. Without a token configured every scrape is refused (401),
 * so the figures never stand open by default. Any other token is refused with 401 as well.
 */
@ServerFilter({"/prometheus", "/prometheus/**"})
public class ScrapeToken implements Ordered {

    static final int MIN_LENGTH = 32;

    @Nullable
    private final byte[] expected;

    ScrapeToken(@Nullable @Value("${betrokken.metrics.token-file:}") String file,
                @Nullable @Value("${betrokken.metrics.token:}") String token) {
        String value = token;
        if (file != null && !file.isBlank()) {
            try {
                value = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("betrokken.metrics.token-file " + file + " cannot be read", e);
            }
        }
        if (value != null && !value.isBlank() && value.length() < MIN_LENGTH) {
            throw new IllegalStateException("the metrics scrape token must be at least " + MIN_LENGTH + " characters");
        }
        this.expected = value == null || value.isBlank() ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }

    @RequestFilter
    void check(HttpRequest<?> request) {
        if (expected == null) {
            throw Problems.unauthorized("metrics need a scrape token: set BETROKKEN_METRICS_TOKEN_FILE");
        }
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        byte[] given = header != null && header.startsWith("Bearer ")
                ? header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(expected, given)) {
            throw Problems.unauthorized("the metrics need the scrape token: Authorization: Bearer <token>");
        }
    }
}
