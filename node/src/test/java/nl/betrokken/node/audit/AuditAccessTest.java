package nl.betrokken.node.audit;

import static nl.betrokken.node.audit.AuditFixtures.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;
import nl.betrokken.node.Youths;

/**
 * Who may read the audit trail (the auditor; the gemeente only the held-back signals), that every read of the auditor
 * is itself an entry, and that every request of a privileged role is recorded, even one that is then refused.
 */
class AuditAccessTest {

    static final String TODAY = LocalDate.now(ClockFactory.ZONE).toString();
    static final List<String> AUDITOR_READS = List.of(
            "/api/v1/audit/entries?from=" + TODAY + "&to=" + TODAY,
            "/api/v1/audit/checkpoints",
            "/api/v1/audit/proofs/inclusion?index=0&size=1",
            "/api/v1/audit/proofs/consistency?from=1&to=1",
            "/api/v1/audit/bundle",
            "/api/v1/audit/reports?from=" + TODAY + "&to=" + TODAY);

    @ParameterizedTest
    @EnumSource(Db.class)
    void auditTrail_isForTheAuditor_andOthersAreRefused(Db db) {
        NodeHarness node = NodeHarness.shared(db);
        node.call("POST", "/api/v1/signals", Youths.registration(Youths.bsn()), "prof-a"); // the log is not empty
        for (String path : AUDITOR_READS) {
            for (String user : List.of("prof-a", "coord-a", "gemeente")) {
                assertEquals(403, node.call("GET", path, null, user).status(), user + " " + path);
            }
            assertEquals(401, node.call("GET", path, null, null).status(), path);
        }
        for (String user : List.of("prof-a", "coord-a", "auditor")) {
            assertEquals(403, node.call("GET", "/api/v1/audit/held", null, user).status(), user);
        }
        assertEquals(200, node.call("GET", "/api/v1/audit/held", null, "gemeente").status());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyAuditorRead_leavesAnEntry(Db db) {
        NodeHarness node = NodeHarness.shared(db);
        node.call("POST", "/api/v1/signals", Youths.registration(Youths.bsn()), "prof-a");
        for (String path : AUDITOR_READS) {
            long reads = entries(node, "audit.read");
            long accesses = entries(node, "access.auditor");
            NodeHarness.Response r = node.call("GET", path, null, "auditor");
            assertEquals(200, r.status(), path + " " + r.body());
            assertEquals(reads + 1, entries(node, "audit.read"), "the read of " + path + " is an entry");
            assertEquals(accesses + 1, entries(node, "access.auditor"), "the auditor's request is an entry");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void privilegedRequests_areRecorded_evenWhenRefused(Db db) {
        NodeHarness node = NodeHarness.shared(db);
        long gemeente = entries(node, "access.gemeente");
        long coordinator = entries(node, "access.coordinator");
        long professional = entries(node, "access.prof");
        assertEquals(403, node.call("GET", "/api/v1/audit/bundle", null, "gemeente").status());
        assertEquals(200, node.call("GET", "/api/v1/staff", null, "coord-a").status());
        assertEquals(200, node.call("GET", "/api/v1/signals", null, "prof-a").status());
        assertEquals(gemeente + 1, entries(node, "access.gemeente"));
        assertEquals(coordinator + 1, entries(node, "access.coordinator"));
        assertEquals(professional, entries(node, "access.prof"), "a professional's requests are logged by what they do");
        assertTrue(entries(node, "signal.listed") > 0);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void proofs_withBadNumbers_areRefusedNamingTheField(Db db) {
        NodeHarness node = NodeHarness.shared(db);
        AuditReportTest.assertRefused(node.call("GET", "/api/v1/audit/proofs/inclusion?index=0&size=999999999", null,
                "auditor"), "size");
        AuditReportTest.assertRefused(node.call("GET", "/api/v1/audit/proofs/inclusion?index=5&size=1", null,
                "auditor"), "index");
        AuditReportTest.assertRefused(node.call("GET", "/api/v1/audit/proofs/inclusion?size=1", null,
                "auditor"), "index");
        AuditReportTest.assertRefused(node.call("GET", "/api/v1/audit/proofs/consistency?from=2&to=1", null,
                "auditor"), "from");
        AuditReportTest.assertRefused(node.call("GET", "/api/v1/audit/entries?from=2026-01-01", null,
                "auditor"), "to");
    }
}
