package nl.betrokken.crypto.pseudonym.subtle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nl.betrokken.crypto.keys.SecretBytes;
import nl.betrokken.crypto.keys.SecretKeyAccess;
import org.junit.jupiter.api.Test;

class HmacSha256Test {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void compute_matchesRfc4231Vectors() throws Exception {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/vectors/hmac/rfc4231-sha256.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (JsonNode t : doc.get("tests")) {
            count++;
            HmacSha256 mac = HmacSha256.create(
                    SecretBytes.copyFrom(HEX.parseHex(t.get("key").asText()), SecretKeyAccess.insecure()));
            byte[] got = mac.compute(HEX.parseHex(t.get("data").asText()));
            int bytes = t.has("truncateBits") ? t.get("truncateBits").asInt() / 8 : got.length;
            if (!HEX.formatHex(got, 0, bytes).equals(t.get("mac").asText())) {
                failures.add("tcId " + t.get("tcId").asInt() + " (" + t.get("desc").asText() + ")");
            }
        }
        assertEquals(7, count);
        assertEquals(List.of(), failures);
    }

    @Test
    void compute_fromManyThreads_givesTheSameResult() throws Exception {
        HmacSha256 mac = HmacSha256.create(SecretBytes.copyFrom(new byte[32], SecretKeyAccess.insecure()));
        byte[] data = "Hi There".getBytes(StandardCharsets.US_ASCII);
        byte[] want = mac.compute(data);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                results.add(pool.submit(() -> mac.compute(data)));
            }
            for (Future<byte[]> f : results) {
                assertArrayEquals(want, f.get());
            }
        } finally {
            pool.shutdown();
        }
    }
}
