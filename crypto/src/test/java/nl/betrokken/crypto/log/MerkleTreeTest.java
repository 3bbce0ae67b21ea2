package nl.betrokken.crypto.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    static final LogHasher HASHER = LogHasher.rfc6962();
    static final JsonNode REFERENCE = Vectors.read("/vectors/merkle/rfc6962-reference-tree.json");

    /** The leaf hashes of the eight-leaf reference tree. */
    static List<byte[]> referenceLeafHashes() {
        List<byte[]> leaves = new ArrayList<>();
        REFERENCE.get("leaves").forEach(l -> leaves.add(HASHER.hashLeaf(Vectors.hex(l))));
        return leaves;
    }

    @Test
    void rootHash_ofEachReferenceTree_isThePublishedRoot() {
        List<byte[]> leaves = referenceLeafHashes();
        List<String> failures = new ArrayList<>();
        JsonNode roots = REFERENCE.get("roots");
        for (int size = 1; size <= leaves.size(); size++) {
            String got = HexFormat.of().formatHex(MerkleTree.rootHash(HASHER, leaves.subList(0, size)));
            if (!got.equals(roots.get(size - 1).asText())) {
                failures.add("size " + size + ": got " + got);
            }
        }
        assertEquals(8, roots.size());
        assertEquals(List.of(), failures);
    }

    @Test
    void rootHash_ofNoLeaves_isTheEmptyTreeHash() {
        assertEquals(REFERENCE.get("emptyTreeHash").asText(),
                HexFormat.of().formatHex(MerkleTree.rootHash(HASHER, List.of())));
    }

    @Test
    void inclusionProof_matchesThePublishedPaths() {
        List<byte[]> leaves = referenceLeafHashes();
        List<String> failures = new ArrayList<>();
        for (JsonNode t : REFERENCE.get("inclusionProofs")) {
            int size = t.get("treeSize").asInt();
            List<byte[]> got = MerkleTree.inclusionProof(HASHER, leaves.subList(0, size), t.get("index").asInt());
            if (!hex(got).equals(hex(Vectors.hexList(t.get("path"))))) {
                failures.add(t.get("desc").asText() + ": got " + hex(got));
            }
        }
        assertEquals(5, REFERENCE.get("inclusionProofs").size());
        assertEquals(List.of(), failures);
    }

    @Test
    void consistencyProof_matchesThePublishedProofs() {
        List<byte[]> leaves = referenceLeafHashes();
        List<String> failures = new ArrayList<>();
        for (JsonNode t : REFERENCE.get("consistencyProofs")) {
            int size2 = t.get("size2").asInt();
            List<byte[]> got =
                    MerkleTree.consistencyProof(HASHER, leaves.subList(0, size2), t.get("size1").asInt());
            if (!hex(got).equals(hex(Vectors.hexList(t.get("proof"))))) {
                failures.add(t.get("desc").asText() + ": got " + hex(got));
            }
        }
        assertEquals(5, REFERENCE.get("consistencyProofs").size());
        assertEquals(List.of(), failures);
    }

    @Test
    void inclusionProof_withIndexOutOfBounds_throwsNamingIndexAndSize() {
        List<byte[]> leaves = referenceLeafHashes();

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MerkleTree.inclusionProof(HASHER, leaves, 8));
        assertEquals("index 8 out of bounds for tree size 8", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.inclusionProof(HASHER, leaves, -1));
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.inclusionProof(HASHER, List.of(), 0));
    }

    @Test
    void consistencyProof_fromEmptyTreeOrBeyondTheTree_throws() {
        List<byte[]> leaves = referenceLeafHashes();

        assertThrows(IllegalArgumentException.class, () -> MerkleTree.consistencyProof(HASHER, leaves, 0));
        assertThrows(IllegalArgumentException.class, () -> MerkleTree.consistencyProof(HASHER, leaves, 9));
    }

    @Test
    void consistencyProof_betweenEqualSizes_isEmpty() {
        assertEquals(List.of(), MerkleTree.consistencyProof(HASHER, referenceLeafHashes(), 8));
    }

    @Test
    void rootHash_withLeafHashOfWrongLength_throwsNamingTheLeaf() {
        List<byte[]> leaves = new ArrayList<>(referenceLeafHashes());
        leaves.set(3, new byte[31]);

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MerkleTree.rootHash(HASHER, leaves));
        assertEquals("leaf hash 3 is 31 bytes; must be 32", e.getMessage());
    }

    static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HexFormat.of()::formatHex).toList();
    }
}
