package nl.betrokken.reliability;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A coordinator or node as a real process of its built jar ({@code <module>/target/<module>.jar}), configured through
 * its environment as an operator configures it ({@code BETROKKEN_*}, {@code DATASOURCES_DEFAULT_*}), on a port fixed
 * before its first start so that a restart comes back at the same address. Output goes to {@code log} in its data
 * directory.
 */
final class Service {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final Path dataDir;
    private final int port;
    private final String heap;
    private final Map<String, String> env = new LinkedHashMap<>();
    private volatile Process process;

    Service(String name, String module, Path dataDir, int port, String heap) {
        this.name = name;
        this.jar = jar(module);
        this.dataDir = dataDir;
        this.port = port;
        this.heap = heap;
        env.put("BETROKKEN_DATA_DIR", dataDir.toString());
        env.put("BETROKKEN_PORT", String.valueOf(port));
    }

    /** The built jar of {@code module}; fails saying how to build it when it is missing. */
    static Path jar(String module) {
        Path jar = Federation.root().resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (mvn -B package -DskipTests -pl "
                    + module + " -am), or run the whole build (mvn verify), which packages it before these tests");
        }
        return jar;
    }

    Service env(String key, String value) {
        env.put(key, value);
        return this;
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path dataDir() {
        return dataDir;
    }

    /** Starts the process without waiting for it. */
    void launch() {
        process = java(List.of(), true);
    }

    /** Starts the process and waits until {@code /health} answers 200. */
    void start() {
        launch();
        awaitHealthy(Duration.ofSeconds(120));
    }

    void awaitHealthy(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " stopped while starting; the end of its log:\n" + logTail());
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
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
        throw new IllegalStateException(name + " did not answer /health within " + within.toSeconds()
                + " s; the end of its log:\n" + logTail());
    }

    /** The CPU time the running process has used so far (zero when the system does not tell). */
    Duration cpu() {
        Process p = process;
        return p == null ? Duration.ZERO : p.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** SIGKILL: the process ends at once, in whatever it was doing. */
    void kill() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    void stop() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An operator's command's exit status and output. */
    record CommandResult(int status, String output) {
    }

    /** {@code java -jar <jar> ARGS} with this service's environment, waited for. */
    CommandResult command(String... args) {
        Process p = java(List.of(args), false);
        try {
            String output = new String(p.getInputStream().readAllBytes());
            return new CommandResult(p.waitFor(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Like {@link #command}, failing with its output unless it exits 0. */
    String commandOk(String... args) {
        CommandResult r = command(args);
        if (r.status() != 0) {
            throw new IllegalStateException(name + ": " + String.join(" ", args) + " exited " + r.status() + ": "
                    + r.output());
        }
        return r.output();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private Process java(List<String> args, boolean server) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                server ? heap : "-Xmx128m", "-jar", jar.toString()));
        if (!server) {
            // A short-lived operator's command: no JIT beyond C1, the smallest collector.
            command.addAll(1, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        } else if (!System.getProperty("reliability.jvm", "").isBlank()) {
            // Extra options for the services' JVMs, e.g. a flight recording to profile them under load.
            command.addAll(1, List.of(System.getProperty("reliability.jvm").trim().split("\\s+")));
        }
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).directory(dataDir.toFile());
        b.environment().putAll(env);
        if (server) {
            b.redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("log").toFile()));
        }
        try {
            return b.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
