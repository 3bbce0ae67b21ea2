package nl.betrokken.crypto.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    private static final byte[] ROOT8 = MerkleTree.rootHash(LogHasher.rfc6962(), MerkleTreeTest.referenceLeafHashes());

    @Test
    void body_isTheThreeLinesOfTlogCheckpoint() {
        Checkpoint cp = new Checkpoint("betrokken.nl/node/utrecht", 8, ROOT8);

        assertEquals("betrokken.nl/node/utrecht\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", cp.body());
    }

    @Test
    void parseBody_ofBody_givesTheSameCheckpoint() throws NoteException {
        Checkpoint cp = new Checkpoint("betrokken.nl/node/utrecht", 8, ROOT8);

        assertEquals(cp, Checkpoint.parseBody(cp.body()));
    }

    @Test
    void parseBody_withoutFinalNewline_isMalformed() {
        NoteException e = assertThrows(NoteException.class,
                () -> Checkpoint.parseBody("Log\n123\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="));
        assertEquals("MALFORMED_CHECKPOINT: checkpoint body does not end in a newline", e.getMessage());
    }

    @Test
    void constructor_refusesWhatNoCheckpointHas() {
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("", 1, ROOT8));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("a\nb", 1, ROOT8));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("log", -1, ROOT8));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("log", 1, new byte[31]));
    }

    @Test
    void rootHash_isACopy_andEqualityComparesTheBytes() {
        Checkpoint cp = new Checkpoint("log", 8, ROOT8);
        cp.rootHash()[0] ^= 1;

        assertEquals(new Checkpoint("log", 8, ROOT8.clone()), cp);
        assertEquals(new Checkpoint("log", 8, ROOT8.clone()).hashCode(), cp.hashCode());
        assertNotEquals(new Checkpoint("log", 7, ROOT8), cp);
        assertEquals(List.of(cp), List.of(new Checkpoint("log", 8, ROOT8)));
    }
}
