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
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.crypto.keys.SecretBytes;
import nl.betrokken.crypto.log.CheckpointWitness;
import nl.betrokken.crypto.log.CosignatureV1Signer;
import nl.betrokken.crypto.log.Ed25519NoteSigner;
import nl.betrokken.crypto.log.InconsistencyException;
import nl.betrokken.crypto.log.LogHasher;
import nl.betrokken.crypto.log.MerkleFrontier;
import nl.betrokken.crypto.log.SignedNote;
import nl.betrokken.testing.TestPostgres;

/**
 * A log kept in a real database, exported and verified; then tampered with the way someone with write access to the
 * database could (change, delete, reorder, rewrite after a countersignature), each found and named by the verifier.
 */
class AuditLogTest {

    private static final String ORIGIN = "betrokken.nl/node/noord";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    enum Db { H2, POSTGRES }

    private final Ed25519NoteSigner nodeKey = Ed25519NoteSigner.fromSeed(ORIGIN, SecretBytes.random(32, RANDOM));
    private final CosignatureV1Signer coordinatorKey = CosignatureV1Signer.fromSeed("betrokken.nl/coordinator",
            SecretBytes.random(32, RANDOM), Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC));
    private final AuditLog log = new AuditLog(ORIGIN);

    @ParameterizedTest
    @EnumSource(Db.class)
    void export_ofAnUntouchedLog_verifiesWithItsCountersignedCheckpoints(Db db) throws Exception {
        try (Connection c = connect(db)) {
            append(c, 0, 5);
            String first = countersignFirst(c);
            append(c, 5, 12);
            String second = countersignNext(c, first);
            append(c, 12, 14);
            BundleVerifier.Report r = BundleVerifier.verify(export(c));
            assertEquals(14, r.entries());
            assertEquals(2, r.checkpoints());
            assertEquals(2, r.countersigned());
            assertEquals(12, r.coveredEntries(), "entries 12 and 13 are after the last checkpoint");
            assertTrue(second.contains("betrokken.nl/coordinator"));
            assertEquals(List.of(5L, 12L), log.checkpoints(c).stream().map(AuditLogTest::size).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void verify_entryChangedInTheDatabase_namesThatEntry(Db db) throws Exception {
        try (Connection c = connect(db)) {
            append(c, 0, 10);
            countersignFirst(c);
            sql(c, "UPDATE audit_entry SET details = '{\"outcome\":\"removed\"}' WHERE idx = 6");
            assertFails(c, "entry 6", "changed after it was logged");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void verify_entryAndItsLeafHashChanged_namesTheCheckpointAndTheRange(Db db) throws Exception {
        try (Connection c = connect(db)) {
            append(c, 0, 4);
            String first = countersignFirst(c);
            append(c, 4, 10);
            countersignNext(c, first);
            sql(c, "UPDATE audit_entry SET actor = 'prof:someone-else' WHERE idx = 6");
            AuditEntry changed = log.entries(c, 6, 7).get(0);
            try (var update = c.prepareStatement("UPDATE audit_entry SET leaf_hash = ? WHERE idx = 6")) {
                update.setBytes(1, changed.leafHash(LogHasher.rfc6962()));
                update.executeUpdate();
            }
            AuditVerificationException e = assertFails(c, "checkpoint 1 (size 10)", "countersigned by the coordinator");
            assertTrue(e.getMessage().contains("entries 4 to 9"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void verify_entryDeleted_namesTheEntryAfterTheGap(Db db) throws Exception {
        try (Connection c = connect(db)) {
            append(c, 0, 10);
            countersignFirst(c);
            sql(c, "DELETE FROM audit_entry WHERE idx = 3");
            assertFails(c, "entry 4", "stands at position 3");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void verify_lastEntriesDeleted_namesTheCheckpointThatCoveredThem(Db db) throws Exception {
        try (Connection c = connect(db)) {
            append(c, 0, 10);
            countersignFirst(c);
            sql(c, "DELETE FROM audit_entry WHERE idx >= 8");
            assertFails(c, "checkpoint 0 (size 10)", "entries after index 7 were removed");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void verify_checkpointNotSignedByTheLogsKey_namesIt(Db db) throws Exception {
        try (Connection c = connect(db)) {
            append(c, 0, 3);
            log.checkpoint(c, Ed25519NoteSigner.fromSeed(ORIGIN, SecretBytes.random(32, RANDOM)), T0);
            assertFails(c, "checkpoint 0", "signed by the log's key");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void verify_twoEntriesSwapped_namesTheFirstOutOfPlace(Db db) throws Exception {
        try (Connection c = connect(db)) {
            append(c, 0, 10);
            countersignFirst(c);
            sql(c, "UPDATE audit_entry SET idx = -1 WHERE idx = 2");
            sql(c, "UPDATE audit_entry SET idx = 2 WHERE idx = 5");
            sql(c, "UPDATE audit_entry SET idx = 5 WHERE idx = -1");
            // Read back by index, the swapped rows carry the other's content, which names its own index.
            AuditVerificationException e = assertThrows(AuditVerificationException.class, () -> BundleVerifier.verify(export(c)));
            assertEquals("entry 2", e.where(), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void forkAfterCountersignedCheckpoint_isRefusedByTheCoordinatorAndNamedByTheVerifier(Db db) throws Exception {
        try (Connection c = connect(db)) {
            append(c, 0, 8);
            String countersigned = countersignFirst(c);
            // The node rewrites its past: entry 3 goes, the rest are renumbered and re-hashed, and it signs anew.
            sql(c, "DELETE FROM audit_entry WHERE idx = 3");
            sql(c, "UPDATE audit_entry SET idx = idx - 1 WHERE idx > 3");
            MerkleFrontier frontier = MerkleFrontier.empty(LogHasher.rfc6962());
            for (AuditEntry stored : log.entries(c, 0, 7)) {
                AuditEntry renumbered = new AuditEntry(stored.index(), stored.at(), stored.event(), null);
                try (var update = c.prepareStatement("UPDATE audit_entry SET leaf_hash = ? WHERE idx = ?")) {
                    update.setBytes(1, renumbered.leafHash(LogHasher.rfc6962()));
                    update.setLong(2, stored.index());
                    update.executeUpdate();
                }
                frontier = frontier.append(renumbered.leafHash(LogHasher.rfc6962()));
            }
            sql(c, "UPDATE audit_head SET size = 7, frontier = '" + frontierText(frontier) + "' WHERE id = 1");
            append(c, 7, 9);
            String forged = log.checkpoint(c, nodeKey, T0).note().marshal();

            CheckpointWitness coordinator = CheckpointWitness.create(ORIGIN, nodeKey.verifier(), coordinatorKey);
            assertThrows(InconsistencyException.class, () -> coordinator.cosign(countersigned, forged,
                    log.consistencyProof(c, 8, 9)), "no consistency proof can join the forged log to the countersigned one");

            AuditBundle bundle = export(c);
            AuditBundle withOriginal = new AuditBundle(bundle.origin(), bundle.logKey(), bundle.witnessKey(),
                    bundle.entries(), List.of(countersigned, forged));
            AuditVerificationException e = assertThrows(AuditVerificationException.class,
                    () -> BundleVerifier.verify(withOriginal));
            assertEquals("checkpoint 0 (size 8)", e.where(), e.getMessage());
            assertTrue(e.getMessage().contains("countersigned by the coordinator"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void sealedEntry_isInTheLogFromTheStartAndOpensOnRelease(Db db) throws Exception {
        try (Connection c = connect(db)) {
            append(c, 0, 3);
            long sealed = log.appendSealed(c, T0.plusSeconds(3), AuditEvent.of("signal.registered", "prof:noord-prof-a",
                    "signal:held-back").with("veiligThuis", true), RANDOM);
            append(c, 4, 6);
            countersignFirst(c);
            AuditBundle before = export(c);
            assertEquals(null, before.entries().get((int) sealed).kind(), "not readable before release");
            BundleVerifier.verify(before);

            log.release(c, sealed, T0.plusSeconds(86_400));
            AuditBundle after = export(c);
            assertEquals("signal.registered", after.entries().get((int) sealed).kind());
            assertEquals(6, BundleVerifier.verify(after).coveredEntries(), "the checkpoint signed while it was sealed still holds");

            sql(c, "UPDATE audit_entry SET subject = 'signal:another' WHERE idx = " + sealed);
            assertFails(c, "entry 3", "does not open its commitment");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void verifyCommand_saysOkOrNamesTheFailure(Db db, @TempDir Path dir) throws Exception {
        try (Connection c = connect(db)) {
            append(c, 0, 4);
            countersignFirst(c);
            Path file = dir.resolve("bundle.json");
            export(c).write(file);
            assertEquals(0, VerifyCommand.run(new String[] {"verify", file.toString()}));
            sql(c, "UPDATE audit_entry SET kind = 'signal.ended' WHERE idx = 1");
            export(c).write(file);
            assertEquals(1, VerifyCommand.run(new String[] {"verify", file.toString()}));
            Files.writeString(file, "{ not json", StandardCharsets.UTF_8);
            assertEquals(2, VerifyCommand.run(new String[] {"verify", file.toString()}));
        }
    }

    private AuditVerificationException assertFails(Connection c, String where, String why) throws SQLException {
        AuditVerificationException e = assertThrows(AuditVerificationException.class, () -> BundleVerifier.verify(export(c)));
        assertEquals(where, e.where(), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        return e;
    }

    private void append(Connection c, int from, int to) throws SQLException {
        for (int i = from; i < to; i++) {
            log.append(c, T0.plusSeconds(i), AuditEvent.of(i % 2 == 0 ? "signal.registered" : "signal.viewed",
                    "prof:noord-prof-" + (i % 3), "signal:" + UUID.nameUUIDFromBytes(new byte[] {(byte) i}))
                    .with("step", i));
        }
    }

    private String countersignFirst(Connection c) throws Exception {
        SignedNote note = log.checkpoint(c, nodeKey, T0).note();
        String cosigned = CheckpointWitness.create(ORIGIN, nodeKey.verifier(), coordinatorKey).cosignFirst(note.marshal());
        log.keepCountersigned(c, log.size(c), cosigned);
        return cosigned;
    }

    private String countersignNext(Connection c, String previous) throws Exception {
        long before = size(previous);
        SignedNote note = log.checkpoint(c, nodeKey, T0).note();
        String cosigned = CheckpointWitness.create(ORIGIN, nodeKey.verifier(), coordinatorKey)
                .cosign(previous, note.marshal(), log.consistencyProof(c, before, log.size(c)));
        log.keepCountersigned(c, log.size(c), cosigned);
        return cosigned;
    }

    private AuditBundle export(Connection c) throws SQLException {
        return log.export(c, nodeKey.verifier().verifierKey(), coordinatorKey.verifier().verifierKey());
    }

    private static long size(String note) {
        return Long.parseLong(note.split("\n")[1]);
    }

    private static String frontierText(MerkleFrontier f) {
        StringBuilder s = new StringBuilder();
        for (byte[] node : f.nodes()) {
            s.append(s.length() == 0 ? "" : ",").append(java.util.Base64.getEncoder().encodeToString(node));
        }
        return s.toString();
    }

    private static void sql(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
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
