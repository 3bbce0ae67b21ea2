package nl.betrokken.node.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;

/**
 * The outbox keeps each signal's messages in order even when the coordinator refuses one: the end of a signal whose
 * registration was refused is held behind it, while other signals' messages go on.
 */
class OutboxOrderTest {

    /** A coordinator that refuses (422) the registration of the first signal it sees, and accepts everything else. */
    static final class RefusingCoordinator implements AutoCloseable {
        private final HttpServer server;
        private volatile String refused;
        private final List<String> registered = new ArrayList<>();
        private final List<String> ended = new ArrayList<>();

        RefusingCoordinator() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        synchronized List<String> registered() {
            return List.copyOf(registered);
        }

        synchronized List<String> ended() {
            return List.copyOf(ended);
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            JsonNode body = exchange.getRequestMethod().equals("POST")
                    ? NodeHarness.JSON.readTree(exchange.getRequestBody()) : null;
            int status = 200;
            String answer = "{}";
            synchronized (this) {
                if (path.equals("/internal/v1/signals")) {
                    List<String> refs = new ArrayList<>();
                    body.get("signals").forEach(s -> refs.add(s.get("ref").asText()));
                    if (refused == null) {
                        refused = refs.get(0);
                    }
                    if (refs.contains(refused)) {
                        status = 422;
                        answer = "{\"type\":\"about:blank\",\"title\":\"refused\",\"status\":422}";
                    } else {
                        registered.addAll(refs);
                    }
                } else if (path.equals("/internal/v1/signals/end")) {
                    body.get("ends").forEach(e -> ended.add(e.get("ref").asText()));
                } else if (path.endsWith("keys") || path.endsWith("jwks.json")) {
                    answer = "{\"keys\":[]}";
                }
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @ParameterizedTest
    @EnumSource(NodeHarness.Db.class)
    void outbox_registrationRefused_itsEndIsHeldAndOtherSignalsGoOn(NodeHarness.Db db) {
        try (RefusingCoordinator coordinator = new RefusingCoordinator()) {
            Map<String, Object> p = new HashMap<>(NodeHarness.prepare(db, "noord", coordinator.url(), ""));
            p.put("betrokken.feed.follower.enabled", false);
            p.put("betrokken.audit.countersign", false);
            try (NodeHarness node = NodeHarness.start(p)) {
                String first = node.call("POST", "/api/v1/signals", Youths.registration(Youths.bsn()), "prof-a").body()
                        .get("id").asText();
                OutboxOutageTest.await("the first registration is refused", () -> coordinator.refused != null);
                assertEquals(200, node.call("POST", "/api/v1/signals/" + first + "/end", Map.of("reason", "klaar"),
                        "prof-a").status());
                String second = node.call("POST", "/api/v1/signals", Youths.registration(Youths.bsn()), "prof-a")
                        .body().get("id").asText();
                assertEquals(200, node.call("POST", "/api/v1/signals/" + second + "/end", Map.of("reason", "klaar"),
                        "prof-a").status());

                OutboxOutageTest.await("the second signal and its end are delivered",
                        () -> coordinator.ended().size() + coordinator.registered().size() >= 2);
                assertEquals(1, coordinator.registered().size(), "the other signal went on");
                assertEquals(coordinator.registered(), coordinator.ended(),
                        "only the delivered signal's end was sent, never the refused signal's");
                assertFalse(coordinator.ended().contains(coordinator.refused));
                JsonNode outbox = node.call("GET", "/health", null, null).body().get("details").get("outbox")
                        .get("details");
                assertEquals(2, outbox.get("depth").asInt(), "the refused registration and its end wait");
                assertEquals(1, outbox.get("refused").asInt());
                assertEquals(1, outbox.get("held").asInt());
                assertTrue(node.call("GET", "/api/v1/signals/" + first, null, "prof-a").status() == 200);
            }
        }
    }
}
