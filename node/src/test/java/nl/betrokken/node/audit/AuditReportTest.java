package nl.betrokken.node.audit;

import static nl.betrokken.node.audit.AuditFixtures.clock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.Period;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;
import nl.betrokken.node.Youths;
import nl.betrokken.node.archive.ArchiveService;

/**
 * The auditor's reports: retention compliance with a moved clock (a signal past its end counts until the archive job
 * runs, an archived one past five years until it is erased), accesses by role, and objections and consents said to be
 * not yet recorded rather than counted.
 */
class AuditReportTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void retention_countsWhatIsOverdueUntilTheArchiveJobRuns(Db db) {
        try (NodeHarness node = AuditFixtures.movableNode(db)) {
            LocalDate registeredOn = LocalDate.now(clock(node));
            assertEquals(201, node.call("POST", "/api/v1/signals", Youths.registration(Youths.bsn()), "prof-a").status());
            JsonNode first = report(node, registeredOn, registeredOn);
            assertEquals(0, first.get("retention").get("activePastEnd").asInt());
            assertTrue(first.get("retention").get("compliant").asBoolean());
            assertTrue(hasAccess(first, "prof", "signal.registered", 1), first.get("accessesByRole").toString());
            assertEquals("not yet recorded by this node", first.get("objections").get("status").asText());
            assertEquals("not yet recorded by this node", first.get("consents").get("status").asText());
            assertEquals(0, first.get("followUp").get("matches").asInt());

            clock(node).advance(Period.ofYears(2).minusDays(1));
            LocalDate lastActiveDay = LocalDate.now(clock(node));
            assertEquals(0, report(node, lastActiveDay, lastActiveDay).get("retention").get("activePastEnd").asInt(),
                    "active until the last day included");
            clock(node).advance(Period.ofDays(1));
            LocalDate day = LocalDate.now(clock(node));
            JsonNode overdue = report(node, day, day).get("retention");
            assertEquals(1, overdue.get("activePastEnd").asInt(), "past its end and the archive job has not run");
            assertFalse(overdue.get("compliant").asBoolean());

            assertEquals(1, node.bean(ArchiveService.class).run().archived());
            JsonNode archived = report(node, day, day).get("retention");
            assertEquals(0, archived.get("activePastEnd").asInt());
            assertEquals(0, archived.get("archivedPastFiveYears").asInt());
            assertTrue(archived.get("compliant").asBoolean());
            assertEquals(1, archived.get("archivedInPeriod").asInt());
            assertEquals(1, archived.get("archiveRunsInPeriod").asInt());
            assertTrue(archived.hasNonNull("lastArchiveRun"));

            clock(node).advance(Period.ofYears(5).plusDays(1));
            LocalDate later = LocalDate.now(clock(node));
            JsonNode kept = report(node, later, later).get("retention");
            assertEquals(1, kept.get("archivedPastFiveYears").asInt(), "archived past five years, not yet erased");
            assertFalse(kept.get("compliant").asBoolean());
            assertEquals(1, node.bean(ArchiveService.class).run().erased());
            JsonNode erased = report(node, later, later).get("retention");
            assertEquals(0, erased.get("archivedPastFiveYears").asInt());
            assertEquals(1, erased.get("erasedInPeriod").asInt());
            assertTrue(erased.get("compliant").asBoolean());
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void report_withBadPeriod_isRefusedNamingTheField(Db db) {
        NodeHarness node = NodeHarness.shared(db);
        assertRefused(node.call("GET", "/api/v1/audit/reports?to=2026-01-01", null, "auditor"), "from");
        assertRefused(node.call("GET", "/api/v1/audit/reports?from=2026-01-01&to=2025-12-31", null, "auditor"), "to");
        assertRefused(node.call("GET", "/api/v1/audit/reports?from=2024-01-01&to=2026-01-01", null, "auditor"), "to");
        assertRefused(node.call("GET", "/api/v1/audit/reports?from=1-1-2026&to=2026-01-01", null, "auditor"), "from");
    }

    static void assertRefused(NodeHarness.Response r, String field) {
        assertEquals(400, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertTrue(r.body().get("violations").toString().contains("\"field\":\"" + field + "\""), r.body().toString());
    }

    static JsonNode report(NodeHarness node, LocalDate from, LocalDate to) {
        NodeHarness.Response r = node.call("GET", "/api/v1/audit/reports?from=" + from + "&to=" + to, null, "auditor");
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body();
    }

    static boolean hasAccess(JsonNode report, String role, String kind, int entries) {
        for (JsonNode a : report.get("accessesByRole")) {
            if (a.get("role").asText().equals(role) && a.get("kind").asText().equals(kind)) {
                return a.get("entries").asInt() == entries;
            }
        }
        return false;
    }
}
