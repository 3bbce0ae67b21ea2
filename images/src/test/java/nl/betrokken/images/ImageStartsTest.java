package nl.betrokken.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's image starts outside a container engine: its layers unpacked into a directory, its Entrypoint run
 * there (Container) as the image's user, with the image's environment (only the port and the listening address
 * changed, as `docker run -e` would). It answers GET /health with 200, the image's health command agrees, what it
 * writes to its data directory belongs to its non-root user, and it stops on SIGTERM.
 */
class ImageStartsTest {

    private static final String USER = "10001:10001";
    private static final String HEALTHCHECK = "/usr/local/bin/healthcheck";

    @Test
    void theCoordinatorsImageRunsAsItsUserAnswersHealthAndStops() throws Exception {
        try (ImageTar image = ImageTar.unpack("coordinator")) {
            runs(image);
        }
    }

    private static void runs(ImageTar image) throws Exception {
        Path dir = image.dir;
        assertEquals(USER, image.user(), "the image runs as the non-root user betrokken");
        assertEquals(List.of("CMD", HEALTHCHECK), image.healthcheck(), "the image carries the health check");
        assertEquals("java", image.command().get(0));

        int port = freePort();
        Map<String, String> env = image.env();
        assertEquals("/var/lib/betrokken", env.get("BETROKKEN_DATA_DIR"));
        env.put("BETROKKEN_PORT", String.valueOf(port));
        env.put("BETROKKEN_HOST", "127.0.0.1");
        assertNotEquals(0, healthcheck(image, env), "the health command fails while nothing listens");

        Path log = dir.resolve("coordinator.log");
        Process service = Container.command(image.root, image.user(), image.workingDir(), env, image.command())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int status = 0;
            while (status != 200) {
                if (!service.isAlive()) {
                    fail("the image's entry point ended (" + service.exitValue() + "): " + tail(log));
                }
                if (System.nanoTime() > deadline) {
                    fail("GET /health did not answer 200 within 120 s: " + tail(log));
                }
                try {
                    status = http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException notYet) {
                    Thread.sleep(300);
                }
            }
            assertEquals(0, healthcheck(image, env), "the image's health command sees the running service");

            Path data = image.root.resolve("var/lib/betrokken");
            try (Stream<Path> files = Files.walk(data)) {
                List<Path> written = files.filter(p -> !p.equals(data)).toList();
                assertFalse(written.isEmpty(), "the coordinator writes its keys and database to its data directory");
                for (Path p : written) {
                    assertEquals(10001, Files.getAttribute(p, "unix:uid"), p + " belongs to the user betrokken");
                }
            }
        } finally {
            // As `docker stop`: SIGTERM to the entry point (unshare itself waits for its child and ignores it).
            service.descendants().forEach(ProcessHandle::destroy);
            if (!service.waitFor(60, TimeUnit.SECONDS)) {
                service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("the coordinator did not stop within 60 s of SIGTERM: " + tail(log));
            }
        }
        assertTrue(tail(log).contains("Startup completed"), tail(log));
        assertNotEquals(0, healthcheck(image, env), "the health command fails once the service stopped");
    }

    /** The image's health command, run in the image as its user: its exit status. */
    private static int healthcheck(ImageTar image, Map<String, String> env) throws Exception {
        Process p = Container.command(image.root, image.user(), "/", env, List.of(HEALTHCHECK))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the health command did not end within 30 s");
        }
        assertEquals(p.exitValue() == 0, out.isBlank(), "the health command says why it fails, only then: " + out);
        return p.exitValue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) throws IOException {
        String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}
