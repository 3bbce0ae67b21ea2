package nl.betrokken.node.audit;

import static nl.betrokken.node.audit.AuditFixtures.clock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.Period;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;
import nl.betrokken.node.Youths;
import nl.betrokken.node.archive.ArchiveService;

/**
 * The auditor's reports: retention compliance with a moved clock (a signal past its end counts until the archive job
 * runs, an archived one past five years until it is erased), accesses by role, objections counted with their
 * outcomes and handling times, and consents counted from nothing (AuditFederationTest counts real ones).
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
            assertEquals(0, first.get("objections").get("filed").asInt());
            JsonNode consents = first.get("consents");
            for (String count : List.of("asked", "partsGranted", "refused", "withdrawn", "expired", "sentWithConsent",
                    "sentWithoutConsent", "receivedWithConsent", "receivedWithoutConsent", "exchangesRefused")) {
                assertEquals(0, consents.get(count).asInt(), count + ": " + consents);
            }
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
    void objections_countedByOutcome_withOpenOverdueAndHandlingTimes_withoutIdentities(Db db) {
        try (NodeHarness node = AuditFixtures.movableNode(db)) {
            LocalDate today = LocalDate.now(clock(node));
            // filed, decided (or null), outcome, advice asked (or null): days before today
            objection(node, today, 30, 20, "UPHELD", 25);  // 10 days
            objection(node, today, 40, 10, "REJECTED", null); // 30 days
            objection(node, today, 50, 5, "REJECTED", null);  // 45 days: after its deadline (day 42)
            objection(node, today, 60, null, "OPEN", null);   // open, past its deadline
            objection(node, today, 3, null, "OPEN", null);    // open, within its deadline
            objection(node, today, 400, 390, "UPHELD", null); // long before the period

            JsonNode o = report(node, today.minusDays(100), today).get("objections");
            assertEquals(today.toString(), o.get("asOf").asText());
            assertEquals(5, o.get("filed").asInt(), o.toString());
            assertEquals(3, o.get("decided").asInt(), o.toString());
            assertEquals(1, o.get("upheld").asInt());
            assertEquals(2, o.get("rejected").asInt());
            assertEquals(2, o.get("open").asInt());
            assertEquals(1, o.get("overdue").asInt());
            assertEquals(1, o.get("adviceAsked").asInt());
            assertEquals(30.0, o.get("medianDaysToDecision").asDouble());
            assertEquals(45, o.get("maxDaysToDecision").asInt());
            assertEquals(1, o.get("decidedAfterDeadline").asInt());
            assertFalse(o.has("status"), "no longer 'not yet recorded'");

            // An earlier period: open is counted at its last day.
            JsonNode then = report(node, today.minusDays(45), today.minusDays(35)).get("objections");
            assertEquals(today.minusDays(35).toString(), then.get("asOf").asText());
            assertEquals(1, then.get("filed").asInt(), then.toString());
            assertEquals(0, then.get("decided").asInt());
            assertEquals(3, then.get("open").asInt(), "filed before its end and decided after it: " + then);
            assertEquals(0, then.get("overdue").asInt());
            assertFalse(then.hasNonNull("medianDaysToDecision"), "none decided: no median");
            assertFalse(then.hasNonNull("maxDaysToDecision"));

            String text = report(node, today.minusDays(100), today).toString();
            assertFalse(text.contains("reden-") || text.contains("gemeente-x"), "no reason and no decider: " + text);
        }
    }

    /** An objection row as the node stores it, its days counted back from {@code today} (noon, Amsterdam). */
    static void objection(NodeHarness node, LocalDate today, int filedDaysAgo, Integer decidedDaysAgo, String status,
                          Integer adviceDaysAgo) {
        LocalDate filed = today.minusDays(filedDaysAgo);
        AuditFixtures.execute(node, "INSERT INTO objection (id, signal_id, status, reason_sealed, filed_at, deadline,"
                        + " filed_via, relation, decided_at, decided_by, advice_asked_at) VALUES (?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?, ?)", java.util.UUID.randomUUID(), java.util.UUID.randomUUID(), status,
                ("reden-" + filedDaysAgo).getBytes(java.nio.charset.StandardCharsets.UTF_8), noon(filed),
                filed.plusWeeks(6), "noord", "PARENT", decidedDaysAgo == null ? null : noon(today.minusDays(decidedDaysAgo)),
                decidedDaysAgo == null ? null : "gemeente-x",
                adviceDaysAgo == null ? null : noon(today.minusDays(adviceDaysAgo)));
    }

    static java.sql.Timestamp noon(LocalDate day) {
        return java.sql.Timestamp.from(day.atTime(12, 0).atZone(nl.betrokken.node.ClockFactory.ZONE).toInstant());
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
