package nl.betrokken.crypto.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import nl.betrokken.crypto.keys.SecretBytes;
import org.junit.jupiter.api.Test;

class CosignatureV1Test {

    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    private static final byte[] TEXT = "betrokken.nl/node/utrecht\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
            .getBytes(StandardCharsets.UTF_8);

    private static CosignatureV1Signer cosigner() {
        return CosignatureV1Signer.fromSeed("betrokken.nl/coordinator", SecretBytes.random(32, new SecureRandom()),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void sign_thenVerify_statesTheSigningSecond() throws NoteException {
        CosignatureV1Signer cosigner = cosigner();
        byte[] signature = cosigner.sign(TEXT);

        cosigner.verifier().verify(TEXT, signature);
        assertEquals(72, signature.length);
        assertEquals(NOW.getEpochSecond(), ByteBuffer.wrap(signature).getLong());
        assertEquals(Optional.of(NOW), cosigner.verifier().timestamp(signature));
    }

    @Test
    void verify_withChangedTimestamp_throwsBadSignature() {
        CosignatureV1Signer cosigner = cosigner();
        byte[] signature = cosigner.sign(TEXT);
        signature[7] ^= 1; // one second later: the time is signed too

        NoteException e = assertThrows(NoteException.class, () -> cosigner.verifier().verify(TEXT, signature));
        assertEquals(NoteException.Reason.BAD_SIGNATURE, e.reason());
    }

    @Test
    void verify_ofPlainEd25519Signature_throwsNamingTheLengths() {
        CosignatureV1Signer cosigner = cosigner();

        NoteException e = assertThrows(NoteException.class, () -> cosigner.verifier().verify(TEXT, new byte[64]));
        assertEquals("BAD_SIGNATURE: cosignature by key " + cosigner.keyName() + "+"
                + String.format("%08x", cosigner.keyId()) + " is 64 bytes; a cosignature/v1 is an 8-byte timestamp"
                + " and a 64-byte Ed25519 signature", e.getMessage());
    }

    @Test
    void keyId_differsFromTheEd25519NoteKeyOfTheSameSeed() {
        SecretBytes seed = SecretBytes.random(32, new SecureRandom());
        CosignatureV1Signer cosigner = CosignatureV1Signer.fromSeed("k", seed, Clock.systemUTC());
        Ed25519NoteSigner signer = Ed25519NoteSigner.fromSeed("k", seed);

        assertNotEquals(signer.keyId(), cosigner.keyId());
        assertNotEquals(signer.verifier().verifierKey(), cosigner.verifier().verifierKey());
    }

    @Test
    void sign_beforeTheEpoch_throws() {
        CosignatureV1Signer cosigner = CosignatureV1Signer.fromSeed("k", SecretBytes.random(32, new SecureRandom()),
                Clock.fixed(Instant.parse("1969-12-31T23:59:59Z"), ZoneOffset.UTC));

        assertThrows(IllegalStateException.class, () -> cosigner.sign(TEXT));
    }
}
