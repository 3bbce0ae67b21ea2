package nl.betrokken.crypto.aead.subtle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.AEADBadTagException;
import nl.betrokken.crypto.keys.SecretBytes;
import nl.betrokken.crypto.keys.SecretKeyAccess;
import org.junit.jupiter.api.Test;

class AesGcmTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] NO_AAD = new byte[0];

    @Test
    void encryptAndDecrypt_matchPublishedVectors() throws Exception {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/vectors/aead/aes-gcm-256.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (JsonNode t : doc.get("tests")) {
            count++;
            String id = "tcId " + t.get("tcId").asInt() + " (" + t.get("desc").asText() + ")";
            AesGcm gcm = AesGcm.create(SecretBytes.copyFrom(hex(t, "key"), SecretKeyAccess.insecure()));
            byte[] iv = hex(t, "iv");
            byte[] aad = hex(t, "aad");
            byte[] msg = hex(t, "msg");
            byte[] wire = concat(iv, hex(t, "ct"), hex(t, "tag"));
            String wantErr = t.get("wantErr").isNull() ? null : t.get("wantErr").asText();
            boolean valid = t.get("result").asText().equals("valid");
            if (valid != (wantErr == null)) {
                failures.add(id + ": result and wantErr disagree");
                continue;
            }
            if (valid && !Arrays.equals(gcm.encrypt(iv, msg, aad), wire)) {
                failures.add(id + ": encrypt differs");
            }
            try {
                byte[] got = gcm.decrypt(wire, aad);
                if (!valid) {
                    failures.add(id + ": decrypt accepted an invalid ciphertext");
                } else if (!Arrays.equals(got, msg)) {
                    failures.add(id + ": decrypt differs");
                }
            } catch (AEADBadTagException e) {
                if (valid) {
                    failures.add(id + ": decrypt refused a valid ciphertext");
                } else if (!e.getMessage().equals(wantErr)) {
                    failures.add(id + ": message was '" + e.getMessage() + "'");
                }
            }
        }
        assertEquals(6, count);
        assertEquals(List.of(), failures);
    }

    @Test
    void create_withKeyOtherThan32Bytes_throws() {
        for (int size : new int[] {16, 24, 31, 33}) {
            InvalidKeyException e = assertThrows(InvalidKeyException.class,
                    () -> AesGcm.create(SecretBytes.random(size, RANDOM)));
            assertEquals("AES-GCM key is " + size + " bytes; must be 32", e.getMessage());
        }
    }

    @Test
    void encrypt_writesNonceThenCiphertextThenTag() throws GeneralSecurityException {
        AesGcm gcm = AesGcm.create(SecretBytes.random(32, RANDOM));
        byte[] plaintext = "Jan Jansen".getBytes(StandardCharsets.UTF_8);
        byte[] c = gcm.encrypt(plaintext, NO_AAD);
        assertEquals(12 + plaintext.length + 16, c.length);
        assertArrayEquals(c, gcm.encrypt(Arrays.copyOf(c, 12), plaintext, NO_AAD));
        assertArrayEquals(plaintext, gcm.decrypt(c, NO_AAD));
    }

    @Test
    void decrypt_withAnyFailure_throwsOneFlatMessageWithoutCause() throws GeneralSecurityException {
        AesGcm gcm = AesGcm.create(SecretBytes.random(32, RANDOM));
        byte[] aad = "row 7".getBytes(StandardCharsets.US_ASCII);
        byte[] c = gcm.encrypt("111222333".getBytes(StandardCharsets.US_ASCII), aad);
        byte[] flipped = c.clone();
        flipped[c.length - 1] ^= 1;
        List<byte[]> bad = List.of(flipped, Arrays.copyOf(c, 27), new byte[0]);
        for (byte[] b : bad) {
            AEADBadTagException e = assertThrows(AEADBadTagException.class, () -> gcm.decrypt(b, aad));
            assertEquals("decryption failed", e.getMessage());
            assertNull(e.getCause());
        }
        assertEquals("decryption failed",
                assertThrows(AEADBadTagException.class, () -> gcm.decrypt(c, NO_AAD)).getMessage());
        AesGcm other = AesGcm.create(SecretBytes.random(32, RANDOM));
        assertEquals("decryption failed",
                assertThrows(AEADBadTagException.class, () -> other.decrypt(c, aad)).getMessage());
    }

    @Test
    void encrypt_fromManyThreads_roundTrips() throws Exception {
        AesGcm gcm = AesGcm.create(SecretBytes.random(32, RANDOM));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                byte[] plaintext = ("message " + i).getBytes(StandardCharsets.US_ASCII);
                results.add(pool.submit(() -> gcm.decrypt(gcm.encrypt(plaintext, NO_AAD), NO_AAD)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals("message " + i, new String(results.get(i).get(), StandardCharsets.US_ASCII));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void toString_showsNoKey() throws GeneralSecurityException {
        assertEquals("AesGcm[256-bit key]", AesGcm.create(SecretBytes.random(32, RANDOM)).toString());
    }

    private static byte[] hex(JsonNode t, String field) {
        return HEX.parseHex(t.get(field).asText());
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
