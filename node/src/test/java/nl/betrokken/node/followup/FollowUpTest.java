package nl.betrokken.node.followup;

import static nl.betrokken.node.followup.Fixtures.assertRefusedNaming;
import static nl.betrokken.node.followup.Fixtures.followUp;
import static nl.betrokken.node.followup.Fixtures.notified;
import static nl.betrokken.node.followup.Fixtures.regie;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.MutableClock;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;

/**
 * Follow-up at one node: each outcome recorded and kept, the refusals, regie between two organisations of the
 * same node, and the overdue flags as the clock moves on.
 */
class FollowUpTest {

    private static final Map<Db, NodeHarness> NODES = new EnumMap<>(Db.class);

    static synchronized NodeHarness node(Db db) {
        return NODES.computeIfAbsent(db, Fixtures::node);
    }

    @AfterAll
    static void stop() {
        NODES.values().forEach(NodeHarness::close);
        NODES.clear();
    }

    static LocalDate today(NodeHarness node) {
        return LocalDate.now(node.bean(Clock.class));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void followUp_eachOutcome_isRecordedKeptAndShownWithTheMatch(Db db) {
        NodeHarness node = node(db);
        UUID match = Fixtures.sameNodeMatch(node);
        assertEquals(false, Fixtures.matchAsSeenBy(node, "prof-a", match).get("overdue").asBoolean());
        assertFalse(Fixtures.matchAsSeenBy(node, "prof-a", match).has("followUp"));

        NodeHarness.Response made = followUp(node, "prof-a", match,
                Map.of("outcome", "CONTACT_MADE", "on", today(node).toString()));
        assertEquals(200, made.status(), String.valueOf(made.body()));
        JsonNode seen = Fixtures.matchAsSeenBy(node, "prof-a", match);
        assertEquals("CONTACT_MADE", seen.get("followUp").asText());
        assertEquals(today(node).toString(), seen.get("followUpOn").asText());
        assertFalse(Fixtures.matchAsSeenBy(node, "prof-b", match).has("followUp"), "each side records its own");

        assertEquals(200, followUp(node, "prof-a", match, Map.of("outcome", "NOT_NEEDED",
                "reason", "ALREADY_IN_CONTACT", "note", "loopt al via wijkteam")).status());
        assertEquals("NOT_NEEDED", Fixtures.matchAsSeenBy(node, "prof-a", match).get("followUp").asText());

        NodeHarness.Response regie = followUp(node, "prof-a", match, Map.of("outcome", "TAKES_REGIE"));
        assertEquals(200, regie.status(), String.valueOf(regie.body()));
        assertEquals("OWN", regie.body().get("regie").asText());
        assertEquals("TAKES_REGIE", Fixtures.matchAsSeenBy(node, "prof-a", match).get("followUp").asText());

        JsonNode history = node.call("GET", "/api/v1/matches/" + match + "/follow-up", null, "prof-a").body();
        assertEquals(List.of("TAKES_REGIE", "NOT_NEEDED", "CONTACT_MADE"),
                List.of(history.get("history").get(0).get("outcome").asText(),
                        history.get("history").get(1).get("outcome").asText(),
                        history.get("history").get(2).get("outcome").asText()), "every change is kept, newest first");
        assertEquals("ALREADY_IN_CONTACT", history.get("history").get(1).get("reason").asText());
        assertEquals("noord-prof-a", history.get("history").get(0).get("recordedBy").asText());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void followUp_badInput_isRefusedNamingTheFieldAndStoresNothing(Db db) {
        NodeHarness node = node(db);
        UUID match = Fixtures.sameNodeMatch(node, Fixtures.now(node).minus(Duration.ofDays(3)));
        LocalDate today = today(node);
        assertRefusedNaming(followUp(node, "prof-a", match, Map.of("outcome", "CONTACT_MADE",
                "on", today.plusDays(1).toString())), 400, "on");
        assertRefusedNaming(followUp(node, "prof-a", match, Map.of("outcome", "CONTACT_MADE",
                "on", today.minusDays(5).toString())), 400, "on");
        assertRefusedNaming(followUp(node, "prof-a", match, Map.of("outcome", "CONTACT_MADE",
                "on", "31-12-2024")), 400, "on");
        assertRefusedNaming(followUp(node, "prof-a", match, Map.of("outcome", "CONTACT_MADE")), 400, "on");
        assertRefusedNaming(followUp(node, "prof-a", match, Map.of("outcome", "CALLED")), 400, "outcome");
        assertRefusedNaming(followUp(node, "prof-a", match, Map.of("on", today.toString())), 400, "outcome");
        assertRefusedNaming(followUp(node, "prof-a", match, Map.of("outcome", "NOT_NEEDED")), 400, "reason");
        assertRefusedNaming(followUp(node, "prof-a", match, Map.of("outcome", "NOT_NEEDED", "reason", "BUSY")),
                400, "reason");
        assertRefusedNaming(followUp(node, "prof-a", match, Map.of("outcome", "NOT_NEEDED", "reason", "OTHER",
                "note", "x".repeat(201))), 400, "note");
        assertRefusedNaming(followUp(node, "prof-a", match, Map.of("outcome", "TAKES_REGIE",
                "on", today.toString())), 400, "on");
        assertEquals(400, followUp(node, "prof-a", match, "{\"outcome\":").status(), "malformed JSON");

        UUID otherNodes = UUID.randomUUID();
        Fixtures.insertMatch(node, otherNodes, Fixtures.signal(node, "prof-a"), "oost", "s-elsewhere",
                Fixtures.now(node));
        assertEquals(404, followUp(node, "prof-b", otherNodes, Map.of("outcome", "TAKES_REGIE")).status(),
                "another organisation's match is not found");
        assertEquals(404, followUp(node, "prof-a", UUID.randomUUID(), Map.of("outcome", "TAKES_REGIE")).status());
        assertEquals(403, followUp(node, "gemeente", match, Map.of("outcome", "TAKES_REGIE")).status());
        assertEquals(401, followUp(node, null, match, Map.of("outcome", "TAKES_REGIE")).status());

        assertEquals(0, node.call("GET", "/api/v1/matches/" + match + "/follow-up", null, "prof-a").body()
                .get("history").size(), "no refusal left a record");
        assertEquals(200, followUp(node, "prof-a", match, Map.of("outcome", "CONTACT_MADE",
                "on", today.minusDays(3).toString())).status(), "the day of the match itself is fine");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void regie_twoOrganisationsOfOneNode_bothSeeWhoAndASecondClaimWaitsForTheHandOver(Db db) {
        NodeHarness node = node(db);
        UUID match = Fixtures.sameNodeMatch(node);
        assertEquals(null, regie(node, "prof-a", match));
        assertEquals(200, followUp(node, "prof-a", match, Map.of("outcome", "TAKES_REGIE")).status());
        assertEquals("OWN", regie(node, "prof-a", match));
        assertEquals("COUNTERPART", regie(node, "prof-b", match));

        assertRefusedNaming(followUp(node, "prof-b", match, Map.of("outcome", "TAKES_REGIE")), 409, "outcome");
        assertRefusedNaming(followUp(node, "prof-a", match, Map.of("outcome", "NOT_NEEDED", "reason", "OTHER")),
                409, "outcome");
        assertEquals(409, node.call("DELETE", "/api/v1/matches/" + match + "/regie", null, "prof-b").status(),
                "only the holder hands over");
        assertEquals("OWN", regie(node, "prof-a", match));

        assertEquals(200, node.call("DELETE", "/api/v1/matches/" + match + "/regie", null, "prof-a").status());
        assertEquals(null, regie(node, "prof-a", match));
        assertEquals(null, regie(node, "prof-b", match));
        assertEquals(200, followUp(node, "prof-b", match, Map.of("outcome", "TAKES_REGIE")).status());
        assertEquals("COUNTERPART", regie(node, "prof-a", match));
        assertEquals("OWN", regie(node, "prof-b", match));
        assertEquals(List.of(), Fixtures.query(node, "SELECT id FROM regie_message WHERE match_id = ?", match),
                "a counterpart on this node is told in the same transaction");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void overdue_afterTheDays_flagsBothProfessionalsOnceThenTheCoordinatorOnce(Db db) {
        NodeHarness node = node(db);
        OverdueFlags flags = node.bean(OverdueFlags.class);
        MutableClock clock = (MutableClock) node.bean(Clock.class);
        UUID silent = Fixtures.sameNodeMatch(node);
        UUID halfDone = Fixtures.sameNodeMatch(node);
        assertEquals(200, followUp(node, "prof-b", halfDone, Map.of("outcome", "CONTACT_MADE",
                "on", today(node).toString())).status());

        clock.advance(Duration.ofDays(13));
        flags.run();
        assertEquals(List.of(), notified(node, OverdueFlags.OVERDUE, silent), "13 days is not yet overdue");
        assertFalse(Fixtures.matchAsSeenBy(node, "prof-a", silent).get("overdue").asBoolean());

        clock.advance(Duration.ofDays(1));
        flags.run();
        assertEquals(List.of("noord-prof-a", "noord-prof-b"), notified(node, OverdueFlags.OVERDUE, silent),
                "both professionals of the match are flagged");
        assertEquals(List.of("noord-prof-a"), notified(node, OverdueFlags.OVERDUE, halfDone),
                "only the side without follow-up");
        assertTrue(Fixtures.matchAsSeenBy(node, "prof-a", silent).get("overdue").asBoolean());
        assertFalse(Fixtures.matchAsSeenBy(node, "prof-b", halfDone).get("overdue").asBoolean());
        assertEquals(List.of(), notified(node, OverdueFlags.ESCALATED, silent));
        flags.run();
        assertEquals(2, notified(node, OverdueFlags.OVERDUE, silent).size(), "flagged once");

        clock.advance(Duration.ofDays(14));
        flags.run();
        flags.run();
        assertEquals(List.of("noord-coord-a"), notified(node, OverdueFlags.ESCALATED, silent),
                "then org-a's instellingscoördinator, once (org-b has none)");
        assertEquals(List.of("noord-coord-a"), notified(node, OverdueFlags.ESCALATED, halfDone));
        assertEquals(2, notified(node, OverdueFlags.OVERDUE, silent).size());

        assertEquals(200, followUp(node, "prof-a", silent, Map.of("outcome", "CONTACT_MADE",
                "on", today(node).toString())).status());
        assertFalse(Fixtures.matchAsSeenBy(node, "prof-a", silent).get("overdue").asBoolean(),
                "a follow-up clears the flag in the list");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void overdue_theCoordinatorListsTheOrganisationsOverdueSides_withTheDayOfEscalation(Db db) {
        NodeHarness node = node(db);
        OverdueFlags flags = node.bean(OverdueFlags.class);
        MutableClock clock = (MutableClock) node.bean(Clock.class);
        LocalDate matched = today(node);
        UUID silent = Fixtures.sameNodeMatch(node);
        UUID done = Fixtures.sameNodeMatch(node);
        assertEquals(200, followUp(node, "prof-a", done, Map.of("outcome", "CONTACT_MADE",
                "on", today(node).toString())).status());

        clock.advance(Duration.ofDays(13));
        assertFalse(overdueSeenByCoordinator(node).toString().contains(silent.toString()), "13 days is not overdue");

        clock.advance(Duration.ofDays(1));
        JsonNode item = overdueItem(node, silent);
        assertEquals(matched.toString(), item.get("matchedOn").asText());
        assertEquals(matched.plusDays(14).toString(), item.get("overdueSince").asText());
        assertTrue(item.get("escalatedOn") == null || item.get("escalatedOn").isNull(), "not escalated yet");
        assertEquals("noord-prof-a", item.at("/professional/username").asText());
        assertEquals("CHILD", item.get("type").asText());
        assertFalse(overdueSeenByCoordinator(node).toString().contains(done.toString()), "org-a followed that up");

        clock.advance(Duration.ofDays(14));
        flags.run();
        assertEquals(today(node).toString(), overdueItem(node, silent).get("escalatedOn").asText());

        NodeHarness.Response page = node.call("GET", "/api/v1/follow-up/overdue", null, "coord-a");
        assertEquals(14, page.body().get("overdueDays").asInt());
        assertEquals(28, page.body().get("escalateDays").asInt());
        for (JsonNode i : page.body().get("items")) {
            assertTrue(i.at("/professional/username").asText().startsWith("noord-prof-a"),
                    "only org-a's sides: " + i);
        }
        assertEquals(403, node.call("GET", "/api/v1/follow-up/overdue", null, "prof-a").status());
        assertEquals(200, followUp(node, "prof-a", silent, Map.of("outcome", "NOT_NEEDED",
                "reason", "ALREADY_IN_CONTACT")).status());
        assertFalse(overdueSeenByCoordinator(node).toString().contains(silent.toString()), "followed up: gone");
    }

    private static JsonNode overdueSeenByCoordinator(NodeHarness node) {
        NodeHarness.Response r = node.call("GET", "/api/v1/follow-up/overdue", null, "coord-a");
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body().get("items");
    }

    private static JsonNode overdueItem(NodeHarness node, UUID match) {
        for (JsonNode i : overdueSeenByCoordinator(node)) {
            if (i.get("matchId").asText().equals(match.toString())) {
                return i;
            }
        }
        throw new AssertionError("match " + match + " not in the coördinator's overdue list");
    }
}
