package nl.betrokken.crypto.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublicKeySetTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TokenKeyPair UTRECHT = TokenKeyPair.generate("node-utrecht-2026-01");
    private static final TokenKeyPair ZWOLLE = TokenKeyPair.generate("node-zwolle-2026-01");

    @Test
    void toJson_thenParse_roundTripsWithoutPrivateParameter() throws Exception {
        PublicKeySet set = PublicKeySet.of(UTRECHT.publicJwk(), ZWOLLE.publicJwk());

        String json = set.toJson();

        assertEquals(set, PublicKeySet.parse(json));
        JsonNode document = JSON.readTree(json);
        assertEquals(1, document.size(), json);
        assertEquals(2, document.get("keys").size(), json);
        for (JsonNode key : document.get("keys")) {
            assertFalse(key.has("d"), json);
            assertEquals("EC", key.get("kty").asText());
            assertEquals("P-256", key.get("crv").asText());
        }
        assertEquals(List.of("node-utrecht-2026-01", "node-zwolle-2026-01"), List.copyOf(set.keyIds()));
    }

    @Test
    void find_returnsTheKeyWithThatKid() {
        PublicKeySet set = PublicKeySet.of(UTRECHT.publicJwk(), ZWOLLE.publicJwk());

        assertEquals(Optional.of(ZWOLLE.publicJwk()), set.find("node-zwolle-2026-01"));
        assertEquals(Optional.empty(), set.find("node-amsterdam-2026-01"));
        assertEquals(Optional.empty(), set.find(null));
    }

    @Test
    void with_returnsNewSetAndLeavesTheOriginalAlone() {
        PublicKeySet one = PublicKeySet.of(UTRECHT.publicJwk());

        PublicKeySet two = one.with(ZWOLLE.publicJwk());

        assertEquals(1, one.keyIds().size());
        assertEquals(2, two.keyIds().size());
    }

    @Test
    void with_privateKey_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PublicKeySet.empty().with(UTRECHT.privateJwk()));
        assertTrue(e.getMessage().contains("node-utrecht-2026-01"), e.getMessage());
    }

    @Test
    void with_rsaKey_throws() throws Exception {
        var rsa = new RSAKeyGenerator(2048).keyID("rsa").generate().toPublicJWK();

        assertThrows(IllegalArgumentException.class, () -> PublicKeySet.empty().with(rsa));
    }

    @Test
    void with_p384Key_throws() throws Exception {
        ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("p384").generate().toPublicJWK();

        assertThrows(IllegalArgumentException.class, () -> PublicKeySet.empty().with(p384));
    }

    @Test
    void with_keyForAnotherAlgorithm_throws() {
        ECKey es384 = new ECKey.Builder(UTRECHT.publicJwk()).algorithm(JWSAlgorithm.ES384).build();

        assertThrows(IllegalArgumentException.class, () -> PublicKeySet.empty().with(es384));
    }

    @Test
    void with_encryptionKey_throws() {
        ECKey enc = new ECKey.Builder(UTRECHT.publicJwk()).keyUse(KeyUse.ENCRYPTION).build();

        assertThrows(IllegalArgumentException.class, () -> PublicKeySet.empty().with(enc));
    }

    @Test
    void with_keyWithoutKid_throws() {
        ECKey noKid = new ECKey.Builder(UTRECHT.publicJwk()).keyID(null).build();

        assertThrows(IllegalArgumentException.class, () -> PublicKeySet.empty().with(noKid));
    }

    @Test
    void with_duplicateKid_throws() {
        PublicKeySet set = PublicKeySet.of(UTRECHT.publicJwk());
        ECKey sameKid = TokenKeyPair.generate(UTRECHT.kid()).publicJwk();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> set.with(sameKid));
        assertTrue(e.getMessage().contains("already in the set"), e.getMessage());
    }

    @Test
    void parse_withPrivateKey_throws() {
        String json = "{\"keys\":[" + UTRECHT.toPrivateJson() + "]}";

        assertThrows(IllegalArgumentException.class, () -> PublicKeySet.parse(json));
    }

    @Test
    void parse_withUnknownKeyType_throws() {
        assertThrows(IllegalArgumentException.class,
                () -> PublicKeySet.parse("{\"keys\":[{\"kty\":\"XYZ\",\"kid\":\"k\"}]}"));
    }

    @Test
    void parse_withPointOffTheCurve_throws() throws Exception {
        JsonNode key = JSON.readTree(UTRECHT.publicJwk().toJSONString());
        String offCurve = key.toString().replace(key.get("y").asText(), key.get("x").asText());

        assertThrows(IllegalArgumentException.class, () -> PublicKeySet.parse("{\"keys\":[" + offCurve + "]}"));
    }

    @Test
    void parse_withoutKeysArray_throws() {
        assertThrows(IllegalArgumentException.class, () -> PublicKeySet.parse("{\"key\":[]}"));
        assertThrows(IllegalArgumentException.class, () -> PublicKeySet.parse("[]"));
        assertThrows(IllegalArgumentException.class, () -> PublicKeySet.parse("{\"keys\":[\"k\"]}"));
    }

    @Test
    void parse_ignoresOtherMembers() {
        String json = "{\"keys\":[" + UTRECHT.publicJwk().toJSONString() + "],\"comment\":\"node keys\"}";

        assertEquals(PublicKeySet.of(UTRECHT.publicJwk()), PublicKeySet.parse(json));
    }
}
