package nl.betrokken.node.inzage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.keys.NodeTokens;

/**
 * Inzage across two real nodes ({@code noord} on H2, {@code oost} on PostgreSQL) and a stand-in coordinator that
 * implements the inzage contract ({@link InzageCoordinator}): a parent sees their child's signals at both nodes while
 * the child is under 16 and not from 16; a youth sees their own from 12 and not at 11; a stranger sees nothing; a
 * held-back signal does not appear and its 404 is the one of an unknown signal, until the gemeente releases it; a replayed, expired or someone else's
 * ticket is refused; a node that does not answer is named in {@code unavailable}.
 */
class InzageTest {

    static InzageCoordinator coordinator;
    static final Map<String, NodeHarness> NODES = new LinkedHashMap<>();
    static final AtomicInteger REGISTERED = new AtomicInteger();
    static final LocalDate TODAY = LocalDate.now(ClockFactory.ZONE);

    @BeforeAll
    static void start() {
        coordinator = new InzageCoordinator();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String n : List.of("noord", "oost")) {
            ports.put(n, NodeHarness.freePort());
        }
        // west is in the federation but does not answer: nothing listens on its port.
        String peers = "noord=http://127.0.0.1:" + ports.get("noord") + ",oost=http://127.0.0.1:" + ports.get("oost")
                + ",west=http://127.0.0.1:" + NodeHarness.freePort();
        ports.forEach((n, port) -> {
            Map<String, Object> p = new HashMap<>(NodeHarness.prepare(
                    n.equals("noord") ? NodeHarness.Db.H2 : NodeHarness.Db.POSTGRES, n, coordinator.url(), peers));
            p.put("micronaut.server.port", port);
            p.put("betrokken.feed.follower.enabled", false);
            p.put("betrokken.audit.countersign", false);
            coordinator.enrol(n, java.nio.file.Path.of((String) p.get("betrokken.data-dir")));
            NODES.put(n, NodeHarness.start(p));
        });
    }

    @AfterAll
    static void stop() {
        NODES.values().forEach(NodeHarness::close);
        coordinator.close();
    }

    @Test
    void parent_seesTheSignalsOfTheirChildUnder16AtBothNodes_notAt16() {
        String parent = Youths.bsn();
        String child = Youths.bsn();
        String atNoord = register("noord", Youths.registration(child, TODAY.minusYears(16).plusDays(1).toString(), parent));
        String atOost = register("oost", Youths.registration(child, TODAY.minusYears(16).plusDays(1).toString()));
        String otherParent = Youths.bsn();
        String sixteen = Youths.bsn();
        register("noord", Youths.registration(sixteen, TODAY.minusYears(16).toString(), otherParent));
        delivered();

        JsonNode page = signals("noord", parent);
        assertEquals(0, page.get("unavailable").size(), page.toString());
        Map<String, JsonNode> items = byId(page);
        assertEquals(2, items.size(), "the child's signal at noord and the one at oost (found as the same child): " + page);
        JsonNode noord = items.get(atNoord);
        assertEquals("noord", noord.get("node").asText());
        assertEquals("PARENT", noord.get("relation").asText());
        assertEquals("Testkind", noord.get("youth").get("name").asText());
        assertEquals("Professional A (noord)", noord.get("professional").asText());
        assertEquals("noord-prof-a@example.org", noord.get("email").asText());
        assertEquals("noord-org-a", noord.get("organisation").asText());
        assertEquals("ACTIVE", noord.get("status").asText());
        assertEquals(TODAY.toString(), noord.get("registeredOn").asText());
        assertEquals(LocalDate.parse(noord.get("activeUntil").asText()).plusYears(5).toString(),
                noord.get("deleteAfter").asText());
        assertEquals("Ernstige problemen bij het opvoeden of opgroeien", noord.get("ground").asText());
        assertTrue(noord.get("parentsInformed").asBoolean());
        List<String> actions = new ArrayList<>();
        noord.get("accesses").forEach(a -> actions.add(a.get("role").asText() + " " + a.get("action").asText()));
        assertEquals(List.of("prof signal.registered", "node inzage.served"), actions);
        assertEquals("noord-org-a", noord.get("accesses").get(0).get("organisation").asText());
        assertEquals("noord", noord.get("accesses").get(1).get("organisation").asText(), "the node that asked");
        JsonNode servedForOost = items.get(atOost).get("accesses");
        assertEquals("noord", servedForOost.get(servedForOost.size() - 1).get("organisation").asText());
        assertTrue(!noord.toString().contains("noord-prof-a\""), "no actor's username: " + noord);
        assertEquals("oost", items.get(atOost).get("node").asText());

        assertEquals(0, signals("oost", otherParent).get("items").size(), "from 16 the parents no longer see it");
        assertEquals(1, signals("noord", sixteen).get("items").size(), "the 16-year-old sees their own");
    }

    @Test
    void youth_seesTheirOwnFrom12_notAt11() {
        String twelve = Youths.bsn();
        String eleven = Youths.bsn();
        String own = register("oost", Youths.registration(twelve, TODAY.minusYears(12).toString()));
        register("noord", Youths.registration(eleven, TODAY.minusYears(12).plusDays(1).toString()));
        delivered();

        JsonNode page = signals("noord", twelve);
        assertEquals(List.of(own), List.copyOf(byId(page).keySet()));
        assertEquals("SELF", page.get("items").get(0).get("relation").asText());
        JsonNode none = signals("noord", eleven);
        assertEquals(0, none.get("items").size(), none.toString());
        assertEquals(0, none.get("unavailable").size(), "not a region that failed: nothing to see");
    }

    @Test
    void youthOf22_seesTheirOwn_theirParentsNot() {
        String youth = Youths.bsn();
        String parent = Youths.bsn();
        String own = register("oost", Youths.registration(youth, TODAY.minusYears(23).plusDays(1).toString(), parent));
        delivered();
        JsonNode page = signals("noord", youth);
        assertEquals(List.of(own), List.copyOf(byId(page).keySet()), "a youth of 22 sees their own: " + page);
        assertEquals("SELF", page.get("items").get(0).get("relation").asText());
        assertEquals(0, signals("noord", parent).get("items").size(), "the parents of a youth of 22 see nothing");
    }

    @Test
    void objectionWithAReplayedOrExpiredTicket_getsThe404OfNoSignal() {
        String youth = Youths.bsn();
        String signal = register("oost", Youths.registration(youth, TODAY.minusYears(14).toString()));
        String ref = ref("oost", signal);
        String spent = ticket("oost", ref, "noord", "SELF", Instant.now());
        assertEquals(200, fetch("oost", "noord", spent).status(), "an inzage spends the ticket");
        String reason = "Deze melding over mij klopt niet.";
        assertEquals(404, file("oost", "noord", List.of(spent), signal, reason).status(), "replayed");
        assertEquals(404, file("oost", "noord", List.of(ticket("oost", ref, "noord", "SELF",
                Instant.now().minus(Duration.ofMinutes(10)))), signal, reason).status(), "expired");
        assertEquals(404, file("oost", "noord", List.of(ticket("oost", ref, "zuid", "SELF", Instant.now())), signal,
                reason).status(), "issued to another node");
        NodeHarness.Response fresh = file("oost", "noord", List.of(ticket("oost", ref, "noord", "SELF", Instant.now())),
                signal, reason);
        assertEquals(201, fresh.status(), "a fresh ticket files it: " + fresh.body());
    }

    /** {@code POST /federation/v1/objections} at {@code holder} as node {@code asker}, with its own node token. */
    static NodeHarness.Response file(String holder, String asker, List<String> tickets, String signalId, String reason) {
        return NODES.get(holder).call("POST", "/federation/v1/objections",
                Map.of("tickets", tickets, "signalId", signalId, "reason", reason), null,
                Map.of("Authorization", "Bearer " + NODES.get(asker).bean(NodeTokens.class).forCall(holder)));
    }

    @Test
    void stranger_seesNothing() {
        register("noord", Youths.registration(Youths.bsn(), "2014-05-01", Youths.bsn()));
        delivered();
        JsonNode page = signals("oost", Youths.bsn());
        assertEquals(0, page.get("items").size());
        assertEquals(0, page.get("unavailable").size());
    }

    @Test
    void heldBackSignal_doesNotAppear_andIts404IsTheOneOfAnUnknownSignal() {
        String parent = Youths.bsn();
        String child = Youths.bsn();
        String informed = register("noord", Youths.registration(child, "2016-01-01", parent));
        Map<String, Object> veiligThuis = Youths.registration(child, "2016-01-01", parent);
        veiligThuis.put("parentsInformed", Map.of("notInformedReason", "informeren brengt het kind in gevaar"));
        String held = register("oost", veiligThuis);
        delivered();

        JsonNode page = signals("noord", parent);
        assertEquals(List.of(informed), List.copyOf(byId(page).keySet()), page.toString());
        assertEquals(0, page.get("unavailable").size(), "nothing says that something was held back");

        NodeHarness.Response heldAnswer = fetch("oost", "noord",
                ticket("oost", ref("oost", held), "noord", "PARENT", Instant.now()));
        NodeHarness.Response unknown = fetch("oost", "noord",
                ticket("oost", "s-" + UUID.randomUUID(), "noord", "PARENT", Instant.now()));
        assertEquals(404, heldAnswer.status());
        assertEquals(unknown.status(), heldAnswer.status());
        assertEquals(unknown.contentType(), heldAnswer.contentType());
        assertEquals(unknown.body(), heldAnswer.body());

        // Released by the gemeente: the next inzage shows it, with its registration from the sealed log now open.
        assertEquals(200, NODES.get("oost").call("POST", "/api/v1/audit/held/" + held + "/release", null, "gemeente",
                null).status());
        Map<String, JsonNode> after = byId(signals("noord", parent));
        assertEquals(java.util.Set.of(informed, held), after.keySet());
        List<String> actions = new ArrayList<>();
        after.get(held).get("accesses").forEach(a -> actions.add(a.get("role").asText() + " " + a.get("action").asText()));
        assertEquals(List.of("prof signal.registered", "gemeente audit.released", "node inzage.served"), actions);
        assertTrue(!after.get(held).get("parentsInformed").asBoolean());
    }

    @Test
    void replayedExpiredOrAnotherNodesTicket_isRefused() {
        String youth = Youths.bsn();
        String ref = ref("oost", register("oost", Youths.registration(youth, "2010-01-01")));

        String ticket = ticket("oost", ref, "noord", "SELF", Instant.now());
        assertEquals(200, fetch("oost", "noord", ticket).status());
        assertEquals(403, fetch("oost", "noord", ticket).status(), "replayed");
        assertEquals(403, fetch("oost", "noord",
                ticket("oost", ref, "noord", "SELF", Instant.now().minus(Duration.ofMinutes(10)))).status(), "expired");
        assertEquals(403, fetch("oost", "noord", coordinator.ticket("oost", ref, "noord", "SELF", Instant.now(),
                Duration.ofMinutes(30))).status(), "living longer than five minutes");
        assertEquals(403, fetch("oost", "noord", ticket("oost", ref, "zuid", "SELF", Instant.now())).status(),
                "issued to another node");
        assertEquals(403, fetch("oost", "noord", ticket("noord", ref, "noord", "SELF", Instant.now())).status(),
                "for another holding node");
        NodeHarness.Response noToken = NODES.get("oost").call("POST", "/federation/v1/inzage",
                Map.of("ticket", ticket("oost", ref, "noord", "SELF", Instant.now())), null, null);
        assertEquals(401, noToken.status(), "without the calling node's token");
    }

    @Test
    void veiligThuisTicket_servesOnlyTheVeiligThuisLookUp_andAnInzageTicketNeverThat() {
        String ref = ref("oost", register("oost", Youths.registration(Youths.bsn(), "2019-01-01")));
        String token = NODES.get("noord").bean(NodeTokens.class).forCall("oost");
        Map<String, Object> lookUp = Map.of("ticket", ticket("oost", ref, "noord", "SELF", Instant.now()),
                "lookup", UUID.randomUUID().toString(), "worker", "noord-veiligthuis",
                "reason", "Onderzoek na een melding");
        assertEquals(403, NODES.get("oost").call("POST", "/federation/v1/veilig-thuis", lookUp, null,
                Map.of("Authorization", "Bearer " + token)).status(), "an inzage ticket is not a look-up's");
        assertEquals(403, fetch("oost", "noord", ticket("oost", ref, "noord", "VEILIG_THUIS", Instant.now())).status(),
                "a look-up's ticket is not an inzage ticket");
        Map<String, Object> right = new java.util.HashMap<>(lookUp);
        right.put("ticket", ticket("oost", ref, "noord", "VEILIG_THUIS", Instant.now()));
        right.put("reason", "kort");
        NodeHarness.Response shortReason = NODES.get("oost").call("POST", "/federation/v1/veilig-thuis", right, null,
                Map.of("Authorization", "Bearer " + NODES.get("noord").bean(NodeTokens.class).forCall("oost")));
        assertEquals(400, shortReason.status(), String.valueOf(shortReason.body()));
        right.put("reason", "Onderzoek na een melding");
        NodeHarness.Response served = NODES.get("oost").call("POST", "/federation/v1/veilig-thuis", right, null,
                Map.of("Authorization", "Bearer " + NODES.get("noord").bean(NodeTokens.class).forCall("oost")));
        assertEquals(200, served.status(), "under 12, yet served: no age rule: " + served.body());
        assertEquals("ACTIVE", served.body().get("status").asText());
        assertTrue(!served.body().has("ground") && !served.body().has("youth"), served.body().toString());
    }

    @Test
    void nodeThatDoesNotAnswer_isListedAsUnavailable() {
        String parent = Youths.bsn();
        String child = Youths.bsn();
        String atNoord = register("noord", Youths.registration(child, "2015-01-01", parent));
        delivered();
        coordinator.alsoAt(ref("noord", atNoord), "west");

        JsonNode page = signals("oost", parent);
        assertEquals(List.of(atNoord), List.copyOf(byId(page).keySet()));
        assertEquals("west", page.get("unavailable").get(0).asText(), page.toString());
    }

    static String register(String node, Map<String, Object> body) {
        NodeHarness.Response r = NODES.get(node).call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        REGISTERED.incrementAndGet();
        return r.body().get("id").asText();
    }

    /** Waits until every registered signal reached the coordinator through the outbox. */
    static void delivered() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (coordinator.signalCount() < REGISTERED.get()) {
            assertTrue(System.nanoTime() < deadline, "the outbox delivered " + coordinator.signalCount() + " of "
                    + REGISTERED.get());
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The inzage of {@code bsn}, signed in at {@code node} through its dev identity provider. */
    static JsonNode signals(String node, String bsn) {
        NodeHarness.Response token = NODES.get(node).call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        assertEquals(200, token.status(), String.valueOf(token.body()));
        NodeHarness.Response r = NODES.get(node).call("GET", "/api/v1/citizen/signals", null, null,
                Map.of("Authorization", "Bearer " + token.body().get("access_token").asText()));
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body();
    }

    static Map<String, JsonNode> byId(JsonNode page) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        page.get("items").forEach(i -> out.put(i.get("id").asText(), i));
        return out;
    }

    static String ticket(String holder, String ref, String asker, String relation, Instant issuedAt) {
        return coordinator.ticket(holder, ref, asker, relation, issuedAt, Duration.ofMinutes(2));
    }

    /** {@code POST /federation/v1/inzage} at {@code holder} as node {@code asker}, with its own node token. */
    static NodeHarness.Response fetch(String holder, String asker, String ticket) {
        return NODES.get(holder).call("POST", "/federation/v1/inzage", Map.of("ticket", ticket), null,
                Map.of("Authorization", "Bearer " + NODES.get(asker).bean(NodeTokens.class).forCall(holder)));
    }

    @SuppressWarnings("unchecked")
    static String ref(String node, String id) {
        TransactionOperations<Connection> tx = NODES.get(node).bean(TransactionOperations.class);
        return tx.executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement("SELECT ref FROM signal WHERE id = ?")) {
                select.setObject(1, UUID.fromString(id));
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }
}
