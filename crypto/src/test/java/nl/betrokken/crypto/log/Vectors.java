package nl.betrokken.crypto.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import nl.betrokken.crypto.keys.SecretBytes;
import nl.betrokken.crypto.keys.SecretKeyAccess;

/** Reads the JSON test vectors under {@code src/test/resources/vectors/}. */
final class Vectors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Vectors() {
    }

    /** Reads one resource, e.g. {@code /vectors/merkle/rfc6962-hasher.json}. */
    static JsonNode read(String resource) {
        try (InputStream in = Vectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the JSON files under a resource directory, at any depth, by path. */
    static List<Path> files(String directory) {
        URL url = Vectors.class.getResource(directory);
        if (url == null) {
            throw new IllegalStateException("no test resource directory " + directory);
        }
        try (Stream<Path> walk = Files.walk(Path.of(url.toURI()))) {
            return walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns the Ed25519 seed in a signer key of Go's note package,
     * {@code PRIVATE+KEY+<name>+<key id>+base64(0x01 || 32-byte seed)}.
     */
    static SecretBytes seedOfGoSignerKey(String skey) {
        String[] parts = skey.split("\\+", 5);
        if (parts.length != 5 || !parts[0].equals("PRIVATE") || !parts[1].equals("KEY")) {
            throw new IllegalArgumentException("not a Go note signer key");
        }
        byte[] typed = Base64.getDecoder().decode(parts[4]);
        if (typed.length != 33 || typed[0] != 0x01) {
            throw new IllegalArgumentException("not an Ed25519 signer key");
        }
        return SecretBytes.copyFrom(Arrays.copyOfRange(typed, 1, 33), SecretKeyAccess.insecure());
    }

    /** Returns the signer for a key of {@code verifier-keys.json} that has a published seed, e.g. {@code Log}. */
    static Ed25519NoteSigner publishedSigner(String name) {
        for (JsonNode t : read("/vectors/log/verifier-keys.json").get("tests")) {
            if (t.has("skey") && t.get("name").asText().equals(name)) {
                return Ed25519NoteSigner.fromSeed(name, seedOfGoSignerKey(t.get("skey").asText()));
            }
        }
        throw new IllegalArgumentException("no published signer key " + name);
    }

    static byte[] hex(JsonNode node) {
        return HexFormat.of().parseHex(node.asText());
    }

    static List<byte[]> hexList(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(n -> out.add(hex(n)));
        return out;
    }

    static byte[] base64(JsonNode node) {
        return Base64.getDecoder().decode(node.asText());
    }

    static List<byte[]> base64List(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(n -> out.add(base64(n)));
        return out;
    }
}
