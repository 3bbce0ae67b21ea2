package nl.betrokken.coordinator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import nl.betrokken.coordinator.enrolment.EnrolledNodes;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.TokenKeyPair;

/**
 * A running coordinator for tests, called over real HTTP. {@link #shared} is one per database kind for the whole
 * test run (tests enrol their own nodes, so they never see each other's data); {@link #fresh} gives a test its own
 * database; {@link #start} starts another instance on a database and data directory given by the test.
 */
public final class Harness implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final Map<Db, Harness> SHARED = new EnumMap<>(Db.class);
    private static final AtomicInteger NODES = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final EmbeddedServer server;
    private final Map<String, Object> properties;

    /** An HTTP answer: status, content type and the body parsed as JSON (null when empty). */
    public record Response(int status, String contentType, JsonNode body) {
    }

    private Harness(Map<String, Object> properties) {
        this.properties = Map.copyOf(properties);
        this.server = ApplicationContext.run(EmbeddedServer.class, properties, "test");
    }

    public static synchronized Harness shared(Db db) {
        return SHARED.computeIfAbsent(db, d -> {
            Harness h = fresh(d);
            Runtime.getRuntime().addShutdownHook(new Thread(h::close));
            return h;
        });
    }

    /** A coordinator on a database of its own; the caller closes it. */
    public static Harness fresh(Db db) {
        Map<String, Object> p = new HashMap<>(db.freshDatabase());
        try {
            p.put("betrokken.data-dir", Files.createTempDirectory("coordinator").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start(p);
    }

    /** A coordinator with exactly these properties (database, data directory). */
    public static Harness start(Map<String, Object> properties) {
        Map<String, Object> p = new HashMap<>(properties);
        p.put("micronaut.server.port", -1);
        return new Harness(p);
    }

    /** The properties this instance runs with, to start a second instance on the same database and keys. */
    public Map<String, Object> properties() {
        return properties;
    }

    public <T> T bean(Class<T> type) {
        return server.getApplicationContext().getBean(type);
    }

    /** A plain connection to this instance's database, outside the application (for checks of what it stored). */
    public java.sql.Connection connect() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection((String) properties.get("datasources.default.url"),
                (String) properties.getOrDefault("datasources.default.username", "sa"),
                (String) properties.getOrDefault("datasources.default.password", ""));
    }

    /** The single number that {@code sql} answers, read through {@link #connect()}. */
    public long queryLong(String sql) {
        try (java.sql.Connection c = connect(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public MutableClock clock() {
        return (MutableClock) bean(java.time.Clock.class);
    }

    /** Waits until the matcher has taken every queued signal, so that all matches are in the feeds. */
    public void awaitMatching() {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (bean(nl.betrokken.coordinator.matching.MatchingJob.class).queued() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the matcher did not empty its queue within 30 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Enrols a new node with a fresh key; its id starts with {@code name}. */
    public TestNode enrol(String name) {
        String id = name + "-" + NODES.incrementAndGet();
        TokenKeyPair key = TokenKeyPair.generate();
        bean(EnrolledNodes.class).enrol(id, PublicKeySet.of(key.publicJwk()));
        return new TestNode(this, id, key);
    }

    /** A node that this harness knows under the same id and key as {@code other} (for a second instance). */
    public TestNode sameNode(TestNode other) {
        return new TestNode(this, other.id(), other.key());
    }

    public Response call(String method, String path, Object body, String bearer) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Accept", "application/json");
            if (bearer != null) {
                b.header("Authorization", "Bearer " + bearer);
            }
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                String text = body instanceof String s ? s : JSON.writeValueAsString(body);
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text));
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = r.body().isBlank() ? null : JSON.readTree(r.body());
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), parsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
