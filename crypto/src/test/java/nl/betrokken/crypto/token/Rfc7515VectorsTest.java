package nl.betrokken.crypto.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The example tokens and key of RFC 7515 Appendix A, from {@code token/rfc7515-appendix-a.json}. */
class Rfc7515VectorsTest {

    private static JsonNode vectors;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = Rfc7515VectorsTest.class.getResourceAsStream("/token/rfc7515-appendix-a.json")) {
            assertNotNull(in, "token/rfc7515-appendix-a.json is not on the test class path");
            vectors = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void parsePrivate_withA3Key_acceptsItAndDerivesThePublicPoint() {
        JsonNode jwk = vectors.get("a3Key").get("jwk");

        TokenKeyPair pair = TokenKeyPair.parsePrivate(jwk.toString());

        assertEquals(jwk.get("x").asText(), pair.publicJwk().getX().toString());
        assertEquals(jwk.get("y").asText(), pair.publicJwk().getY().toString());
    }

    @Test
    void verify_appendixATokens_areRefusedForTheExpectedReason() {
        TokenKeyPair a3 = TokenKeyPair.parsePrivate(vectors.get("a3Key").get("jwk").toString());
        // Just before the examples' exp (1300819380), so no case could be refused for its time instead.
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_300_819_000L), ZoneOffset.UTC);
        Es256TokenVerifier verifier = Es256TokenVerifier.builder()
                .trustedKeys(PublicKeySet.of(a3.publicJwk()))
                .expectedAudience("coordinator")
                .clock(clock)
                .build();

        List<String> failures = new ArrayList<>();
        for (JsonNode c : vectors.get("cases")) {
            String id = c.get("id").asText() + " (" + c.get("desc").asText() + ")";
            String want = c.get("wantErr").asText();
            try {
                verifier.verify(c.get("token").asText());
                failures.add(id + ": accepted, want " + want);
            } catch (TokenVerificationException e) {
                if (!e.reason().name().equals(want)) {
                    failures.add(id + ": got " + e.getMessage() + ", want " + want);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
