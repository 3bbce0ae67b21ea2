package nl.betrokken.crypto.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProofVerifierTest {

    private static final LogHasher HASHER = LogHasher.rfc6962();

    // --- published vectors -------------------------------------------------------------------------------------

    @Test
    void referenceTreeProofs_verifyAgainstPublishedRoots() {
        JsonNode ref = MerkleTreeTest.REFERENCE;
        List<byte[]> leaves = MerkleTreeTest.referenceLeafHashes();
        List<byte[]> roots = Vectors.hexList(ref.get("roots"));
        List<String> failures = new ArrayList<>();
        for (JsonNode t : ref.get("inclusionProofs")) {
            int index = t.get("index").asInt();
            int size = t.get("treeSize").asInt();
            try {
                ProofVerifier.verifyInclusion(HASHER, index, size, leaves.get(index),
                        Vectors.hexList(t.get("path")), roots.get(size - 1));
            } catch (ProofException e) {
                failures.add(t.get("desc").asText() + ": " + e.getMessage());
            }
        }
        for (JsonNode t : ref.get("consistencyProofs")) {
            int size1 = t.get("size1").asInt();
            int size2 = t.get("size2").asInt();
            try {
                ProofVerifier.verifyConsistency(HASHER, size1, size2, Vectors.hexList(t.get("proof")),
                        roots.get(size1 - 1), roots.get(size2 - 1));
            } catch (ProofException e) {
                failures.add(t.get("desc").asText() + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void inclusionProbes_ofTransparencyDev_failExactlyWhereTheySay() {
        // leafIdx is a uint64 in the Go tests; read it as the same 64 bits, so 2^64 - 1 becomes -1.
        List<String> failures = probe("/vectors/merkle/inclusion", 20,
                t -> ProofVerifier.verifyInclusion(HASHER, uint64(t.get("leafIdx")), uint64(t.get("treeSize")),
                        Vectors.base64(t.get("leafHash")), Vectors.base64List(t.get("proof")),
                        Vectors.base64(t.get("root"))));
        assertEquals(List.of(), failures);
    }

    @Test
    void consistencyProbes_ofTransparencyDev_failExactlyWhereTheySay() {
        List<String> failures = probe("/vectors/merkle/consistency", 26,
                t -> ProofVerifier.verifyConsistency(HASHER, uint64(t.get("size1")), uint64(t.get("size2")),
                        Vectors.base64List(t.get("proof")), Vectors.base64(t.get("root1")),
                        Vectors.base64(t.get("root2"))));
        assertEquals(List.of(), failures);
    }

    /** A verification of one probe file of transparency-dev/merkle's testdata. */
    private interface Probe {
        void run(JsonNode probe) throws ProofException;
    }

    /** Runs every probe file under {@code directory}; returns those that did not fail exactly when they say. */
    private static List<String> probe(String directory, int expectedFiles, Probe probe) {
        List<Path> files = Vectors.files(directory);
        assertEquals(expectedFiles, files.size(), "probe files under " + directory);
        List<String> failures = new ArrayList<>();
        for (Path file : files) {
            JsonNode t = Vectors.read(file);
            String id = file.getParent().getFileName() + "/" + file.getFileName() + " (" + t.get("desc").asText()
                    + ")";
            boolean wantErr = t.get("wantErr").asBoolean();
            try {
                probe.run(t);
                if (wantErr) {
                    failures.add(id + ": verified, want an error");
                }
            } catch (ProofException e) {
                if (!wantErr) {
                    failures.add(id + ": " + e.getMessage());
                }
            }
        }
        return failures;
    }

    private static long uint64(JsonNode n) {
        return n.bigIntegerValue().longValue();
    }

    // --- property: every generated proof verifies, every flipped bit fails ---------------------------------------

    /**
     * Sizes 1, 2, 3, 200 and four random ones: every inclusion and consistency proof of those trees verifies, and
     * fails once any of 8 random bits of any proof hash, of the leaf hash or of a root is flipped. Trees of 13 and
     * 37 leaves get every one of the 256 bits flipped instead (both take the non-power-of-two paths).
     */
    @Test
    void generatedProofs_forRandomSizesUpTo200_verify_andAFlippedBitFails() {
        long seed = 20260601L;
        Random random = new Random(seed);
        TreeSet<Integer> sizes = new TreeSet<>(List.of(1, 2, 3, 200));
        while (sizes.size() < 8) {
            sizes.add(4 + random.nextInt(196));
        }
        List<String> failures = new ArrayList<>();
        for (int size : sizes) {
            checkTree(size, () -> randomBits(random, 8), failures);
        }
        for (int size : List.of(13, 37)) {
            checkTree(size, ProofVerifierTest::allBits, failures);
        }
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())),
                failures.size() + " failures; sizes " + sizes + " (seed " + seed + ")");
    }

    private static void checkTree(int size, Supplier<int[]> bits, List<String> failures) {
        List<byte[]> leaves = leaves(size);
        byte[] root = MerkleTree.rootHash(HASHER, leaves);
        for (int index = 0; index < size; index++) {
            int i = index;
            List<byte[]> proof = MerkleTree.inclusionProof(HASHER, leaves, i);
            checkProof("inclusion " + i + "/" + size, proof, List.of(leaves.get(i), root), bits,
                    (p, h) -> ProofVerifier.verifyInclusion(HASHER, i, size, h.get(0), p, h.get(1)), failures);
        }
        for (int size1 = 1; size1 <= size; size1++) {
            int s1 = size1;
            List<byte[]> proof = MerkleTree.consistencyProof(HASHER, leaves, s1);
            byte[] root1 = MerkleTree.rootHash(HASHER, leaves.subList(0, s1));
            checkProof("consistency " + s1 + "->" + size, proof, List.of(root1, root), bits,
                    (p, h) -> ProofVerifier.verifyConsistency(HASHER, s1, size, p, h.get(0), h.get(1)), failures);
        }
    }

    /**
     * Verifies the proof, then flips bits of each proof hash and of each of the other hashes (leaf and root, or
     * both roots) and expects every flipped variant to fail.
     */
    private static void checkProof(String id, List<byte[]> proof, List<byte[]> hashes, Supplier<int[]> bits,
            Verification verification, List<String> failures) {
        if (fails(verification, proof, hashes)) {
            failures.add(id + " does not verify");
            return;
        }
        for (int e = 0; e < proof.size(); e++) {
            for (int bit : bits.get()) {
                if (!fails(verification, withBitFlipped(proof, e, bit), hashes)) {
                    failures.add(id + " verifies with proof[" + e + "] bit " + bit + " flipped");
                }
            }
        }
        for (int h = 0; h < hashes.size(); h++) {
            for (int bit : bits.get()) {
                if (!fails(verification, proof, withBitFlipped(hashes, h, bit))) {
                    failures.add(id + " verifies with hash " + h + " (leaf or root) bit " + bit + " flipped");
                }
            }
        }
    }

    private static int[] randomBits(Random random, int count) {
        return random.ints(count, 0, 256).toArray();
    }

    private static int[] allBits() {
        return IntStream.range(0, 256).toArray();
    }

    /** A verification of a proof against the hashes it connects. */
    private interface Verification {
        void run(List<byte[]> proof, List<byte[]> hashes) throws ProofException;
    }

    private static boolean fails(Verification v, List<byte[]> proof, List<byte[]> hashes) {
        try {
            v.run(proof, hashes);
            return false;
        } catch (ProofException e) {
            return true;
        }
    }

    private static List<byte[]> withBitFlipped(List<byte[]> hashes, int element, int bit) {
        List<byte[]> copy = new ArrayList<>(hashes);
        copy.set(element, flip(hashes.get(element), bit));
        return copy;
    }

    private static byte[] flip(byte[] hash, int bit) {
        byte[] copy = hash.clone();
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    static List<byte[]> leaves(int size) {
        List<byte[]> leaves = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            leaves.add(HASHER.hashLeaf(ByteBuffer.allocate(4).putInt(i).array()));
        }
        return leaves;
    }

    // --- messages and preconditions -----------------------------------------------------------------------------

    @Test
    void verifyInclusion_withIndexBeyondSize_throwsNamingIndexAndSize() {
        ProofException e = assertThrows(ProofException.class,
                () -> ProofVerifier.verifyInclusion(HASHER, 12, 10, new byte[32], List.of(), new byte[32]));
        assertEquals("index 12 out of bounds for tree size 10", e.getMessage());
    }

    @Test
    void verifyInclusion_withProofOneHashTooLong_throwsNamingBothLengths() {
        List<byte[]> leaves = leaves(8);
        List<byte[]> proof = new ArrayList<>(MerkleTree.inclusionProof(HASHER, leaves, 0));
        proof.add(new byte[32]);

        ProofException e = assertThrows(ProofException.class, () -> ProofVerifier.verifyInclusion(HASHER, 0, 8,
                leaves.get(0), proof, MerkleTree.rootHash(HASHER, leaves)));
        assertEquals("proof has 4 hashes; an inclusion proof for index 0 in a tree of size 8 has 3", e.getMessage());
    }

    @Test
    void verifyInclusion_withEmptyProofElement_throwsNamingTheElement() {
        List<byte[]> leaves = leaves(2);

        ProofException e = assertThrows(ProofException.class, () -> ProofVerifier.verifyInclusion(HASHER, 0, 2,
                leaves.get(0), List.of(new byte[0]), MerkleTree.rootHash(HASHER, leaves)));
        assertEquals("proof[0] is 0 bytes; must be 32", e.getMessage());
    }

    @Test
    void verifyInclusion_ofWrongLeaf_throwsRootMismatchCarryingBothRoots() throws ProofException {
        List<byte[]> leaves = leaves(5);
        byte[] root = MerkleTree.rootHash(HASHER, leaves);
        List<byte[]> proof = MerkleTree.inclusionProof(HASHER, leaves, 3);

        RootMismatchException e = assertThrows(RootMismatchException.class,
                () -> ProofVerifier.verifyInclusion(HASHER, 3, 5, leaves.get(2), proof, root));
        assertArrayEquals(root, e.expectedRoot());
        assertArrayEquals(ProofVerifier.rootFromInclusionProof(HASHER, 3, 5, leaves.get(2), proof),
                e.calculatedRoot());
    }

    @Test
    void verifyConsistency_betweenEqualSizes_needsEqualRootsAndEmptyProof() {
        byte[] root = MerkleTree.rootHash(HASHER, leaves(4));

        assertDoesNotThrow(() -> ProofVerifier.verifyConsistency(HASHER, 4, 4, List.of(), root, root));
        assertThrows(RootMismatchException.class,
                () -> ProofVerifier.verifyConsistency(HASHER, 4, 4, List.of(), root, HASHER.emptyRoot()));
        assertThrows(ProofException.class,
                () -> ProofVerifier.verifyConsistency(HASHER, 4, 4, List.of(root), root, root));
    }

    @Test
    void verifyConsistency_fromEmptyTree_isRefusedAsMeaningless() {
        byte[] root = MerkleTree.rootHash(HASHER, leaves(3));

        ProofException e = assertThrows(ProofException.class,
                () -> ProofVerifier.verifyConsistency(HASHER, 0, 3, List.of(), HASHER.emptyRoot(), root));
        assertEquals("a consistency proof from the empty tree to size 3 is meaningless: every tree extends the"
                + " empty tree", e.getMessage());
    }

    @Test
    void verifyConsistency_withShrinkingSize_throwsNamingBothSizes() {
        ProofException e = assertThrows(ProofException.class, () -> ProofVerifier.verifyConsistency(HASHER, 9, 8,
                List.of(), new byte[32], new byte[32]));
        assertEquals("size1 9 and size2 8 must satisfy 0 <= size1 <= size2", e.getMessage());
    }

    @Test
    void verifyConsistency_withTruncatedProof_throwsNamingBothLengths() {
        List<byte[]> leaves = leaves(8);
        List<byte[]> proof = MerkleTree.consistencyProof(HASHER, leaves, 6);

        ProofException e = assertThrows(ProofException.class, () -> ProofVerifier.verifyConsistency(HASHER, 6, 8,
                proof.subList(0, 2), MerkleTree.rootHash(HASHER, leaves.subList(0, 6)),
                MerkleTree.rootHash(HASHER, leaves)));
        assertEquals("proof has 2 hashes; a consistency proof from size 6 to size 8 has 3", e.getMessage());
    }
}
