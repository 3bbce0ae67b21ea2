package nl.betrokken.node.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.micronaut.transaction.TransactionOperations;
import nl.betrokken.audit.AuditBundle;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.MutableClock;

/** What the audit tests share: nodes, the auditor's bundle, and reads of the node's database. */
public final class AuditFixtures {

    private AuditFixtures() {
    }

    /** A node on {@code db} without a coordinator, on a clock the test moves. */
    static NodeHarness movableNode(NodeHarness.Db db) {
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(db, "noord", null, null));
        p.put(MutableClock.PROPERTY, true);
        return NodeHarness.start(p);
    }

    static MutableClock clock(NodeHarness node) {
        return (MutableClock) node.bean(Clock.class);
    }

    /** The bundle the node's auditor exports. */
    public static AuditBundle bundle(NodeHarness node) {
        NodeHarness.Response r = node.call("GET", "/api/v1/audit/bundle", null, "auditor");
        assertEquals(200, r.status(), String.valueOf(r.body()));
        try {
            return AuditBundle.parse(r.body().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kinds of the open entries of a bundle. */
    static List<String> kinds(AuditBundle bundle) {
        return bundle.entries().stream().map(AuditBundle.Entry::kind).filter(Objects::nonNull).toList();
    }

    @SuppressWarnings("unchecked")
    static TransactionOperations<Connection> tx(NodeHarness node) {
        return node.bean(TransactionOperations.class);
    }

    /** How many entries of {@code kind} the node's log holds. */
    static long entries(NodeHarness node, String kind) {
        return tx(node).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(
                    "SELECT count(*) FROM audit_entry WHERE kind = ?")) {
                s.setString(1, kind);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Runs {@code sql} (an UPDATE or DELETE of the test's tampering) on the node's database. */
    static int execute(NodeHarness node, String sql, Object... args) {
        return tx(node).executeWrite(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    s.setObject(i + 1, args[i]);
                }
                return s.executeUpdate();
            }
        });
    }
}
