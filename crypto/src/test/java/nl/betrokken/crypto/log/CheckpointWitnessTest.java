package nl.betrokken.crypto.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import nl.betrokken.crypto.keys.SecretBytes;
import org.junit.jupiter.api.Test;

class CheckpointWitnessTest {

    private static final String ORIGIN = "betrokken.nl/node/utrecht";
    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    private static final LogHasher HASHER = LogHasher.rfc6962();

    private final Ed25519NoteSigner node = Ed25519NoteSigner.fromSeed(ORIGIN, seed());
    private final CosignatureV1Signer coordinator =
            CosignatureV1Signer.fromSeed("betrokken.nl/coordinator", seed(), Clock.fixed(NOW, ZoneOffset.UTC));
    private final CheckpointWitness witness = CheckpointWitness.create(ORIGIN, node.verifier(), coordinator);
    private final List<byte[]> leaves = ProofVerifierTest.leaves(20);

    private static SecretBytes seed() {
        return SecretBytes.random(32, new SecureRandom());
    }

    /** The node's signed checkpoint of its first {@code size} leaves. */
    private String checkpoint(List<byte[]> log, int size) {
        return new Checkpoint(ORIGIN, size, MerkleTree.rootHash(HASHER, log.subList(0, size))).sign(node).marshal();
    }

    @Test
    void cosign_ofAnExtendedLog_addsACosignatureWithTheCoordinatorsTime() throws Exception {
        String first = witness.cosignFirst(checkpoint(leaves, 6));

        String second = witness.cosign(first, checkpoint(leaves, 13),
                MerkleTree.consistencyProof(HASHER, leaves.subList(0, 13), 6));

        VerifiedCheckpoint opened = VerifiedCheckpoint.open(second, ORIGIN, node.verifier());
        assertEquals(13, opened.checkpoint().size());
        assertEquals(NOW, opened.cosignedAt(coordinator.verifier()));
        assertEquals(2, opened.note().signatures().size());
    }

    @Test
    void cosign_ofTheSameCheckpointAgain_needsAnEmptyProof() throws Exception {
        String first = witness.cosignFirst(checkpoint(leaves, 6));

        String again = witness.cosign(first, checkpoint(leaves, 6), List.of());

        assertEquals(2, SignedNote.parse(again).signatures().size());
    }

    @Test
    void cosign_fromTheEmptyTree_acceptsAnyTreeWithAnEmptyProof() throws Exception {
        String empty = witness.cosignFirst(checkpoint(leaves, 0));

        String next = witness.cosign(empty, checkpoint(leaves, 5), List.of());

        assertEquals(5, VerifiedCheckpoint.open(next, ORIGIN, node.verifier()).checkpoint().size());
    }

    @Test
    void cosign_ofAForkedLog_throwsInconsistencyCarryingBothNotesAndTheProof() throws Exception {
        String first = witness.cosignFirst(checkpoint(leaves, 6));
        List<byte[]> forked = new ArrayList<>(leaves);
        forked.set(2, HASHER.hashLeaf(new byte[] {42})); // history rewritten below size 6
        String next = checkpoint(forked, 13);
        List<byte[]> proof = MerkleTree.consistencyProof(HASHER, forked.subList(0, 13), 6);

        InconsistencyException e =
                assertThrows(InconsistencyException.class, () -> witness.cosign(first, next, proof));

        assertEquals(first, e.previousNote());
        assertEquals(next, e.nextNote());
        assertEquals(6, e.previous().checkpoint().size());
        assertEquals(13, e.next().checkpoint().size());
        assertArrayEquals(proof.get(0), e.proof().get(0));
        assertEquals(RootMismatchException.class, e.getCause().getClass());
    }

    @Test
    void cosign_ofASmallerTree_throwsInconsistency() throws Exception {
        String first = witness.cosignFirst(checkpoint(leaves, 13));

        InconsistencyException e = assertThrows(InconsistencyException.class,
                () -> witness.cosign(first, checkpoint(leaves, 6), List.of()));
        assertEquals("checkpoint of size 6 is not consistent with the cosigned checkpoint of size 13 of log '"
                + ORIGIN + "': the tree shrank", e.getMessage());
        assertNull(e.getCause());
    }

    @Test
    void cosign_ofTheSameSizeWithAnotherRoot_throwsInconsistency() throws Exception {
        String first = witness.cosignFirst(checkpoint(leaves, 6));
        String other = checkpoint(ProofVerifierTest.leaves(7).subList(1, 7), 6);

        assertThrows(InconsistencyException.class, () -> witness.cosign(first, other, List.of()));
    }

    @Test
    void cosign_withPreviousNotCosignedByThisWitness_throwsUnknownKey() {
        String unwitnessed = checkpoint(leaves, 6);

        NoteException e = assertThrows(NoteException.class, () -> witness.cosign(unwitnessed,
                checkpoint(leaves, 13), MerkleTree.consistencyProof(HASHER, leaves.subList(0, 13), 6)));
        assertEquals(NoteException.Reason.UNKNOWN_KEY, e.reason());
    }

    @Test
    void cosignFirst_ofACheckpointNotSignedByTheLog_throwsUnknownKey() {
        Ed25519NoteSigner impostor = Ed25519NoteSigner.fromSeed(ORIGIN, seed());
        String note = new Checkpoint(ORIGIN, 1, leaves.get(0)).sign(impostor).marshal();

        NoteException e = assertThrows(NoteException.class, () -> witness.cosignFirst(note));
        assertEquals(NoteException.Reason.UNKNOWN_KEY, e.reason());
    }

    @Test
    void cosign_keepsTheLogSignatureFirst() throws Exception {
        String cosigned = witness.cosignFirst(checkpoint(leaves, 3));

        List<SignedNote.Signature> signatures = SignedNote.parse(cosigned).signatures();
        assertEquals(ORIGIN, signatures.get(0).keyName());
        assertEquals("betrokken.nl/coordinator", signatures.get(1).keyName());
    }
}
