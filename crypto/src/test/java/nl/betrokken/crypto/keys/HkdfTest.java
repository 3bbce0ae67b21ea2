package nl.betrokken.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class HkdfTest {

    @Test
    void sha256_matchesRfc5869Vectors() throws IOException {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/vectors/hkdf/rfc5869-sha256.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        HexFormat hex = HexFormat.of();
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (JsonNode t : doc.get("tests")) {
            count++;
            byte[] okm = Hkdf.sha256(hex.parseHex(t.get("ikm").asText()), hex.parseHex(t.get("salt").asText()),
                    hex.parseHex(t.get("info").asText()), t.get("length").asInt());
            if (!hex.formatHex(okm).equals(t.get("okm").asText())) {
                failures.add("tcId " + t.get("tcId").asInt() + " (" + t.get("desc").asText() + ")");
            }
        }
        assertEquals(3, count);
        assertEquals(List.of(), failures);
    }

    @Test
    void sha256_withLengthAbove255Blocks_throws() {
        assertThrows(IllegalArgumentException.class, () -> Hkdf.sha256(new byte[32], new byte[0], new byte[0], 8161));
        assertThrows(IllegalArgumentException.class, () -> Hkdf.sha256(new byte[32], new byte[0], new byte[0], 0));
    }
}
