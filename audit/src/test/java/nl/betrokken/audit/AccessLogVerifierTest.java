package nl.betrokken.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.crypto.keys.SecretBytes;
import nl.betrokken.crypto.log.CheckpointWitness;
import nl.betrokken.crypto.log.CosignatureV1Signer;
import nl.betrokken.crypto.log.Ed25519NoteSigner;
import nl.betrokken.crypto.log.LogHasher;
import nl.betrokken.crypto.log.SignedNote;
import nl.betrokken.testing.TestPostgres;

/**
 * A person's access-log file made from a log in a real database ({@link AuditLog#prove}): it verifies, with a held-back
 * entry proven to have been in the log while sealed; then each way of tampering with the file is found and named:
 * a changed entry, a changed proof hash, a forged checkpoint signature, a wrong witness key, a shown action the leaf
 * does not say, a salt that does not open the commitment, a "held back" checkpoint countersigned after the release.
 */
class AccessLogVerifierTest {

    private static final String ORIGIN = "betrokken/node/noord";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final String SIGNAL = "signal:" + "ab".repeat(16);

    enum Db { H2, POSTGRES }

    private final Ed25519NoteSigner nodeKey = Ed25519NoteSigner.fromSeed(ORIGIN, SecretBytes.random(32, RANDOM));
    /** Countersigns an hour after T0. */
    private final CosignatureV1Signer coordinatorKey = CosignatureV1Signer.fromSeed("betrokken/coordinator/witness",
            SecretBytes.random(32, RANDOM), Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC));
    private final AuditLog log = new AuditLog(ORIGIN);

    @ParameterizedTest
    @EnumSource(Db.class)
    void fileOfAnUntouchedLog_verifies_withTheReleasedEntriesProvenWhileHeldBack(Db db) throws Exception {
        try (Connection c = connect(db)) {
            AccessLogFile file = file(c, T0.plusSeconds(86_400));
            AccessLogVerifier.Report r = AccessLogVerifier.verify(file, published());
            assertEquals(6, r.entries());
            assertEquals(5, r.covered(), "entries 3 to 8 are under the checkpoint of size 9");
            assertEquals(1, r.notCovered(), "entry 9 came after the last countersigned checkpoint");
            assertEquals(2, r.releasedProven(), "entries 3 and 5 were in the checkpoint of size 6, before the release");
            assertEquals(2, file.logs().get(0).checkpoints().size());
            assertTrue(file.logs().get(0).signals().get(0).entries().get(0).proof().leaf().contains("\"sealed\""),
                    "the leaf of a held-back entry is its sealed form, as logged");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void changedEntry_isNamed(Db db) throws Exception {
        try (Connection c = connect(db)) {
            AccessLogFile file = file(c, T0.plusSeconds(86_400));
            assertFails(withEntry(file, 7, e -> withProof(e, p -> new AccessLogFile.Proof(
                            p.leaf().replace("inzage.served", "signal.viewed"), p.leafHash(), p.covered(), p.treeSize(),
                            p.hashes(), p.released()))),
                    "noord, signal s-1, entry 7", "its leaf does not hash to its leaf hash");
            // Changed with its leaf hash made to fit: the proof no longer leads to the countersigned root.
            assertFails(withEntry(file, 7, e -> withProof(e, p -> {
                        String leaf = p.leaf().replace("inzage.served", "signal.viewed");
                        return new AccessLogFile.Proof(leaf, b64(LogHasher.rfc6962().hashLeaf(
                                leaf.getBytes(StandardCharsets.UTF_8))), p.covered(), p.treeSize(), p.hashes(), p.released());
                    })),
                    "noord, signal s-1, entry 7", "does not lead to the root of the checkpoint of size 9");
            assertFails(withEntry(file, 7, e -> new AccessLogFile.Entry(e.index(), e.at(), e.role(), e.organisation(),
                            e.node(), "signal.viewed", e.purpose(), e.professional(), e.counterpart(), e.counterpartNode(), e.proof())),
                    "noord, signal s-1, entry 7", "shows action signal.viewed but its leaf says inzage.served");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void changedProofHash_isNamed(Db db) throws Exception {
        try (Connection c = connect(db)) {
            AccessLogFile file = file(c, T0.plusSeconds(86_400));
            assertFails(withEntry(file, 8, e -> withProof(e, p -> {
                        List<String> hashes = new ArrayList<>(p.hashes());
                        byte[] h = Base64.getDecoder().decode(hashes.get(0));
                        h[3] ^= 1;
                        hashes.set(0, b64(h));
                        return new AccessLogFile.Proof(p.leaf(), p.leafHash(), p.covered(), p.treeSize(), hashes,
                                p.released());
                    })),
                    "noord, signal s-1, entry 8", "its inclusion proof does not lead to the root of the checkpoint of size 9");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void forgedCheckpointSignature_isNamed(Db db) throws Exception {
        try (Connection c = connect(db)) {
            AccessLogFile file = file(c, T0.plusSeconds(86_400));
            AccessLogFile.NodeLog l = file.logs().get(0);
            String note = l.checkpoints().get(1);
            String body = note.substring(0, note.indexOf("\n\n") + 1);
            // The node's signature line with one bit of the signature changed.
            StringBuilder forged = new StringBuilder();
            for (String line : note.split("\n", -1)) {
                if (line.startsWith("\u2014 " + ORIGIN + " ")) {
                    byte[] sig = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
                    sig[10] ^= 1;
                    line = line.substring(0, line.lastIndexOf(' ') + 1) + b64(sig);
                }
                forged.append(line).append('\n');
            }
            forged.setLength(forged.length() - 1);
            assertTrue(!forged.toString().equals(note));
            assertFails(withCheckpoints(file, List.of(l.checkpoints().get(0), forged.toString())),
                    "noord, checkpoint", "does not verify as a checkpoint of betrokken/node/noord signed by the node's log key");
            // A countersignature in the coordinator's name by another key.
            CosignatureV1Signer impostor = CosignatureV1Signer.fromSeed("betrokken/coordinator/witness",
                    SecretBytes.random(32, RANDOM), Clock.fixed(T0, ZoneOffset.UTC));
            String badCosignature = new nl.betrokken.crypto.log.Checkpoint(ORIGIN, 9,
                    nl.betrokken.crypto.log.Checkpoint.parseBody(body).rootHash()).sign(nodeKey, impostor).marshal();
            assertFails(withCheckpoints(file, List.of(l.checkpoints().get(0), badCosignature)),
                    "noord, checkpoint (size 9)", "is not countersigned by the coordinator's witness key");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void wrongWitnessKey_isNamed(Db db) throws Exception {
        try (Connection c = connect(db)) {
            AccessLogFile file = file(c, T0.plusSeconds(86_400));
            CosignatureV1Signer other = CosignatureV1Signer.fromSeed("betrokken/coordinator/witness",
                    SecretBytes.random(32, RANDOM), Clock.systemUTC());
            AccessLogFile.NodeLog l = file.logs().get(0);
            AccessLogFile wrong = new AccessLogFile(file.format(), file.createdAt(), file.node(), file.unavailable(),
                    List.of(new AccessLogFile.NodeLog(l.node(), l.origin(), l.logKey(), other.verifier().verifierKey(),
                            l.checkpoints(), l.signals())));
            assertFails(wrong, null, "noord, checkpoint (size 6)", "is not countersigned by the coordinator's witness key");
            assertFails(wrong, published(), "noord, witness key", "is not the coordinator's published witness key");
            // The file's keys as they are, but the coordinator publishes another key for noord.
            AccessLogFile.PublishedKeys otherNodeKey = new AccessLogFile.PublishedKeys("x",
                    coordinatorKey.verifier().verifierKey(), Map.of("noord",
                    Ed25519NoteSigner.fromSeed(ORIGIN, SecretBytes.random(32, RANDOM)).verifier().verifierKey()));
            assertFails(file, otherNodeKey, "noord, log key", "is not the key the coordinator publishes for node noord");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void releasedEntry_whoseSaltDoesNotOpenIt_orWhoseCheckpointCameAfterTheRelease_isNamed(Db db) throws Exception {
        try (Connection c = connect(db)) {
            AccessLogFile file = file(c, T0.plusSeconds(86_400));
            assertFails(withEntry(file, 3, e -> withProof(e, p -> new AccessLogFile.Proof(p.leaf(), p.leafHash(),
                            p.covered(), p.treeSize(), p.hashes(), new AccessLogFile.Released(
                            p.released().open().replace("prof:noord-prof-a", "prof:noord-prof-b"), p.released().salt(),
                            p.released().treeSize(), p.released().hashes(), p.released().releasedBy())))),
                    "noord, signal s-1, entry 3", "does not open its commitment");
        }
        try (Connection c = connect(db)) {
            // Released a minute after T0, but the coordinator countersigned (its clock) an hour after T0.
            AccessLogFile file = file(c, T0.plusSeconds(60));
            assertFails(file, "noord, signal s-1, entry 3 (while held back)", "after the release at");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void verifyInzageCommand_exitsZeroOneOrTwo(Db db, @TempDir Path dir) throws Exception {
        try (Connection c = connect(db)) {
            AccessLogFile file = file(c, T0.plusSeconds(86_400));
            Path path = dir.resolve("access-log.json");
            Path keys = dir.resolve("keys.json");
            file.write(path);
            Files.writeString(keys, "{\"logKey\": \"x\", \"witnessKey\": \"" + coordinatorKey.verifier().verifierKey()
                    + "\", \"nodeLogKeys\": {\"noord\": \"" + nodeKey.verifier().verifierKey() + "\"}}");
            assertEquals(0, VerifyCommand.run(new String[] {"verify-inzage", path.toString()}));
            assertEquals(0, VerifyCommand.run(new String[] {"verify-inzage", path.toString(), "--keys", keys.toString()}));
            withEntry(file, 5, e -> new AccessLogFile.Entry(e.index(), e.at(), "gemeente", e.organisation(), e.node(),
                    e.action(), e.purpose(), e.professional(), e.counterpart(), e.counterpartNode(), e.proof())).write(path);
            assertEquals(1, VerifyCommand.run(new String[] {"verify-inzage", path.toString()}));
            Files.writeString(path, "{ not json", StandardCharsets.UTF_8);
            assertEquals(2, VerifyCommand.run(new String[] {"verify-inzage", path.toString()}));
            assertEquals(2, VerifyCommand.run(new String[] {"verify-inzage", dir.resolve("missing.json").toString()}));
        }
    }

    /**
     * The log: 0-2 about other signals; 3 and 5 about the signal, held back (sealed); 4 another; checkpoint 6
     * countersigned; release at {@code releasedAt}: 3 and 5 opened, 6 {@code audit.released}; 7 {@code inzage.served},
     * 8 {@code match.received} (the signal in its details); checkpoint 9 countersigned; 9 {@code signal.viewed}.
     */
    private AccessLogFile file(Connection c, Instant releasedAt) throws Exception {
        for (int i = 0; i < 3; i++) {
            log.append(c, T0.plusSeconds(i), AuditEvent.of("signal.viewed", "prof:noord-prof-b",
                    "signal:" + UUID.randomUUID().toString().replace("-", "")));
        }
        log.appendSealed(c, T0.plusSeconds(3), AuditEvent.of("signal.registered", "prof:noord-prof-a", SIGNAL)
                .with("organisation", "noord-org-1"), RANDOM);
        log.append(c, T0.plusSeconds(4), AuditEvent.of("signal.viewed", "prof:noord-prof-b", "signal:other"));
        log.appendSealed(c, T0.plusSeconds(5), AuditEvent.of("signal.viewed", "prof:noord-prof-a", SIGNAL), RANDOM);
        String first = countersign(c, null);
        log.release(c, 3, releasedAt);
        log.release(c, 5, releasedAt);
        log.append(c, releasedAt, AuditEvent.of("audit.released", "gemeente:noord-gemeente", SIGNAL).with("entries", 2));
        log.append(c, releasedAt.plusSeconds(1), AuditEvent.of("inzage.served", "node:oost", SIGNAL).with("relation", "PARENT"));
        log.append(c, releasedAt.plusSeconds(2), AuditEvent.of("match.received", "system:feed", "match:" + "cd".repeat(16))
                .with("signal", SIGNAL).with("type", "CHILD"));
        countersign(c, first);
        log.append(c, releasedAt.plusSeconds(3), AuditEvent.of("signal.viewed", "prof:noord-prof-a", SIGNAL));

        List<Long> indexes = List.of(3L, 5L, 6L, 7L, 8L, 9L);
        AuditLog.Proven proven = log.prove(c, indexes, Map.of(3L, 6L, 5L, 6L));
        List<AccessLogFile.Entry> entries = new ArrayList<>();
        for (AuditEntry e : log.entries(c, 3, 10)) {
            if (!indexes.contains(e.index())) {
                continue;
            }
            String actor = e.event().actor();
            entries.add(new AccessLogFile.Entry(e.index(), e.at().toString(), actor.substring(0, actor.indexOf(':')),
                    null, null, e.event().kind(), null, null, null, null, proven.proofs().get(e.index())));
        }
        return new AccessLogFile(AccessLogFile.FORMAT, T0.toString(), "oost", List.of(), List.of(
                new AccessLogFile.NodeLog("noord", ORIGIN, nodeKey.verifier().verifierKey(),
                        coordinatorKey.verifier().verifierKey(), proven.checkpoints(),
                        List.of(new AccessLogFile.Signal("s-1", SIGNAL, "PARENT", "Noord Jeugd", "2026-11-24", entries)))));
    }

    private String countersign(Connection c, String previous) throws Exception {
        SignedNote note = log.checkpoint(c, nodeKey, T0).note();
        CheckpointWitness witness = CheckpointWitness.create(ORIGIN, nodeKey.verifier(), coordinatorKey);
        String cosigned = previous == null ? witness.cosignFirst(note.marshal())
                : witness.cosign(previous, note.marshal(),
                log.consistencyProof(c, Long.parseLong(previous.split("\n")[1]), log.size(c)));
        log.keepCountersigned(c, log.size(c), cosigned);
        return cosigned;
    }

    private AccessLogFile.PublishedKeys published() {
        return new AccessLogFile.PublishedKeys("betrokken/coordinator+00000000+x", coordinatorKey.verifier().verifierKey(),
                Map.of("noord", nodeKey.verifier().verifierKey()));
    }

    private void assertFails(AccessLogFile file, String where, String why) {
        assertFails(file, published(), where, why);
    }

    private static void assertFails(AccessLogFile file, AccessLogFile.PublishedKeys keys, String where, String why) {
        AuditVerificationException e = assertThrows(AuditVerificationException.class,
                () -> AccessLogVerifier.verify(file, keys));
        assertEquals(where, e.where(), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    private static AccessLogFile withEntry(AccessLogFile file, long index, UnaryOperator<AccessLogFile.Entry> change) {
        AccessLogFile.NodeLog l = file.logs().get(0);
        AccessLogFile.Signal s = l.signals().get(0);
        List<AccessLogFile.Entry> entries = s.entries().stream().map(e -> e.index() == index ? change.apply(e) : e).toList();
        return new AccessLogFile(file.format(), file.createdAt(), file.node(), file.unavailable(), List.of(
                new AccessLogFile.NodeLog(l.node(), l.origin(), l.logKey(), l.witnessKey(), l.checkpoints(), List.of(
                        new AccessLogFile.Signal(s.id(), s.reference(), s.relation(), s.organisation(), s.registeredOn(),
                                entries)))));
    }

    private static AccessLogFile withCheckpoints(AccessLogFile file, List<String> checkpoints) {
        AccessLogFile.NodeLog l = file.logs().get(0);
        return new AccessLogFile(file.format(), file.createdAt(), file.node(), file.unavailable(), List.of(
                new AccessLogFile.NodeLog(l.node(), l.origin(), l.logKey(), l.witnessKey(), checkpoints, l.signals())));
    }

    private static AccessLogFile.Entry withProof(AccessLogFile.Entry e, UnaryOperator<AccessLogFile.Proof> change) {
        return new AccessLogFile.Entry(e.index(), e.at(), e.role(), e.organisation(), e.node(), e.action(), e.purpose(),
                e.professional(), e.counterpart(), e.counterpartNode(), change.apply(e.proof()));
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static Connection connect(Db db) throws SQLException, IOException {
        Connection c;
        if (db == Db.H2) {
            c = DriverManager.getConnection("jdbc:h2:mem:a" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        } else {
            TestPostgres.Schema schema = TestPostgres.freshSchema();
            c = DriverManager.getConnection(schema.jdbcUrl(), schema.username(), schema.password());
        }
        try (Statement s = c.createStatement();
             var in = AuditLog.class.getResourceAsStream("/audit-schema.sql")) {
            for (String statement : new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "")
                    .split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }
        return c;
    }
}
