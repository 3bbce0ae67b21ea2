package nl.betrokken.coordinator.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.coordinator.feed.Tickets;
import nl.betrokken.crypto.token.Es256TokenVerifier;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.VerifiedToken;

class MatchingTest {

    private static void ok(Harness.Response r) {
        assertEquals(200, r.status(), String.valueOf(r.body()));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void match_sameYouthTwoRegions_isOneChildMatchSeenByBothNodes(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        String child = People.bsn();
        ok(noord.submit(List.of(People.record("n-1", "org-a", child))));
        ok(oost.submit(List.of(People.record("o-1", "org-a", child))));

        List<JsonNode> atNoord = noord.created();
        List<JsonNode> atOost = oost.created();
        assertEquals(1, atNoord.size());
        assertEquals(1, atOost.size());
        JsonNode n = atNoord.get(0);
        assertEquals("CHILD", n.get("type").asText());
        assertEquals("n-1", n.get("ref").asText());
        assertEquals(oost.id(), n.get("counterpart").get("node").asText());
        assertEquals("o-1", n.get("counterpart").get("ref").asText());
        assertTrue(n.get("crossRegion").asBoolean());
        assertEquals(n.get("matchId"), atOost.get(0).get("matchId"));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void match_sameOrganisation_isNoMatch(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        String child = People.bsn();
        ok(noord.submit(List.of(People.record("n-1", "org-a", child))));
        ok(noord.submit(List.of(People.record("n-2", "org-a", child))));
        assertTrue(noord.created().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void match_twoOrganisationsOfOneRegion_isWithinRegion(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        String child = People.bsn();
        ok(noord.submit(List.of(People.record("n-1", "org-a", child), People.record("n-2", "org-b", child))));
        List<JsonNode> created = noord.created();
        assertEquals(2, created.size(), "one entry for each of the node's two signals");
        assertFalse(created.get(0).get("crossRegion").asBoolean());
        assertEquals(Set.of("n-1", "n-2"), Set.of(created.get(0).get("ref").asText(), created.get(1).get("ref").asText()));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void match_threeOrganisationsOnOneYouth_giveThreeMatches(Db db) {
        Harness h = Harness.shared(db);
        TestNode a = h.enrol("noord");
        TestNode b = h.enrol("oost");
        TestNode c = h.enrol("zuid");
        String child = People.bsn();
        ok(a.submit(List.of(People.record("a", "org", child))));
        ok(b.submit(List.of(People.record("b", "org", child))));
        ok(c.submit(List.of(People.record("c", "org", child))));
        Set<String> matchIds = new TreeSet<>();
        for (TestNode n : List.of(a, b, c)) {
            List<JsonNode> created = n.created();
            assertEquals(2, created.size(), n.id() + " is party to two of the three matches");
            created.forEach(e -> matchIds.add(e.get("matchId").asText()));
        }
        assertEquals(3, matchIds.size());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void match_siblingsWithSharedParent_isFamilyMatch(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode zuid = h.enrol("zuid");
        String mother = People.bsn();
        ok(noord.submit(List.of(People.record("n-1", "org", People.bsn(), mother, People.bsn()))));
        ok(zuid.submit(List.of(People.record("z-1", "org", People.bsn(), mother))));
        List<JsonNode> created = zuid.created();
        assertEquals(1, created.size());
        assertEquals("FAMILY", created.get(0).get("type").asText());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void match_sameYouthAndSameParent_isOnlyAChildMatch(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        String child = People.bsn();
        String parent = People.bsn();
        ok(noord.submit(List.of(People.record("n-1", "org", child, parent))));
        ok(oost.submit(List.of(People.record("o-1", "org", child, parent))));
        List<JsonNode> created = oost.created();
        assertEquals(1, created.size());
        assertEquals("CHILD", created.get(0).get("type").asText());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void match_youthWhoIsAlsoAParent_isNotAFamilyMatchOnThatPerson(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        String youngMother = People.bsn();
        ok(noord.submit(List.of(People.record("n-1", "org", youngMother))));
        ok(oost.submit(List.of(People.record("o-1", "org", People.bsn(), youngMother))));
        assertTrue(oost.created().isEmpty(), "a family match needs a parent in common, not a youth who is a parent");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void match_inOneBatchOrInTwo_givesTheSameMatches(Db db) {
        Harness h = Harness.shared(db);
        String child = People.bsn();
        String parent = People.bsn();
        TestNode together = h.enrol("noord");
        ok(together.submit(List.of(People.record("x", "org-a", child, parent),
                People.record("y", "org-b", People.bsn(), parent), People.record("z", "org-c", child))));
        TestNode apart = h.enrol("oost");
        String child2 = People.bsn();
        String parent2 = People.bsn();
        ok(apart.submit(List.of(People.record("z", "org-c", child2))));
        ok(apart.submit(List.of(People.record("y", "org-b", People.bsn(), parent2))));
        ok(apart.submit(List.of(People.record("x", "org-a", child2, parent2))));
        assertEquals(kinds(together.created()), kinds(apart.created()));
        assertEquals(4, together.created().size(), "x-z child and x-y family, two entries each");
    }

    private static List<String> kinds(List<JsonNode> entries) {
        List<String> k = new ArrayList<>();
        entries.forEach(e -> k.add(e.get("ref").asText() + "-" + e.get("counterpart").get("ref").asText() + ":"
                + e.get("type").asText()));
        k.sort(null);
        return k;
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void ticket_isSignedByTheCoordinatorAndNamesBothParties(Db db) throws Exception {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        String child = People.bsn();
        ok(noord.submit(List.of(People.record("n-1", "org", child))));
        ok(oost.submit(List.of(People.record("o-1", "org", child))));
        JsonNode entry = oost.created().get(0);

        Harness.Response jwks = h.call("GET", "/.well-known/jwks.json", null, null);
        assertEquals(200, jwks.status());
        assertFalse(jwks.body().toString().contains("\"d\""), "no private key material is published");
        VerifiedToken ticket = Es256TokenVerifier.builder()
                .trustedKeys(PublicKeySet.parse(jwks.body().toString()))
                .expectedAudience(Tickets.AUDIENCE).expectedIssuer(Tickets.ISSUER).expectedType(Tickets.TYPE)
                .build().verify(entry.get("ticket").asText());
        assertEquals(entry.get("matchId").asText(), ticket.claims().subject());
        assertEquals(List.of(noord.id() + ":n-1", oost.id() + ":o-1").stream().sorted().toList(),
                ticket.claims().require(Tickets.PARTIES));
        assertEquals("CHILD", ticket.claims().require(Tickets.MATCH_TYPE));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void feed_waitingNode_hearsOfNewMatchBeforeItsWaitEnds(Db db) throws Exception {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        String child = People.bsn();
        ok(noord.submit(List.of(People.record("n-1", "org", child))));
        long started = System.nanoTime();
        CompletableFuture<Harness.Response> waiting = CompletableFuture.supplyAsync(() -> noord.feed(0, 30));
        Thread.sleep(300);
        ok(oost.submit(List.of(People.record("o-1", "org", child))));
        Harness.Response r = waiting.get(30, TimeUnit.SECONDS);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(1, r.body().get("entries").size());
        assertTrue(waitedMillis < 15_000, "the long-poll was answered by the match, not by its 30 s timeout");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void feed_afterAck_startsAfterTheAcknowledgedEntry(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        String one = People.bsn();
        String two = People.bsn();
        ok(noord.submit(List.of(People.record("n-1", "org", one), People.record("n-2", "org", two))));
        ok(oost.submit(List.of(People.record("o-1", "org", one), People.record("o-2", "org", two))));
        h.awaitMatching();
        Harness.Response unacked = h.call("GET", "/internal/v1/feed", null, noord.token());
        assertEquals(2, unacked.body().get("entries").size());
        long first = unacked.body().get("entries").get(0).get("seq").asLong();
        assertEquals(204, h.call("POST", "/internal/v1/feed/ack", Map.of("upTo", first), noord.token()).status());
        Harness.Response rest = h.call("GET", "/internal/v1/feed", null, noord.token());
        assertEquals(1, rest.body().get("entries").size());
        assertTrue(rest.body().get("entries").get(0).get("seq").asLong() > first);
    }
}
