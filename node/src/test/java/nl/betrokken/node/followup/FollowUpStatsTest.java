package nl.betrokken.node.followup;

import static nl.betrokken.node.followup.Fixtures.assertRefusedNaming;
import static nl.betrokken.node.followup.Fixtures.followUp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.MutableClock;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;

/** The gemeente's follow-up figures per organisation and month, on a node of its own so that the counts are exact. */
class FollowUpStatsTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void stats_countFollowUpPerOrganisationAndMonthOfTheMatch(Db db) {
        try (NodeHarness node = Fixtures.node(db)) {
            ZonedDateTime now = ZonedDateTime.now(node.bean(Clock.class));
            String today = LocalDate.now(node.bean(Clock.class)).toString();
            UUID m1 = Fixtures.sameNodeMatch(node);
            UUID m2 = Fixtures.sameNodeMatch(node);
            Fixtures.sameNodeMatch(node);
            UUID m4 = Fixtures.sameNodeMatch(node, now.minusMonths(1).toInstant());
            assertEquals(200, followUp(node, "prof-a", m1, Map.of("outcome", "CONTACT_MADE", "on", today)).status());
            assertEquals(200, followUp(node, "prof-a", m2, Map.of("outcome", "TAKES_REGIE")).status());
            assertEquals(200, followUp(node, "prof-b", m2, Map.of("outcome", "NOT_NEEDED",
                    "reason", "NO_LONGER_INVOLVED")).status());
            assertEquals(200, followUp(node, "prof-b", m4, Map.of("outcome", "NOT_NEEDED", "reason", "OTHER")).status());
            ((MutableClock) node.bean(Clock.class)).advance(Duration.ofDays(28));
            node.bean(OverdueFlags.class).run();

            YearMonth month = YearMonth.from(now);
            YearMonth before = month.minusMonths(1);
            NodeHarness.Response r = node.call("GET", "/api/v1/follow-up/stats?from=" + before + "&to=" + month, null,
                    "gemeente");
            assertEquals(200, r.status(), String.valueOf(r.body()));
            Map<String, String> rows = new HashMap<>();
            for (JsonNode row : r.body().get("rows")) {
                rows.put(row.get("organisationId").asText() + " " + row.get("month").asText(),
                        List.of("matches", "followedUp", "contactMade", "notNeeded", "regieTaken", "overdue",
                                "escalated", "followUpRate").stream().map(f -> row.get(f).asText()).toList().toString());
            }
            // matches, followedUp, contactMade, notNeeded, regieTaken, overdue, escalated, followUpRate
            assertEquals(Map.of(
                    "noord-org-a " + month, "[3, 2, 1, 0, 1, 1, 1, 0.667]",
                    "noord-org-b " + month, "[3, 1, 0, 1, 0, 2, 2, 0.333]",
                    "noord-org-a " + before, "[1, 0, 0, 0, 0, 1, 1, 0.0]",
                    "noord-org-b " + before, "[1, 1, 0, 1, 0, 0, 0, 1.0]"), rows);
            String text = r.body().toString();
            assertFalse(text.contains("prof") || text.contains("Testkind") || text.contains("coord"),
                    "no professional or youth in the figures: " + text);

            NodeHarness.Response onlyBefore = node.call("GET", "/api/v1/follow-up/stats?from=" + before + "&to="
                    + before, null, "gemeente");
            assertEquals(2, onlyBefore.body().get("rows").size());
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void stats_badMonthsOrRole_areRefused(Db db) {
        NodeHarness node = nl.betrokken.node.NodeHarness.shared(db);
        assertRefusedNaming(node.call("GET", "/api/v1/follow-up/stats?from=2025-13&to=2025-12", null, "gemeente"),
                400, "from");
        assertRefusedNaming(node.call("GET", "/api/v1/follow-up/stats?from=2025-01", null, "gemeente"), 400, "to");
        assertRefusedNaming(node.call("GET", "/api/v1/follow-up/stats?from=2025-05&to=2025-04", null, "gemeente"),
                400, "to");
        assertRefusedNaming(node.call("GET", "/api/v1/follow-up/stats?from=2023-01&to=2025-01", null, "gemeente"),
                400, "to");
        assertEquals(200, node.call("GET", "/api/v1/follow-up/stats?from=2025-01&to=2025-12", null, "gemeente")
                .status());
        assertEquals(403, node.call("GET", "/api/v1/follow-up/stats?from=2025-01&to=2025-12", null, "prof-a")
                .status());
        assertEquals(403, node.call("GET", "/api/v1/follow-up/stats?from=2025-01&to=2025-12", null, "coord-a")
                .status());
    }
}
