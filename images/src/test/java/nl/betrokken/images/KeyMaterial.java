package nl.betrokken.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Finds key material in a file tree, and in the jars in it: the services' key files by name (key rings, token keys,
 * JWK sets), key stores and PEM files by name, and by content a PEM private key or a private JWK (one with "d").
 * Public trust stores (the Java runtime's cacerts) hold no private key and are not key material.
 */
final class KeyMaterial {

    private static final Pattern KEY_FILE_NAME = Pattern.compile(
            "(?i).*(keyring\\.properties|\\.jwk|\\.jwks|\\.jwks\\.json|\\.pem|\\.key|\\.p8|\\.p12|\\.pfx|\\.jks"
                    + "|\\.keystore|id_rsa|id_ecdsa|id_ed25519)");
    private static final Pattern PEM_PRIVATE_KEY = Pattern.compile(
            "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\\r\\n]+(?:Proc-Type:[^\\n]*\\n+DEK-Info:[^\\n]*\\n+)?"
                    + "[A-Za-z0-9+/=\\r\\n]{40,}-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----");
    private static final Pattern PRIVATE_JWK = Pattern.compile("\"d\"\\s*:\\s*\"[A-Za-z0-9_-]{16,}\"");
    private static final long LARGEST = 256L * 1024 * 1024;

    private KeyMaterial() {
    }

    /** What holds key material under {@code root}: paths relative to it, a jar's entries as jar!entry. */
    static List<String> in(Path root) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = "/" + root.relativize(file);
                if (Files.size(file) > LARGEST) {
                    continue;
                }
                if (name.endsWith(".jar")) {
                    try (InputStream in = Files.newInputStream(file)) {
                        inJar(name, in, found);
                    }
                } else {
                    check(name, Files.readAllBytes(file), found);
                }
            }
        }
        return found;
    }

    private static void inJar(String jar, InputStream in, List<String> found) throws IOException {
        ZipInputStream zip = new ZipInputStream(in);
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            if (!entry.isDirectory()) {
                String name = jar + "!" + entry.getName();
                byte[] content = zip.readAllBytes();
                if (entry.getName().endsWith(".jar")) {
                    inJar(name, new java.io.ByteArrayInputStream(content), found);
                } else {
                    check(name, content, found);
                }
            }
        }
    }

    private static void check(String name, byte[] content, List<String> found) {
        String fileName = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('!')) + 1);
        if (KEY_FILE_NAME.matcher(fileName).matches()) {
            found.add(name + " (a key file by its name)");
            return;
        }
        String text = new String(content, StandardCharsets.ISO_8859_1);
        if (text.contains("PRIVATE KEY-----") && PEM_PRIVATE_KEY.matcher(text).find()) {
            found.add(name + " (a PEM private key)");
        } else if (text.contains("\"d\"") && PRIVATE_JWK.matcher(text).find()) {
            found.add(name + " (a private JWK)");
        }
    }
}
