package nl.betrokken.node.figures;

import java.time.LocalDate;
import java.util.List;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.codec.CodecException;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import nl.betrokken.node.keys.NodeTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every region's received signals, from the coordinator's {@code GET /api/v1/stats}: per enrolled node, the signals
 * the coordinator received from it in a period and the day of its newest signal. The node vouches for the reader's
 * role ({@code gemeente} or {@code matchcoordinator}) with a node token. Regions and counts only.
 */
@Singleton
class CoordinatorRegions {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorRegions.class);

    private final HttpClient coordinator;
    private final NodeTokens tokens;

    CoordinatorRegions(@Client(id = "coordinator") HttpClient coordinator, NodeTokens tokens) {
        this.coordinator = coordinator;
        this.tokens = tokens;
    }

    /** One region as the coordinator counts it. */
    @Serdeable
    record Region(String node, long signalsReceived, @Nullable LocalDate lastSignalOn) {
    }

    /** The part of the coordinator's answer read here. */
    @Serdeable
    record Answer(@Nullable List<Region> regions) {
    }

    /**
     * The regions from {@code from} to {@code to} (both included), asked for a reader of {@code role}; null when the
     * coordinator does not answer, refuses, or answers without regions (an older coordinator).
     */
    @Nullable List<Region> between(String role, LocalDate from, LocalDate to) {
        try {
            Answer a = coordinator.toBlocking().retrieve(HttpRequest.GET("/api/v1/stats?from=" + from + "&to=" + to)
                    .bearerAuth(tokens.forUserOfRole(role)), Answer.class);
            return a == null ? null : a.regions();
        } catch (HttpClientException | CodecException e) {
            LOG.info("figures: the coordinator gave no regions: {}", e.getClass().getSimpleName());
            return null;
        }
    }
}
