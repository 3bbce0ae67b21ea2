package nl.betrokken.coordinator.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.audit.AuditBundle;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.audit.AuditLog;
import nl.betrokken.audit.BundleVerifier;
import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.coordinator.retention.RetentionService;
import nl.betrokken.crypto.keys.SecretBytes;
import nl.betrokken.crypto.log.Ed25519NoteSigner;
import nl.betrokken.crypto.token.Claim;

class AuditTrailTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyCallAndChange_leavesAnEntry_andTheAuditorsBundleVerifies(Db db) throws Exception {
        try (Harness h = Harness.fresh(db)) {
            TestNode noord = h.enrol("noord");
            TestNode oost = h.enrol("oost");
            String child = People.bsn();
            noord.submit(List.of(People.record("n-1", "org", child)));
            oost.submit(List.of(People.record("o-1", "org", child)));
            h.awaitMatching();
            assertEquals(1, noord.created().size());
            noord.erase("n-1");
            h.bean(RetentionService.class).run();
            assertEquals(401, h.call("GET", "/internal/v1/feed?after=0", null, "not-a-token").status());
            h.clock().advance(java.time.Duration.ofMinutes(1));
            h.bean(nl.betrokken.coordinator.enrolment.TokenRefusals.class).flush(); // the minute's count of refusals
            String gemeente = noord.token(b -> b.claim(Claim.string("role"), "gemeente"));
            assertEquals(403, h.call("GET", "/api/v1/audit/bundle", null, gemeente).status(), "not for a gemeente");
            h.bean(CoordinatorAudit.class).checkpoint();

            Harness.Response r = h.call("GET", "/api/v1/audit/bundle", null,
                    oost.token(b -> b.claim(Claim.string("role"), "auditor")));
            assertEquals(200, r.status());
            AuditBundle bundle = AuditBundle.parse(r.body().toString());
            BundleVerifier.Report report = BundleVerifier.verify(bundle);
            assertTrue(report.countersigned() >= 1, "the coordinator's own checkpoints carry its countersignature");
            Set<String> kinds = bundle.entries().stream().map(AuditBundle.Entry::kind).collect(Collectors.toSet());
            for (String kind : List.of("node.enrolled", "token.accepted", "token.refused", "signals.received",
                    "matches.made", "feed.read", "signal.erased", "retention.run", "audit.refused", "audit.read")) {
                assertTrue(kinds.contains(kind), kind + " in " + kinds);
            }
            assertTrue(bundle.entries().stream().anyMatch(e -> ("signal:" + noord.id() + "/n-1").equals(e.subject())
                    && "signal.erased".equals(e.kind())), "the erase names the node's reference");
            assertTrue(!r.body().toString().contains(child), "no BSN in the audit trail");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void nodeCheckpoints_areCountersignedOnlyWhileTheyExtendTheLastOne(Db db) throws Exception {
        try (Harness h = Harness.fresh(db); Connection nodeDb = nodeLog()) {
            TestNode noord = h.enrol("noord");
            AuditLog log = new AuditLog("betrokken/node/" + noord.id());
            Ed25519NoteSigner key = Ed25519NoteSigner.fromSeed(log.origin(), SecretBytes.random(32, new SecureRandom()));
            String logKey = key.verifier().verifierKey();

            append(log, nodeDb, 0, 4);
            Harness.Response first = countersign(h, noord, logKey, log.checkpoint(nodeDb, key, Instant.now()).note().marshal(), List.of());
            assertEquals(200, first.status(), String.valueOf(first.body()));
            assertTrue(first.body().get("note").asText().contains("betrokken/coordinator/witness"));
            Harness.Response published = h.call("GET", "/.well-known/betrokken-audit-keys.json", null, null);
            assertEquals(logKey, published.body().get("nodeLogKeys").get(noord.id()).asText(),
                    "the node's log key, pinned at its first countersigned checkpoint, is published");

            append(log, nodeDb, 4, 9);
            Harness.Response second = countersign(h, noord, logKey, log.checkpoint(nodeDb, key, Instant.now()).note().marshal(),
                    base64(log.consistencyProof(nodeDb, 4, 9)));
            assertEquals(200, second.status(), String.valueOf(second.body()));

            // The node rewrites entry 2 and signs a longer log: no proof joins it to what was countersigned.
            try (Statement s = nodeDb.createStatement()) {
                s.execute("UPDATE audit_entry SET leaf_hash = X'0000000000000000000000000000000000000000000000000000000000000000' WHERE idx = 2");
            }
            append(log, nodeDb, 9, 11);
            try (Statement s = nodeDb.createStatement()) {
                s.execute("DELETE FROM audit_checkpoint");
            }
            String forged = forgedCheckpoint(log, nodeDb, key);
            Harness.Response refused = countersign(h, noord, logKey, forged, base64(log.consistencyProof(nodeDb, 9, 11)));
            assertEquals(409, refused.status(), String.valueOf(refused.body()));
            assertEquals("consistencyProof", refused.body().get("violations").get(0).get("field").asText());
            assertEquals(1, h.queryLong("SELECT count(*) FROM node_audit_refusal WHERE node_id = '" + noord.id() + "'"),
                    "the refused checkpoint is kept as evidence");

            Harness.Response otherKey = countersign(h, noord, Ed25519NoteSigner.fromSeed(log.origin(),
                    SecretBytes.random(32, new SecureRandom())).verifier().verifierKey(), forged, List.of());
            assertEquals(409, otherKey.status(), "the first key stays the node's key");
            Harness.Response garbage = countersign(h, noord, logKey, "not a note", List.of());
            assertEquals(400, garbage.status());
            assertEquals("note", garbage.body().get("violations").get(0).get("field").asText());
        }
    }

    /** A checkpoint of the tampered tree: the root recomputed from the stored (changed) leaf hashes. */
    private static String forgedCheckpoint(AuditLog log, Connection c, Ed25519NoteSigner key) throws Exception {
        List<byte[]> leaves = log.leafHashes(c, log.size(c));
        byte[] root = nl.betrokken.crypto.log.MerkleTree.rootHash(nl.betrokken.crypto.log.LogHasher.rfc6962(), leaves);
        return new nl.betrokken.crypto.log.Checkpoint(log.origin(), leaves.size(), root).sign(key).marshal();
    }

    private static Harness.Response countersign(Harness h, TestNode node, String logKey, String note, List<String> proof) {
        return h.call("POST", "/internal/v1/audit/checkpoints",
                Map.of("logKey", logKey, "note", note, "consistencyProof", proof), node.token());
    }

    private static List<String> base64(List<byte[]> hashes) {
        return hashes.stream().map(b -> Base64.getEncoder().encodeToString(b)).toList();
    }

    private static void append(AuditLog log, Connection c, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            log.append(c, Instant.now(), AuditEvent.of("signal.viewed", "prof:noord-prof-a", "signal:s" + i));
        }
    }

    private static Connection nodeLog() throws Exception {
        Connection c = DriverManager.getConnection("jdbc:h2:mem:n" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        try (Statement s = c.createStatement(); var in = AuditLog.class.getResourceAsStream("/audit-schema.sql")) {
            for (String sql : new String(in.readAllBytes()).replaceAll("(?m)^--.*$", "").split(";")) {
                if (!sql.isBlank()) {
                    s.execute(sql);
                }
            }
        }
        return c;
    }

}
