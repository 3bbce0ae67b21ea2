package nl.betrokken.crypto.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoteVerifierTest {

    private static final String PETER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

    @Test
    void parse_publishedVerifierKeys_acceptsExactlyTheValidOnes() {
        JsonNode doc = Vectors.read("/vectors/log/verifier-keys.json");
        List<String> failures = new ArrayList<>();
        for (JsonNode t : doc.get("tests")) {
            String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("desc").asText() + ")";
            String vkey = t.get("vkey").asText();
            NoteVerifier verifier;
            try {
                verifier = NoteVerifier.parse(vkey);
            } catch (IllegalArgumentException e) {
                if (!t.get("wantErr").asBoolean()) {
                    failures.add(id + ": " + e.getMessage());
                }
                continue;
            }
            if (t.get("wantErr").asBoolean()) {
                failures.add(id + ": accepted");
                continue;
            }
            Class<?> type = t.get("type").asInt() == 1 ? Ed25519NoteVerifier.class : CosignatureV1Verifier.class;
            if (!verifier.keyName().equals(t.get("name").asText())
                    || !HexFormat.of().toHexDigits(verifier.keyId()).equals(t.get("keyId").asText())
                    || !type.isInstance(verifier) || !verifier.verifierKey().equals(vkey)) {
                failures.add(id + ": parsed as " + verifier + ", written back as " + verifier.verifierKey());
            }
        }
        assertEquals(16, doc.get("tests").size());
        assertEquals(List.of(), failures);
    }

    @Test
    void fromSeed_ofPublishedSignerKeys_derivesThePublishedVerifierKey() {
        JsonNode doc = Vectors.read("/vectors/log/verifier-keys.json");
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (JsonNode t : doc.get("tests")) {
            if (!t.has("skey")) {
                continue;
            }
            count++;
            Ed25519NoteSigner signer = Ed25519NoteSigner.fromSeed(t.get("name").asText(),
                    Vectors.seedOfGoSignerKey(t.get("skey").asText()));
            if (!signer.verifier().verifierKey().equals(t.get("vkey").asText())) {
                failures.add("tcId " + t.get("tcId").asInt() + ": derived " + signer.verifier().verifierKey());
            }
        }
        assertEquals(5, count);
        assertEquals(List.of(), failures);
    }

    /** As golang.org/x/mod's TestNewVerifier: every substring and every single-byte change of a key is refused. */
    @Test
    void parse_everyManglingOfAValidKey_isRefused() {
        byte[] b = PETER.getBytes(StandardCharsets.US_ASCII);
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i <= b.length; i++) {
            for (int j = i + 1; j <= b.length; j++) {
                if (i != 0 || j != b.length) {
                    tryParse(new String(b, i, j - i, StandardCharsets.US_ASCII), accepted);
                }
            }
        }
        for (int i = 0; i < b.length; i++) {
            b[i]++;
            tryParse(new String(b, StandardCharsets.US_ASCII), accepted);
            b[i]--;
        }
        assertEquals(List.of(), accepted);
    }

    private static void tryParse(String vkey, List<String> accepted) {
        try {
            NoteVerifier.parse(vkey);
            accepted.add(vkey);
        } catch (IllegalArgumentException expected) {
            // refused, as it should be
        }
    }

    @Test
    void parse_withKeyIdThatDoesNotMatch_namesBothIds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NoteVerifier.parse(PETER.replace("c74f20a3", "c74f20a4")));
        assertEquals("key id c74f20a4 of verifier key 'PeterNeumann' does not match its key, whose id is c74f20a3",
                e.getMessage());
    }

    @Test
    void parse_cosignatureKeyAsEd25519NoteKey_isRefusedNamingTheType() {
        String remora = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Ed25519NoteVerifier.parse(remora));
        assertEquals("verifier key 'remora.n621.de' is of type 0x04; an Ed25519 note key has type 0x01",
                e.getMessage());
        assertInstanceOf(CosignatureV1Verifier.class, NoteVerifier.parse(remora));
        assertThrows(IllegalArgumentException.class, () -> CosignatureV1Verifier.parse(PETER));
    }

    @Test
    void verify_withFlippedSignatureBit_throwsBadSignature() {
        Ed25519NoteSigner signer = Vectors.publishedSigner("Log");
        byte[] text = "hi\n".getBytes(StandardCharsets.UTF_8);
        byte[] signature = signer.sign(text);
        signature[0] ^= 1;

        NoteException e = assertThrows(NoteException.class, () -> signer.verifier().verify(text, signature));
        assertEquals(NoteException.Reason.BAD_SIGNATURE, e.reason());
        assertEquals("BAD_SIGNATURE: signature by key Log+2271c621 does not verify", e.getMessage());
    }

    @Test
    void fromSeed_withInvalidKeyName_throws() {
        var seed = Vectors.seedOfGoSignerKey("PRIVATE+KEY+Log+2271c621+AdEIq9FLRQni54Wg68T96VJO+iayOaulswav2DUMKgvQ");

        assertThrows(IllegalArgumentException.class, () -> Ed25519NoteSigner.fromSeed("a b", seed));
        assertThrows(IllegalArgumentException.class, () -> Ed25519NoteSigner.fromSeed("a+b", seed));
        assertThrows(IllegalArgumentException.class, () -> Ed25519NoteSigner.fromSeed("", seed));
    }

    @Test
    void toString_namesTheKey_withoutKeyMaterial() {
        assertEquals("Ed25519NoteSigner[Log+2271c621]", Vectors.publishedSigner("Log").toString());
    }
}
