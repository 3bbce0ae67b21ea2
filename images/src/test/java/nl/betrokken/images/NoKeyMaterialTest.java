package nl.betrokken.images;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No layer of the coordinator's or the node's image holds key material: keys come from the data directory (a volume)
 * or secrets at run time (docs/images.md). Every file of every layer is looked at, and every entry of every jar.
 */
class NoKeyMaterialTest {

    /**
     * Private keys that libraries carry in their code for self tests, the same in every copy and published with their
     * source, so no secret of anyone: Netty probes its TLS engine's cipher suites with a fixed key, and GnuTLS (in
     * Debian's libgnutls30, which apt needs) runs its self tests with fixed keys. Nothing else may hold a private key.
     */
    private static final List<Pattern> LIBRARY_SELF_TEST_KEYS = List.of(
            Pattern.compile("/app/libs/netty-handler-[^/]+\\.jar!io/netty/handler/ssl/"
                    + "(SslUtils|JdkSslServerContext|OpenSsl)\\.class \\(a PEM private key\\)"),
            Pattern.compile("/usr/lib/[^/]+/libgnutls\\.so\\.30[.0-9]* \\(a PEM private key\\)"));

    @ParameterizedTest
    @ValueSource(strings = {"coordinator", "node"})
    void noLayerOfTheImageHoldsKeyMaterial(String service) throws Exception {
        try (ImageTar image = ImageTar.unpack(service)) {
            List<String> found = KeyMaterial.in(image.root).stream()
                    .filter(f -> LIBRARY_SELF_TEST_KEYS.stream().noneMatch(p -> p.matcher(f).matches()))
                    .toList();
            assertEquals(List.of(), found, service + "'s image holds key material");
        }
    }

    /** The search finds what it looks for: each kind of key, also inside a jar, and no public trust store. */
    @Test
    void theSearchFindsEachKindOfKey(@TempDir Path root) throws Exception {
        Path data = Files.createDirectories(root.resolve("var/lib/betrokken"));
        Files.writeString(data.resolve("node-keyring.properties"), "pseudonym.1=AAAA\n");
        Files.writeString(root.resolve("var/lib/betrokken/settings.txt"),
                "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIAbcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123\n-----END EC PRIVATE KEY-----\n");
        Files.writeString(root.resolve("var/lib/betrokken/public.txt"),
                "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\"}");
        Path lib = Files.createDirectories(root.resolve("app/libs"));
        try (OutputStream out = Files.newOutputStream(lib.resolve("some.jar")); ZipOutputStream jar = new ZipOutputStream(out)) {
            jar.putNextEntry(new ZipEntry("config/signing.json"));
            jar.write("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\",\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\"}"
                    .getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        assertEquals(List.of(
                "/app/libs/some.jar!config/signing.json (a private JWK)",
                "/var/lib/betrokken/node-keyring.properties (a key file by its name)",
                "/var/lib/betrokken/settings.txt (a PEM private key)"),
                KeyMaterial.in(root).stream().sorted().toList());
    }
}
