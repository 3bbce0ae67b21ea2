package nl.betrokken.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingFileTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void writeThenRead_roundTripsEpochsAndSecrets() throws IOException {
        KeyRing ring = KeyRing.generate(RANDOM, T0)
                .rotate(RANDOM, T0.plusSeconds(60), Duration.ofDays(30))
                .rotate(RANDOM, T0.plusSeconds(120), Duration.ofDays(30))
                .disable(1);
        Path file = dir.resolve("keyring.properties");
        KeyRingFile.write(file, ring);
        KeyRing back = KeyRingFile.read(file);

        assertEquals(ring.epochs(), back.epochs());
        for (KeyEpoch e : ring.epochs()) {
            if (e.state() == KeyEpoch.State.DISABLED) {
                assertNull(back.secret(e.id()), "secret of disabled epoch " + e.id());
            } else {
                assertTrue(ring.secret(e.id()).equalsSecretBytes(back.secret(e.id())), "secret of epoch " + e.id());
            }
        }
    }

    @Test
    void write_withDisabledEpoch_writesNoSecretForIt() throws IOException {
        KeyRing ring = KeyRing.generate(RANDOM, T0).rotate(RANDOM, T0, Duration.ofDays(30)).disable(1);
        Path file = dir.resolve("keyring.properties");
        KeyRingFile.write(file, ring);
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.contains("epoch.1.state=DISABLED"), lines.toString());
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("epoch.1.secret")), "a disabled epoch has no secret");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("epoch.2.secret=")), "the primary keeps its secret");
    }

    @Test
    void write_createsOwnerOnlyFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("keyring.properties");
        KeyRingFile.write(file, KeyRing.generate(RANDOM, T0));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void write_replacesAnExistingRing() throws IOException {
        Path file = dir.resolve("keyring.properties");
        KeyRing one = KeyRing.generate(RANDOM, T0);
        KeyRingFile.write(file, one);
        KeyRing two = one.rotate(RANDOM, T0, Duration.ofDays(1));
        KeyRingFile.write(file, two);
        assertEquals(two.epochs(), KeyRingFile.read(file).epochs());
    }

    @Test
    void read_withGroupOrOtherPermission_throwsNamingPathAndPermissions() throws IOException {
        Path file = dir.resolve("keyring.properties");
        KeyRingFile.write(file, KeyRing.generate(RANDOM, T0));
        for (String perms : List.of("rw-r--r--", "rw----r--", "rw-r-----", "rw-----w-", "rw------x")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
            KeyFileException e = assertThrows(KeyFileException.class, () -> KeyRingFile.read(file));
            assertEquals(file + " has permissions " + perms + "; must be readable by its owner only (chmod 600)",
                    e.getMessage());
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertEquals(1, KeyRingFile.read(file).primary().id());
    }

    @Test
    void read_matchesEveryVector() throws IOException {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/vectors/keyring/keyring-file.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        // The base64 body of anything written as a secret, also after a ':' or before a continuation line. Short
        // runs are skipped: "not" in "not*base64!" is no secret, and would match "is not valid base64".
        Pattern secretLine = Pattern.compile("secret[=:]([A-Za-z0-9+/]{16,})");
        List<String> failures = new ArrayList<>();
        for (JsonNode t : doc.get("tests")) {
            String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("desc").asText() + ")";
            String content = t.get("content").asText();
            String wantErr = t.get("wantErr").isNull() ? null : t.get("wantErr").asText();
            Path file = dir.resolve("case-" + t.get("tcId").asInt() + ".properties");
            Files.writeString(file, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            try {
                KeyRingFile.read(file);
                if (wantErr != null) {
                    failures.add(id + ": accepted, want error containing '" + wantErr + "'");
                }
            } catch (KeyFileException e) {
                if (wantErr == null || !e.getMessage().contains(wantErr)) {
                    failures.add(id + ": got '" + e.getMessage() + "', want '" + wantErr + "'");
                }
                if (!e.getMessage().startsWith(file.toString())) {
                    failures.add(id + ": message does not name the path");
                }
                Matcher m = secretLine.matcher(content);
                while (m.find()) {
                    if (e.getMessage().contains(m.group(1))) {
                        failures.add(id + ": message contains a secret");
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void write_usesTheDocumentedFormat() throws IOException {
        byte[] secret = new byte[32];
        KeyRing ring = KeyRing.builder()
                .add(KeyEpoch.primary(1, T0), SecretBytes.copyFrom(secret, SecretKeyAccess.insecure()))
                .build();
        Path file = dir.resolve("keyring.properties");
        KeyRingFile.write(file, ring);
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals(List.of(
                "format=betrokken-keyring/1",
                "epoch.1.state=PRIMARY",
                "epoch.1.createdAt=2026-01-01T00:00:00Z",
                "epoch.1.secret=" + Base64.getEncoder().encodeToString(secret)), lines);
    }
}
