package nl.betrokken.crypto.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleFrontierTest {

    private static final LogHasher HASHER = LogHasher.rfc6962();

    @Test
    void rootHash_afterEachAppendOfTheReferenceTree_isThePublishedRoot() {
        JsonNode roots = MerkleTreeTest.REFERENCE.get("roots");
        MerkleFrontier frontier = MerkleFrontier.empty(HASHER);
        List<String> failures = new ArrayList<>();
        int size = 0;
        for (byte[] leaf : MerkleTreeTest.referenceLeafHashes()) {
            frontier = frontier.append(leaf);
            size++;
            String got = HexFormat.of().formatHex(frontier.rootHash());
            if (frontier.size() != size || !got.equals(roots.get(size - 1).asText())) {
                failures.add("size " + size + ": got size " + frontier.size() + ", root " + got);
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void rootHash_ofEmptyFrontier_isTheEmptyTreeHash() {
        assertEquals(MerkleTreeTest.REFERENCE.get("emptyTreeHash").asText(),
                HexFormat.of().formatHex(MerkleFrontier.empty(HASHER).rootHash()));
    }

    @Test
    void rootHash_equalsMerkleTreeRoot_forEverySizeUpTo300_andKeepsOneNodePerSetBit() {
        List<byte[]> leaves = new ArrayList<>();
        MerkleFrontier frontier = MerkleFrontier.empty(HASHER);
        List<String> failures = new ArrayList<>();
        for (int size = 1; size <= 300; size++) {
            byte[] leaf = HASHER.hashLeaf(ByteBuffer.allocate(4).putInt(size).array());
            leaves.add(leaf);
            frontier = frontier.append(leaf);
            if (!Arrays.equals(frontier.rootHash(), MerkleTree.rootHash(HASHER, leaves))) {
                failures.add("root of size " + size);
            }
            if (frontier.nodes().size() != Integer.bitCount(size)) {
                failures.add("size " + size + " has " + frontier.nodes().size() + " nodes");
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void restore_fromNodesAndSize_continuesTheSameTree() {
        List<byte[]> leaves = MerkleTreeTest.referenceLeafHashes();
        MerkleFrontier five = MerkleFrontier.empty(HASHER);
        for (byte[] leaf : leaves.subList(0, 5)) {
            five = five.append(leaf);
        }

        MerkleFrontier restored = MerkleFrontier.restore(HASHER, five.size(), five.nodes());
        for (byte[] leaf : leaves.subList(5, 8)) {
            restored = restored.append(leaf);
        }

        assertEquals(8, restored.size());
        assertArrayEquals(MerkleTree.rootHash(HASHER, leaves), restored.rootHash());
    }

    @Test
    void restore_withWrongNodeCount_throwsNamingSizeAndCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MerkleFrontier.restore(HASHER, 13, List.of(new byte[32], new byte[32])));
        assertEquals("a frontier of tree size 13 has 3 nodes, not 2", e.getMessage());
    }

    @Test
    void append_withLeafHashOfWrongLength_throws() {
        assertThrows(IllegalArgumentException.class, () -> MerkleFrontier.empty(HASHER).append(new byte[31]));
    }

    @Test
    void append_leavesTheOriginalUnchanged() {
        MerkleFrontier empty = MerkleFrontier.empty(HASHER);
        MerkleFrontier one = empty.append(HASHER.hashLeaf(new byte[0]));

        assertEquals(0, empty.size());
        assertEquals(1, one.size());
    }
}
