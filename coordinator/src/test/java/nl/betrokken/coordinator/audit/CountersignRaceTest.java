package nl.betrokken.coordinator.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.audit.AuditEvent;
import nl.betrokken.audit.AuditLog;
import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.crypto.keys.SecretBytes;
import nl.betrokken.crypto.log.Ed25519NoteSigner;
import nl.betrokken.crypto.token.Claim;

/**
 * Races that must not end in a server error: a node's first checkpoint sent twice at once (a retry crossing the
 * first try) is countersigned for both; the coordinator's own checkpoints asked for at once, of the same size, are
 * one checkpoint.
 */
class CountersignRaceTest {

    private static final int AT_ONCE = 8;

    @ParameterizedTest
    @EnumSource(Db.class)
    void firstCheckpoint_sentTwiceAtOnce_isCountersignedForEveryCall(Db db) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(AT_ONCE);
        try (Harness h = Harness.fresh(db)) {
            for (int round = 0; round < 5; round++) {
                TestNode node = h.enrol("noord");
                AuditLog log = new AuditLog("betrokken/node/" + node.id());
                Ed25519NoteSigner key = Ed25519NoteSigner.fromSeed(log.origin(),
                        SecretBytes.random(32, new SecureRandom()));
                String note;
                try (Connection nodeDb = nodeLog()) {
                    for (int i = 0; i < 3; i++) {
                        log.append(nodeDb, Instant.now(), AuditEvent.of("signal.viewed", "prof:a", "signal:s" + i));
                    }
                    note = log.checkpoint(nodeDb, key, Instant.now()).note().marshal();
                }
                Map<String, Object> body = Map.of("logKey", key.verifier().verifierKey(), "note", note,
                        "consistencyProof", List.of());
                List<Callable<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < AT_ONCE; i++) {
                    calls.add(() -> h.call("POST", "/internal/v1/audit/checkpoints", body, node.token()).status());
                }
                assertEquals(List.of(200), statuses(callers, calls), "round " + round);
            }
            assertEquals(0, h.queryLong("SELECT count(*) FROM node_audit_refusal"), "no fork recorded");
        } finally {
            callers.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void ownCheckpoints_askedForAtOnce_allAnswer200(Db db) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(AT_ONCE);
        try (Harness h = Harness.fresh(db)) {
            TestNode auditor = h.enrol("noord");
            for (int round = 0; round < 5; round++) {
                List<Callable<Integer>> calls = new ArrayList<>();
                for (int i = 0; i < AT_ONCE; i++) {
                    String token = auditor.token(b -> b.claim(Claim.string("role"), "auditor"));
                    calls.add(() -> h.call("GET", "/api/v1/audit/checkpoints", null, token).status());
                }
                assertEquals(List.of(200), statuses(callers, calls), "round " + round);
            }
        } finally {
            callers.shutdown();
        }
    }

    /** The distinct statuses of {@code calls}, all made at once. */
    private static List<Integer> statuses(ExecutorService callers, List<Callable<Integer>> calls) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : callers.invokeAll(calls)) {
            statuses.add(f.get());
        }
        return statuses.stream().distinct().toList();
    }

    /** A node's log of its own, in a database of its own. */
    private static Connection nodeLog() throws Exception {
        Connection c = DriverManager.getConnection(
                "jdbc:h2:mem:n" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        try (Statement s = c.createStatement(); var in = AuditLog.class.getResourceAsStream("/audit-schema.sql")) {
            for (String sql : new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "")
                    .split(";")) {
                if (!sql.isBlank()) {
                    s.execute(sql);
                }
            }
        }
        return c;
    }
}
