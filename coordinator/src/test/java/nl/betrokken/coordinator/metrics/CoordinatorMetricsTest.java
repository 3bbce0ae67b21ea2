package nl.betrokken.coordinator.metrics;

import static nl.betrokken.testing.PrometheusText.value;
import static nl.betrokken.testing.PrometheusText.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.coordinator.audit.CoordinatorAudit;
import nl.betrokken.coordinator.retention.RetentionService;
import nl.betrokken.observability.RequestIds;
import nl.betrokken.testing.PrometheusText;

/**
 * {@code GET /prometheus} on the coordinator: refused without the scrape token, and after some activity (two nodes'
 * signals matched, a refused token, a retention run, a checkpoint) every figure of docs/operators.md is there with a
 * plausible value, in text that {@code promtool check metrics} accepts.
 */
class CoordinatorMetricsTest {

    private static final String TOKEN = "scrape-token-of-the-test-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void prometheus_afterActivity_showsEveryFigure_andPassesPromtool() throws Exception {
        Map<String, Object> p = new HashMap<>(Db.POSTGRES.freshDatabase());
        p.put("betrokken.data-dir", Files.createTempDirectory("coordinator").toString());
        p.put("betrokken.metrics.token", TOKEN);
        try (Harness h = Harness.start(p)) {
            int port = h.bean(EmbeddedServer.class).getPort();
            assertEquals(401, scrape(port, null).statusCode());
            assertEquals(401, scrape(port, TOKEN + "x").statusCode());
            assertEquals(404, HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "Micrometer's JSON view is off");

            TestNode noord = h.enrol("noord");
            TestNode oost = h.enrol("oost");
            String child = People.bsn();
            String mother = People.bsn();
            noord.submit(List.of(People.record("n-1", "org-a", child, mother)));
            oost.submit(List.of(People.record("o-1", "org-a", child, mother)));
            h.awaitMatching();
            assertEquals(401, h.call("GET", "/internal/v1/feed?after=0", null, null).status());
            h.bean(RetentionService.class).run();
            h.bean(CoordinatorAudit.class).checkpoint();
            h.bean(CoordinatorMetrics.class).refresh();

            HttpResponse<String> r = scrape(port, TOKEN);
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue(RequestIds.HEADER).isPresent(), "the answer carries a request id");
            String text = r.body();
            PrometheusText.assertPromtoolPasses(text);

            assertTrue(value(text, "betrokken_matcher_pass_seconds_count") >= 1, "a matching pass was timed");
            assertTrue(value(text, "betrokken_matcher_pass_seconds_sum") > 0);
            assertTrue(value(text, "betrokken_matcher_signals_total") >= 2);
            assertEquals(0, value(text, "betrokken_matcher_queue_depth_signals"));
            // Neither node has acknowledged its feed: each lags by its one match entry.
            assertEquals(1, value(text, "betrokken_feed_lag_entries", "node=\"" + noord.id() + "\""));
            assertEquals(1, value(text, "betrokken_feed_lag_entries", "node=\"" + oost.id() + "\""));
            assertTrue(value(text, "betrokken_token_refusals_total", "reason=\"no-token\"") >= 1);
            assertTrue(value(text, "betrokken_retention_runs_total") >= 1);
            double age = value(text, "betrokken_audit_checkpoint_age_seconds");
            assertTrue(age >= 0 && age < 60, "checkpoint age " + age);
            assertFalse(values(text, "jvm_memory_used_bytes").isEmpty(), "JVM figures");
            assertFalse(values(text, "hikaricp_connections_active").isEmpty(), "connection pool figures");
            assertFalse(values(text, "http_server_requests_seconds_count").isEmpty(), "HTTP figures");
            for (String secret : List.of(child, mother)) {
                assertFalse(text.contains(secret), "no BSN in the metrics");
            }
        }
    }

    private static HttpResponse<String> scrape(int port, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/prometheus"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
