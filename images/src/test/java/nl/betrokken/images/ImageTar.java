package nl.betrokken.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A service's image tar (jib:buildTar, `docker save` format) unpacked: its layers as one root file system, and its config. */
final class ImageTar implements AutoCloseable {

    /** A directory of its own, removed on close; root is the image's file system in it. */
    final Path dir;
    final Path root;
    private final JsonNode config;

    private ImageTar(Path dir, Path root, JsonNode config) {
        this.dir = dir;
        this.root = root;
        this.config = config;
    }

    /** The image tar of a service module, as the profile images builds it. */
    static Path tarOf(String service) {
        Path tar = Path.of(System.getProperty("user.dir")).resolveSibling(service).resolve("target")
                .resolve(service + "-image.tar");
        if (!Files.isRegularFile(tar)) {
            fail("no image tar " + tar + ": build the images with mvn -Pimages (docs/images.md)");
        }
        return tar;
    }

    /** Unpacks the image of a service into a new directory's root, layer by layer, owners by number as in the layers. */
    static ImageTar unpack(String service) throws IOException, InterruptedException {
        requireRoot("unpacking an image with its owners");
        Path dir = Files.createTempDirectory("betrokken-image-");
        Path image = Files.createDirectories(dir.resolve("image"));
        Path root = Files.createDirectories(dir.resolve("root"));
        run(List.of("tar", "-xf", tarOf(service).toString(), "-C", image.toString()));
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(image.resolve("manifest.json").toFile()).get(0);
        JsonNode config = json.readTree(image.resolve(manifest.get("Config").asText()).toFile());
        for (JsonNode layer : manifest.get("Layers")) {
            Path file = image.resolve(layer.asText());
            run(List.of("tar", "--numeric-owner", "--same-owner", "-xpzf", file.toString(), "-C", root.toString()));
            Files.delete(file);
        }
        String whiteouts = run(List.of("find", root.toString(), "-name", ".wh.*"));
        if (!whiteouts.isBlank()) {
            fail("a layer of " + service + " deletes files (whiteouts), which this unpacking does not do: " + whiteouts);
        }
        return new ImageTar(dir, root, config);
    }

    /** Removes the directory, never crossing into a file system mounted in it (rm --one-file-system). */
    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("rm", "-rf", "--one-file-system", dir.toString()));
    }

    String user() {
        return config.at("/config/User").asText();
    }

    String workingDir() {
        return config.at("/config/WorkingDir").asText("/");
    }

    List<String> healthcheck() {
        return strings(config.at("/config/Healthcheck/Test"));
    }

    /** Entrypoint and Cmd, as a container engine runs them. */
    List<String> command() {
        List<String> command = new ArrayList<>(strings(config.at("/config/Entrypoint")));
        command.addAll(strings(config.at("/config/Cmd")));
        return command;
    }

    /** The config's environment, in order. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : strings(config.at("/config/Env"))) {
            int eq = entry.indexOf('=');
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return env;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /** Fails the test, saying why, when it does not run as root. */
    static void requireRoot(String what) throws IOException, InterruptedException {
        if (!"0".equals(run(List.of("id", "-u")).trim())) {
            fail(what + " needs root: run the images profile as root (docs/images.md)");
        }
    }

    /** Runs a command to its end (at most two minutes) and returns its output; fails the test when it fails. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not end within two minutes");
        }
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        return new String(out, StandardCharsets.UTF_8);
    }
}
