package nl.betrokken.crypto.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenKeyPairTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void generate_keepsKidAndUsesP256() {
        TokenKeyPair pair = TokenKeyPair.generate("node-utrecht-2026-01");

        assertEquals("node-utrecht-2026-01", pair.kid());
        assertEquals("node-utrecht-2026-01", pair.publicJwk().getKeyID());
        assertEquals(Curve.P_256, pair.publicJwk().getCurve());
    }

    @Test
    void generate_withBlankKid_throws() {
        assertThrows(IllegalArgumentException.class, () -> TokenKeyPair.generate(" "));
    }

    @Test
    void publicJwk_hasNoPrivatePart() {
        ECKey publicJwk = TokenKeyPair.generate("k1").publicJwk();

        assertFalse(publicJwk.isPrivate());
        assertNull(publicJwk.getD());
    }

    @Test
    void toString_doesNotContainThePrivateD() throws Exception {
        TokenKeyPair pair = TokenKeyPair.generate("k1");
        String d = JSON.readTree(pair.toPrivateJson()).get("d").asText();

        assertFalse(d.isEmpty());
        assertFalse(pair.toString().contains(d), pair.toString());
        assertTrue(pair.toString().contains("k1"), pair.toString());
    }

    @Test
    void toPrivateJson_thenParsePrivate_signsTokensTheOriginalPublicKeyVerifies() throws Exception {
        TokenKeyPair original = TokenKeyPair.generate("k1");

        TokenKeyPair restored = TokenKeyPair.parsePrivate(original.toPrivateJson());

        assertEquals("k1", restored.kid());
        Instant now = Instant.now();
        String token = Es256TokenSigner.create(restored).sign(TokenClaims.builder()
                .issuer("node").subject("node").audience("coordinator")
                .issuedAt(now).expiresAt(now.plusSeconds(60)).build());
        Es256TokenVerifier.builder()
                .trustedKeys(PublicKeySet.of(original.publicJwk()))
                .expectedAudience("coordinator")
                .build()
                .verify(token);
    }

    @Test
    void parsePrivate_withPublicOnlyJwk_throws() {
        String publicJson = TokenKeyPair.generate("k1").publicJwk().toJSONString();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenKeyPair.parsePrivate(publicJson));
        assertTrue(e.getMessage().contains("no private parameter d"), e.getMessage());
    }

    @Test
    void parsePrivate_withP384Key_throws() throws Exception {
        String json = new ECKeyGenerator(Curve.P_384).keyID("k1").generate().toJSONString();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenKeyPair.parsePrivate(json));
        assertTrue(e.getMessage().contains("P-384"), e.getMessage());
    }

    @Test
    void parsePrivate_withRsaKey_throws() throws Exception {
        String json = new RSAKeyGenerator(2048).keyID("k1").generate().toJSONString();

        assertThrows(IllegalArgumentException.class, () -> TokenKeyPair.parsePrivate(json));
    }

    @Test
    void parsePrivate_withoutKid_throws() throws Exception {
        String json = new ECKeyGenerator(Curve.P_256).generate().toJSONString();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenKeyPair.parsePrivate(json));
        assertTrue(e.getMessage().contains("no kid"), e.getMessage());
    }

    @Test
    void parsePrivate_withDOfAnotherKey_throws() throws Exception {
        JsonNode mine = JSON.readTree(TokenKeyPair.generate("k1").toPrivateJson());
        String otherD = JSON.readTree(TokenKeyPair.generate("k2").toPrivateJson()).get("d").asText();
        String spliced = mine.toString().replace(mine.get("d").asText(), otherD);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenKeyPair.parsePrivate(spliced));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
        assertFalse(e.getMessage().contains(otherD), e.getMessage());
    }

    @Test
    void parsePrivate_withGarbage_throwsWithoutEchoingInput() {
        String garbage = "{\"kty\":\"EC\",\"d\":\"c2VjcmV0\"";

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenKeyPair.parsePrivate(garbage));
        assertFalse(e.getMessage().contains("c2VjcmV0"), e.getMessage());
    }

    @Test
    void generate_withoutKid_namesTheKeyByItsRfc7638Thumbprint() throws Exception {
        TokenKeyPair pair = TokenKeyPair.generate();
        assertEquals(pair.publicJwk().computeThumbprint().toString(), pair.kid());
        assertEquals(43, pair.kid().length(), "SHA-256, base64url without padding");
        assertTrue(pair.hasThumbprintKid());
    }

    @Test
    void withThumbprintKid_keepsTheKeyAndRenamesIt() {
        TokenKeyPair legacy = TokenKeyPair.generate("noord-1");
        assertFalse(legacy.hasThumbprintKid());
        TokenKeyPair renamed = legacy.withThumbprintKid();
        assertEquals(TokenKeyPair.thumbprint(legacy.publicJwk()), renamed.kid());
        assertEquals(legacy.publicJwk().getX(), renamed.publicJwk().getX());
        assertEquals(legacy.publicJwk().getY(), renamed.publicJwk().getY());
        assertTrue(TokenKeyPair.parsePrivate(renamed.toPrivateJson()).hasThumbprintKid(), "the private half comes along");
    }

    @Test
    void byThumbprint_refusesOneKeyUnderTwoKeyIds() {
        TokenKeyPair a = TokenKeyPair.generate("a-1");
        TokenKeyPair sameKeyOtherId = TokenKeyPair.parsePrivate(a.toPrivateJson().replace("\"a-1\"", "\"b-1\""));
        PublicKeySet twice = PublicKeySet.of(a.publicJwk(), sameKeyOtherId.publicJwk());
        assertThrows(IllegalArgumentException.class, twice::byThumbprint);
        assertEquals(java.util.Set.of(TokenKeyPair.thumbprint(a.publicJwk())),
                PublicKeySet.of(a.publicJwk()).byThumbprint().keyIds());
    }
}
