package nl.betrokken.crypto.pseudonym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class PseudonymTest {

    @Test
    void parse_matchesEveryVector() throws IOException {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/vectors/pseudonym/pseudonym-parse.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        List<String> failures = new ArrayList<>();
        for (JsonNode t : doc.get("tests")) {
            String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("desc").asText() + ")";
            String input = t.get("input").asText();
            String wantErr = t.get("wantErr").isNull() ? null : t.get("wantErr").asText();
            try {
                Pseudonym p = Pseudonym.parse(input);
                if (wantErr != null) {
                    failures.add(id + ": accepted, want '" + wantErr + "'");
                } else if (!p.encoded().equals(input)) {
                    failures.add(id + ": encoded() does not round-trip");
                }
            } catch (IllegalArgumentException e) {
                if (!e.getMessage().equals(wantErr)) {
                    failures.add(id + ": got '" + e.getMessage() + "', want '" + wantErr + "'");
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void encoded_isEpochPrefixThenUnpaddedBase64url() {
        byte[] value = new byte[32];
        value[31] = (byte) 0xff;
        Pseudonym p = Pseudonym.of(3, value);
        assertEquals("e3." + Base64.getUrlEncoder().withoutPadding().encodeToString(value), p.encoded());
        assertEquals(p, Pseudonym.parse(p.encoded()));
    }

    @Test
    void toString_showsOnlyTheEpoch() {
        Pseudonym p = Pseudonym.of(3, new byte[32]);
        assertEquals("Pseudonym[epoch=3]", p.toString());
        assertFalse(p.toString().contains(p.encoded().substring(3, 10)));
    }

    @Test
    void equals_comparesEpochAndValue() {
        byte[] v = new byte[32];
        assertEquals(Pseudonym.of(1, v), Pseudonym.of(1, v.clone()));
        assertEquals(Pseudonym.of(1, v).hashCode(), Pseudonym.of(1, v.clone()).hashCode());
        assertNotEquals(Pseudonym.of(1, v), Pseudonym.of(2, v));
        byte[] w = v.clone();
        w[0] = 1;
        assertNotEquals(Pseudonym.of(1, v), Pseudonym.of(1, w));
    }

    @Test
    void of_withWrongLengthOrEpoch_throws() {
        assertThrows(IllegalArgumentException.class, () -> Pseudonym.of(1, new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> Pseudonym.of(0, new byte[32]));
    }

    @Test
    void value_returnsACopy() {
        Pseudonym p = Pseudonym.of(1, new byte[32]);
        p.value()[0] = 1;
        assertEquals(0, p.value()[0]);
    }
}
