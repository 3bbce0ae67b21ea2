package nl.betrokken.crypto.log;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import nl.betrokken.crypto.keys.SecretKeyAccess;
import org.junit.jupiter.api.Test;

class SealedEntryTest {

    private static final byte[] ENTRY =
            "{\"action\":\"inzage\",\"by\":\"veilig-thuis\"}".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void commit_matchesThePublishedVectors() {
        JsonNode doc = Vectors.read("/vectors/log/sealed-entry-v1.json");
        List<String> failures = new ArrayList<>();
        for (JsonNode t : doc.get("tests")) {
            byte[] got = SealedEntry.commit(Vectors.hex(t.get("entry")), Vectors.hex(t.get("salt")));
            if (!HexFormat.of().formatHex(got).equals(t.get("commitment").asText())) {
                failures.add("tcId " + t.get("tcId").asInt() + " (" + t.get("desc").asText() + ")");
            }
        }
        assertEquals(4, doc.get("tests").size());
        assertEquals(List.of(), failures);
    }

    @Test
    void verifyRelease_ofTheSealedEntryAndItsSalt_passes() {
        SealedEntry sealed = SealedEntry.seal(ENTRY, RANDOM);

        assertDoesNotThrow(() -> SealedEntry.verifyRelease(sealed.commitment(), ENTRY,
                sealed.salt().copy(SecretKeyAccess.insecure())));
    }

    @Test
    void verifyRelease_withAnotherSalt_throws() {
        SealedEntry sealed = SealedEntry.seal(ENTRY, RANDOM);
        byte[] salt = sealed.salt().copy(SecretKeyAccess.insecure());
        salt[31] ^= 1;

        ReleaseException e = assertThrows(ReleaseException.class,
                () -> SealedEntry.verifyRelease(sealed.commitment(), ENTRY, salt));
        assertEquals("the released entry (" + ENTRY.length + " bytes) and salt do not open commitment "
                + HexFormat.of().formatHex(sealed.commitment()), e.getMessage());
    }

    @Test
    void verifyRelease_withAnyByteOfTheEntryChanged_throws() {
        SealedEntry sealed = SealedEntry.seal(ENTRY, RANDOM);
        byte[] salt = sealed.salt().copy(SecretKeyAccess.insecure());
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < ENTRY.length; i++) {
            byte[] changed = ENTRY.clone();
            changed[i] ^= 0x01;
            try {
                SealedEntry.verifyRelease(sealed.commitment(), changed, salt);
                accepted.add(i);
            } catch (ReleaseException expected) {
                // the commitment binds every byte
            }
        }
        assertEquals(List.of(), accepted);
    }

    @Test
    void verifyRelease_withEntryExtendedOrTruncated_throws() {
        SealedEntry sealed = SealedEntry.seal(ENTRY, RANDOM);
        byte[] salt = sealed.salt().copy(SecretKeyAccess.insecure());

        assertThrows(ReleaseException.class, () -> SealedEntry.verifyRelease(sealed.commitment(),
                Arrays.copyOf(ENTRY, ENTRY.length + 1), salt));
        assertThrows(ReleaseException.class, () -> SealedEntry.verifyRelease(sealed.commitment(),
                Arrays.copyOf(ENTRY, ENTRY.length - 1), salt));
    }

    @Test
    void verifyRelease_withSaltOrCommitmentOfWrongLength_throwsNamingTheLength() {
        SealedEntry sealed = SealedEntry.seal(ENTRY, RANDOM);

        ReleaseException e = assertThrows(ReleaseException.class,
                () -> SealedEntry.verifyRelease(sealed.commitment(), ENTRY, new byte[16]));
        assertEquals("salt is 16 bytes; must be 32", e.getMessage());
        assertThrows(ReleaseException.class, () -> SealedEntry.verifyRelease(new byte[31], ENTRY, new byte[32]));
    }

    @Test
    void seal_ofTheSameEntryTwice_givesDifferentCommitments() {
        SealedEntry first = SealedEntry.seal(ENTRY, RANDOM);
        SealedEntry second = SealedEntry.seal(ENTRY, RANDOM);

        assertFalse(Arrays.equals(first.commitment(), second.commitment()));
    }

    @Test
    void commitment_isTheLeafData_andProvablyInTheLog() throws ProofException {
        LogHasher hasher = LogHasher.rfc6962();
        SealedEntry sealed = SealedEntry.seal(ENTRY, RANDOM);
        List<byte[]> leaves = new ArrayList<>(ProofVerifierTest.leaves(5));
        leaves.add(hasher.hashLeaf(sealed.commitment()));
        leaves.addAll(ProofVerifierTest.leaves(3));

        byte[] released = SealedEntry.commit(ENTRY, sealed.salt().copy(SecretKeyAccess.insecure()));
        ProofVerifier.verifyInclusion(hasher, 5, leaves.size(), hasher.hashLeaf(released),
                MerkleTree.inclusionProof(hasher, leaves, 5), MerkleTree.rootHash(hasher, leaves));
    }

    @Test
    void toString_showsTheCommitment_neverTheSalt() {
        SealedEntry sealed = SealedEntry.seal(ENTRY, RANDOM);

        assertEquals("SealedEntry[commitment=" + HexFormat.of().formatHex(sealed.commitment()) + "]",
                sealed.toString());
        assertEquals("SecretBytes[32 bytes]", sealed.salt().toString());
    }
}
