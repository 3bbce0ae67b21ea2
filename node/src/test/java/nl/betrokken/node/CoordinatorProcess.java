package nl.betrokken.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real coordinator in its own process, started from the built jar ({@code coordinator/target/coordinator.jar}),
 * on its embedded H2 database in a temporary directory. It can be stopped and started again on the same data, as
 * an outage would. The node module never imports the coordinator: it talks to it over HTTP, as in production.
 */
public final class CoordinatorProcess implements AutoCloseable {

    static final Path JAR = Path.of("..", "coordinator", "target", "coordinator.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final java.util.regex.Pattern RUNNING =
            java.util.regex.Pattern.compile("Server Running: http://127\\.0\\.0\\.1:(\\d+)");

    private final Path dataDir;
    private final Map<String, String> environment = new HashMap<>();
    private int port = -1;
    private Process process;

    private CoordinatorProcess(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Starts a coordinator on a free port; fails saying how to build the jar when it is missing. */
    public static CoordinatorProcess start() {
        return start(Map.of());
    }

    /**
     * The same with these environment variables as well (e.g. {@code DATASOURCES_DEFAULT_*} for PostgreSQL); they stay
     * in {@link #environment()} for its commands and restarts.
     */
    public static CoordinatorProcess start(Map<String, String> environment) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: build the coordinator first"
                    + " (mvn -B package -DskipTests -pl coordinator -am), or run the whole build (mvn verify)");
        }
        try {
            CoordinatorProcess c = new CoordinatorProcess(Files.createTempDirectory("coordinator"));
            c.environment.putAll(environment);
            c.startAgain();
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Its environment variables besides its data directory and port; a change counts from the next start. */
    public Map<String, String> environment() {
        return environment;
    }

    /** Its data directory (its keys: a test signs a token with the coordinator's own key to prove a check). */
    public Path dataDir() {
        return dataDir;
    }

    /** Enrols the node whose keys are in {@code nodeDataDir} (with the operator's command). */
    public void enrol(String nodeId, Path nodeDataDir) {
        Process p = java(List.of("enrol", nodeId, nodeDataDir.resolve("node-public.jwks.json").toString()));
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("enrolling " + nodeId + " failed: "
                        + new String(p.getInputStream().readAllBytes()));
            }
        } catch (InterruptedException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An operator's command's exit status and output. */
    public record CommandResult(int status, String output) {
    }

    /** Runs the operator's command {@code java -jar coordinator.jar ARGS} on this coordinator's data. */
    public CommandResult command(String... args) {
        Process p = java(List.of(args));
        try {
            String output = new String(p.getInputStream().readAllBytes());
            return new CommandResult(p.waitFor(), output);
        } catch (InterruptedException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts the process (again) and waits until {@code /health} answers. The first start takes a free port of its
     * own choosing (read from its log); a restart takes the same port again.
     */
    public void startAgain() {
        process = java(List.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the coordinator stopped while starting; see " + dataDir.resolve("log"));
            }
            if (port < 0) {
                port = portFromLog();
                if (port < 0) {
                    sleep(100);
                    continue;
                }
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        stop();
        throw new IllegalStateException("the coordinator did not answer /health within 60 s; see " + dataDir.resolve("log"));
    }

    private int portFromLog() {
        try {
            java.util.regex.Matcher m = RUNNING.matcher(Files.readString(dataDir.resolve("log")));
            int found = -1;
            while (m.find()) {
                found = Integer.parseInt(m.group(1));
            }
            return found;
        } catch (IOException notYet) {
            return -1;
        }
    }

    /** Stops the process, as an outage would. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private Process java(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().putAll(environment);
        b.environment().put("BETROKKEN_DATA_DIR", dataDir.toString());
        b.environment().put("BETROKKEN_PORT", String.valueOf(port));
        if (args.isEmpty()) {
            b.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("log").toFile()));
        }
        try {
            return b.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
