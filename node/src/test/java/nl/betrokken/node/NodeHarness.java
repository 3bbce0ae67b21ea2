package nl.betrokken.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.keys.KeyRingFile;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.testing.TestPostgres;

/**
 * A running node for tests, called over real HTTP with the dev profile's demo users (password {@code demo}).
 * Without a coordinator URL its outbox sender and feed follower stay off, so signals wait in the outbox.
 */
public final class NodeHarness implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The federation ring every test node shares, as the nodes of one federation do. */
    public static final Path FEDERATION;

    static {
        try {
            FEDERATION = Files.createTempDirectory("federation").resolve(NodeKeys.FEDERATION_RING);
            KeyRingFile.write(FEDERATION, KeyRing.generate(new SecureRandom(), Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The two databases the node's tests run against. */
    public enum Db { H2, POSTGRES }

    private final EmbeddedServer server;
    private final Map<String, Object> properties;
    private final String nodeId;

    /** An HTTP answer: status, content type, body parsed as JSON (null when empty). */
    public record Response(int status, String contentType, JsonNode body) {
    }

    private NodeHarness(Map<String, Object> properties, String... environments) {
        this.properties = Map.copyOf(properties);
        this.nodeId = (String) properties.get("betrokken.node-id");
        this.server = ApplicationContext.run(EmbeddedServer.class, properties, environments);
    }

    private static final Map<Db, NodeHarness> SHARED = new java.util.EnumMap<>(Db.class);

    /**
     * One node "noord" per database kind for the whole test run, without a coordinator (tests that only use the
     * node's own API share it; each registers youths of its own).
     */
    public static synchronized NodeHarness shared(Db db) {
        return SHARED.computeIfAbsent(db, d -> {
            NodeHarness h = start(d, "noord", null, null);
            Runtime.getRuntime().addShutdownHook(new Thread(h::close));
            return h;
        });
    }

    /** A node {@code nodeId} on a fresh database; with {@code coordinatorUrl} null it sends nothing. */
    public static NodeHarness start(Db db, String nodeId, String coordinatorUrl, String peers) {
        return start(prepare(db, nodeId, coordinatorUrl, peers));
    }

    /**
     * The properties of a node on a fresh database, with its data directory made and its keys generated (so that
     * it can be enrolled before it starts). With {@code coordinatorUrl} null the node sends nothing.
     */
    public static Map<String, Object> prepare(Db db, String nodeId, String coordinatorUrl, String peers) {
        Map<String, Object> p = new HashMap<>();
        try {
            Path dir = Files.createTempDirectory("node-" + nodeId);
            Files.copy(FEDERATION, dir.resolve(NodeKeys.FEDERATION_RING));
            Files.setPosixFilePermissions(dir.resolve(NodeKeys.FEDERATION_RING),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            NodeKeys.initialise(dir, nodeId, java.time.Clock.systemUTC());
            p.put("betrokken.data-dir", dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (db == Db.H2) {
            p.put("datasources.default.url", "jdbc:h2:mem:n" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
            p.put("datasources.default.dialect", "H2");
        } else {
            TestPostgres.Schema schema = TestPostgres.freshSchema();
            p.put("datasources.default.url", schema.jdbcUrl());
            p.put("datasources.default.username", schema.username());
            p.put("datasources.default.password", schema.password());
            p.put("datasources.default.driver-class-name", "org.postgresql.Driver");
            p.put("datasources.default.dialect", "POSTGRES");
        }
        p.put("betrokken.node-id", nodeId);
        p.put("betrokken.dev.enabled", true);
        p.put("betrokken.peers", peers == null ? "" : peers);
        if (coordinatorUrl == null) {
            p.put("betrokken.outbox.sender.enabled", false);
            p.put("betrokken.feed.follower.enabled", false);
            p.put("betrokken.audit.countersign", false);
        } else {
            p.put("micronaut.http.services.coordinator.url", coordinatorUrl);
        }
        return p;
    }

    /** A free port on 127.0.0.1, to give a node a known address before it starts. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A node with exactly these properties (to restart one on the same database and keys). */
    public static NodeHarness start(Map<String, Object> properties) {
        return start(properties, "test", "dev");
    }

    /**
     * A node with these properties in exactly these environments: without {@code dev} it runs as in production (no
     * demo users, no HTTP Basic, an identity provider required).
     */
    public static NodeHarness start(Map<String, Object> properties, String... environments) {
        Map<String, Object> p = new HashMap<>(properties);
        p.putIfAbsent("micronaut.server.port", -1);
        return new NodeHarness(p, environments);
    }

    public Map<String, Object> properties() {
        return properties;
    }

    public String nodeId() {
        return nodeId;
    }

    public int port() {
        return server.getPort();
    }

    public Path dataDir() {
        return Path.of((String) properties.get("betrokken.data-dir"));
    }

    public <T> T bean(Class<T> type) {
        return server.getApplicationContext().getBean(type);
    }

    /** Calls the node as {@code user} (a demo user's name without the node prefix, e.g. "prof-a"), or anonymously. */
    public Response call(String method, String path, Object body, String user, Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                    .timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
            if (user != null) {
                String credentials = nodeId + "-" + user + ":demo";
                b.header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            }
            if (headers != null) {
                headers.forEach(b::header);
            }
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                String text = body instanceof String s ? s : JSON.writeValueAsString(body);
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text));
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed;
            try {
                parsed = r.body().isBlank() ? null : JSON.readTree(r.body());
            } catch (IOException notJson) {
                parsed = JSON.getNodeFactory().textNode(r.body());
            }
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), parsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response call(String method, String path, Object body, String user) {
        return call(method, path, body, user, null);
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
