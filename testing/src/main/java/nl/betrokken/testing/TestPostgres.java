package nl.betrokken.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Finds a real PostgreSQL server for the tests, in this order:
 * <ol>
 *   <li>{@code TEST_JDBC_URL} (with {@code TEST_JDBC_USER} and {@code TEST_JDBC_PASSWORD} when needed);</li>
 *   <li>Testcontainers, when a Docker engine answers;</li>
 *   <li>a server on {@code 127.0.0.1:5432}, database {@code test}, user {@code postgres} (trust auth).</li>
 * </ol>
 * When none answers, {@link #server()} throws {@link IllegalStateException} with a message that says how to provide
 * one. Tests never skip for want of a database: a missing server is a failure.
 *
 * <p>Each test takes its own schema from {@link #freshSchema()}, so test classes and parallel runs never see each
 * other's rows.
 */
public final class TestPostgres {

    static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String LOCAL_USER = "postgres";

    private static Server found;

    private TestPostgres() {
    }

    /** Where a server was found and how to log in to it. */
    public record Server(String jdbcUrl, String username, String password, String source) {
        @Override
        public String toString() {
            return "Server[" + source + ", " + jdbcUrl + "]";
        }
    }

    /** One isolated schema on the server; {@link #close()} drops it with everything in it. */
    public record Schema(String jdbcUrl, String username, String password, String name, Server server)
            implements AutoCloseable {
        @Override
        public void close() {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop test schema " + name, e);
            }
        }
    }

    /** The server for this JVM, found once. */
    public static synchronized Server server() {
        if (found == null) {
            found = find(System.getenv(), TestPostgres::dockerAnswers, LOCAL_URL);
        }
        return found;
    }

    /** A new empty schema on {@link #server()}; its JDBC URL selects it as the current schema. */
    public static Schema freshSchema() {
        Server server = server();
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        String name = "bt_test_" + HexFormat.of().formatHex(random);
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a test schema on " + server, e);
        }
        String separator = server.jdbcUrl().contains("?") ? "&" : "?";
        return new Schema(server.jdbcUrl() + separator + "currentSchema=" + name,
                server.username(), server.password(), name, server);
    }

    static Server find(Map<String, String> env, BooleanSupplier docker, String localUrl) {
        List<String> tried = new ArrayList<>();
        String url = env.get("TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            Server candidate = new Server(url, env.getOrDefault("TEST_JDBC_USER", LOCAL_USER),
                    env.getOrDefault("TEST_JDBC_PASSWORD", ""), "TEST_JDBC_URL");
            String problem = probe(candidate);
            if (problem == null) {
                return candidate;
            }
            // A URL that was asked for and does not answer is an error in itself: don't fall back silently.
            throw new IllegalStateException("TEST_JDBC_URL=" + url + " does not answer: " + problem);
        }
        tried.add("TEST_JDBC_URL is not set");
        if (docker.getAsBoolean()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:15-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                    "Testcontainers");
        }
        tried.add("no Docker engine answers (Testcontainers)");
        Server local = new Server(localUrl, LOCAL_USER, "", "127.0.0.1:5432");
        String problem = probe(local);
        if (problem == null) {
            return local;
        }
        tried.add(localUrl + " as " + LOCAL_USER + ": " + problem);
        throw new IllegalStateException("""
                The tests need a real PostgreSQL server and found none (%s).
                Provide one of:
                  - TEST_JDBC_URL=jdbc:postgresql://HOST:PORT/DB (and TEST_JDBC_USER, TEST_JDBC_PASSWORD);
                  - a running Docker engine, for Testcontainers;
                  - a server on 127.0.0.1:5432 with a database 'test' that user 'postgres' may reach
                    (on Debian, `bash .ci/run` installs and starts one).""".formatted(String.join("; ", tried)));
    }

    private static String probe(Server server) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password())) {
            return c.isValid(5) ? null : "the connection is not valid";
        } catch (SQLException e) {
            return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
        }
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
