package nl.betrokken.crypto.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
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
    void a3Signature_verifiesUnderTheA3PublicKey() throws Exception {
        // Known answer: the A.3 example is a valid ES256 signature by the A.3 key. Checked with nimbus directly,
        // because Es256TokenVerifier refuses the example for its missing kid before it looks at the signature.
        TokenKeyPair a3 = TokenKeyPair.parsePrivate(vectors.get("a3Key").get("jwk").toString());
        JWSObject jws = JWSObject.parse(caseById("A.3").get("token").asText());

        assertEquals(JWSAlgorithm.ES256, jws.getHeader().getAlgorithm());
        assertTrue(jws.verify(new ECDSAVerifier(a3.publicJwk())), "A.3 signature must verify");
        assertEquals("joe", jws.getPayload().toJSONObject().get("iss"));
    }

    @Test
    void a3Signature_withOneBitFlippedInThePayload_doesNotVerify() throws Exception {
        TokenKeyPair a3 = TokenKeyPair.parsePrivate(vectors.get("a3Key").get("jwk").toString());
        String[] parts = caseById("A.3").get("token").asText().split("\\.");
        byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
        payload[0] ^= 1;
        JWSObject tampered = JWSObject.parse(
                parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "." + parts[2]);

        assertFalse(tampered.verify(new ECDSAVerifier(a3.publicJwk())));
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

    private static JsonNode caseById(String id) {
        for (JsonNode c : vectors.get("cases")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no case " + id + " in token/rfc7515-appendix-a.json");
    }
}
