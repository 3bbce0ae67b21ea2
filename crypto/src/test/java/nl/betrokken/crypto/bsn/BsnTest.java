package nl.betrokken.crypto.bsn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BsnTest {

    private static JsonNode vectors() throws IOException {
        try (InputStream in = BsnTest.class.getResourceAsStream("/vectors/bsn/bsn-parse.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void parse_matchesEveryVector() throws IOException {
        List<String> failures = new ArrayList<>();
        for (JsonNode t : vectors().get("tests")) {
            String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("desc").asText() + ")";
            String input = t.get("input").isNull() ? null : t.get("input").asText();
            String wantErr = t.get("wantErr").isNull() ? null : t.get("wantErr").asText();
            try {
                Bsn bsn = Bsn.parse(input);
                if (wantErr != null) {
                    failures.add(id + ": accepted, want " + wantErr);
                } else if (!bsn.digits().equals(input)) {
                    failures.add(id + ": digits() differs from input");
                }
            } catch (InvalidBsnException e) {
                if (!e.rule().name().equals(wantErr)) {
                    failures.add(id + ": got " + e.rule() + ", want " + wantErr);
                }
                if (!e.getMessage().equals(e.rule().message())) {
                    failures.add(id + ": message is not the rule's message");
                }
            }
            if (Bsn.isValid(input) != (wantErr == null)) {
                failures.add(id + ": isValid disagrees with parse");
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void exceptionMessages_neverContainTheInput() throws IOException {
        List<String> failures = new ArrayList<>();
        for (JsonNode t : vectors().get("tests")) {
            if (t.get("input").isNull() || t.get("wantErr").isNull() || t.get("input").asText().isBlank()) {
                continue;
            }
            String input = t.get("input").asText();
            InvalidBsnException e = assertThrows(InvalidBsnException.class, () -> Bsn.parse(input));
            // No run of three or more input characters may appear in the message.
            for (int i = 0; i + 3 <= input.length(); i++) {
                if (e.getMessage().contains(input.substring(i, i + 3))) {
                    failures.add("tcId " + t.get("tcId").asInt() + ": message quotes the input");
                    break;
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void parse_messagesNameTheRule() {
        assertEquals("BSN must be exactly 9 digits (ASCII 0-9, no spaces or separators)",
                assertThrows(InvalidBsnException.class, () -> Bsn.parse("12345678")).getMessage());
        assertEquals("BSN fails the elfproef",
                assertThrows(InvalidBsnException.class, () -> Bsn.parse("123456789")).getMessage());
        assertEquals("BSN must not be all zeros",
                assertThrows(InvalidBsnException.class, () -> Bsn.parse("000000000")).getMessage());
    }

    @Test
    void invalidBsnException_isAnIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> Bsn.parse("x"));
    }

    @Test
    void toString_isRedacted() {
        Bsn bsn = Bsn.parse("111222333");
        assertEquals("Bsn[redacted]", bsn.toString());
        assertFalse(String.valueOf(bsn).matches(".*\\d.*"));
    }

    @Test
    void equalsAndHashCode_compareDigits() {
        assertEquals(Bsn.parse("111222333"), Bsn.parse(new String("111222333")));
        assertEquals(Bsn.parse("111222333").hashCode(), Bsn.parse("111222333").hashCode());
        assertNotEquals(Bsn.parse("111222333"), Bsn.parse("123456782"));
    }

    @Test
    void isValid_withNull_isFalse() {
        assertFalse(Bsn.isValid(null));
        assertTrue(Bsn.isValid("123456782"));
    }
}
