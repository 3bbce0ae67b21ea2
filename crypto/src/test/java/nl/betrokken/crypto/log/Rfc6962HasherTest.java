package nl.betrokken.crypto.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class Rfc6962HasherTest {

    private static final LogHasher HASHER = LogHasher.rfc6962();

    @Test
    void hashes_matchTransparencyDevVectors() {
        JsonNode doc = Vectors.read("/vectors/merkle/rfc6962-hasher.json");
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (JsonNode t : doc.get("tests")) {
            count++;
            byte[] got = switch (t.get("op").asText()) {
                case "emptyRoot" -> HASHER.emptyRoot();
                case "hashLeaf" -> HASHER.hashLeaf(Vectors.hex(t.get("data")));
                case "hashChildren" -> HASHER.hashChildren(Vectors.hex(t.get("left")), Vectors.hex(t.get("right")));
                default -> throw new IllegalStateException("unknown op " + t.get("op"));
            };
            if (!HexFormat.of().formatHex(got).equals(t.get("want").asText())) {
                failures.add("tcId " + t.get("tcId").asInt() + " (" + t.get("desc").asText() + ")");
            }
        }
        assertEquals(4, count);
        assertEquals(List.of(), failures);
    }

    @Test
    void size_is32() {
        assertEquals(32, HASHER.size());
        assertEquals(32, HASHER.emptyRoot().length);
    }

    @Test
    void node_isNotTheLeafOfItsChildrenConcatenated() {
        byte[] left = HASHER.hashLeaf("Hello".getBytes(StandardCharsets.UTF_8));
        byte[] right = HASHER.hashLeaf("World".getBytes(StandardCharsets.UTF_8));
        byte[] concatenated = Arrays.copyOf(left, 64);
        System.arraycopy(right, 0, concatenated, 32, 32);

        assertFalse(Arrays.equals(HASHER.hashChildren(left, right), HASHER.hashLeaf(concatenated)));
        assertFalse(Arrays.equals(HASHER.hashChildren(left, right), HASHER.hashChildren(right, left)));
    }

    @Test
    void hashLeaf_ofEmptyData_isNotTheEmptyRoot() {
        assertFalse(Arrays.equals(HASHER.emptyRoot(), HASHER.hashLeaf(new byte[0])));
        assertArrayEquals(HASHER.hashLeaf(new byte[0]), HASHER.hashLeaf(new byte[0]));
    }
}
