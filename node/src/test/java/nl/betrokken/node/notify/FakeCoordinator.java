package nl.betrokken.node.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import nl.betrokken.node.NodeHarness;

/**
 * Just enough of the coordinator for a node's feed follower: empty key sets, a feed that hands out the entries the
 * test puts in (as the real feed does, after the node's cursor), acknowledgements, and a yes to every outbox call.
 * It lets a test deliver matches and withdrawals, and redeliver them, without a coordinator process.
 */
final class FakeCoordinator implements AutoCloseable {

    private final HttpServer server;
    private final List<Map<String, Object>> feed = new ArrayList<>();
    private long acked;

    FakeCoordinator() {
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

    /** Puts an entry about this node's signal {@code ref} on the feed; returns its sequence number. */
    synchronized long deliver(String kind, UUID matchId, String ref, String counterpartRef) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("seq", (long) feed.size() + 1);
        e.put("kind", kind);
        e.put("matchId", matchId.toString());
        e.put("type", "CHILD");
        e.put("ref", ref);
        e.put("counterpart", Map.of("node", "noord", "ref", counterpartRef));
        e.put("crossRegion", false);
        feed.add(e);
        notifyAll();
        return feed.size();
    }

    /** Whether the node has acknowledged the feed up to {@code seq}. */
    synchronized boolean acknowledged(long seq) {
        return acked >= seq;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body;
        if (path.equals("/.well-known/jwks.json") || path.equals("/internal/v1/nodes/keys")) {
            body = "{\"keys\":[]}";
        } else if (path.equals("/internal/v1/feed")) {
            body = page(Long.parseLong(query(exchange, "after")));
        } else if (path.equals("/internal/v1/feed/ack")) {
            long upTo = NodeHarness.JSON.readTree(exchange.getRequestBody()).get("upTo").asLong();
            synchronized (this) {
                acked = Math.max(acked, upTo);
            }
            body = "{}";
        } else {
            exchange.getRequestBody().readAllBytes();
            body = "{}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** The entries after {@code after}; waits up to a second for one, like the real long poll (shorter). */
    private synchronized String page(long after) throws IOException {
        if (feed.size() <= after) {
            try {
                wait(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Map<String, Object>> entries = feed.subList((int) Math.min(after, feed.size()), feed.size());
        return NodeHarness.JSON.writeValueAsString(Map.of("entries", entries, "next", Math.max(after, feed.size())));
    }

    private static String query(HttpExchange exchange, String name) {
        for (String pair : exchange.getRequestURI().getQuery().split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        throw new IllegalArgumentException("no " + name);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
