package nl.betrokken.node.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.TestFederation;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.followup.RegieSender;

/**
 * Matches older than their ticket (30 days), or after a long outage: the node renews the ticket at the coordinator
 * and the contact request or regie message goes through. noord on PostgreSQL, oost on H2, a coordinator process.
 * The stored ticket is replaced by one whose expiry lies in the past (its signature no longer fits, so the other node
 * would refuse it too), or by one the other node refuses while its expiry looks fine.
 */
class ExpiredTicketTest {

    static TestFederation federation;
    static Map<String, NodeHarness> NODES;

    @BeforeAll
    static void start() {
        federation = TestFederation.noordAndOost(NodeHarness.Db.POSTGRES, NodeHarness.Db.H2,
                Map.of("betrokken.follow-up.regie-send-interval", "1h"));
        NODES = federation.nodes();
    }

    @AfterAll
    static void stop() {
        federation.close();
    }

    static NodeHarness node(String id) {
        return NODES.get(id);
    }

    @Test
    void contact_withExpiredOrRefusedTicket_isFetchedWithARenewedOne() throws Exception {
        UUID match = match();
        for (Duration expiresIn : List.of(Duration.ofDays(-1), Duration.ofDays(10))) {
            String stale = reissued(ticket(match), expiresIn);
            forgetContact(match, stale);
            ContactClient contacts = node("noord").bean(ContactClient.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (contact(match) == null && System.nanoTime() < deadline) {
                contacts.fetchPending();
                Thread.sleep(100);
            }
            assertNotNull(contact(match), "fetched with a renewed ticket (stored one expiring in " + expiresIn + ")");
            assertNotEquals(stale, ticket(match), "the renewed ticket is stored");
        }
    }

    @Test
    void regie_withExpiredTicket_isDeliveredWithARenewedOne() throws Exception {
        UUID match = match();
        forgetContact(match, reissued(ticket(match), Duration.ofDays(-1)));
        setContact(match); // only the ticket is stale here
        assertEquals(200, node("noord").call("PUT", "/api/v1/matches/" + match + "/follow-up",
                Map.of("outcome", "TAKES_REGIE"), "prof-a").status());
        assertEquals(1, node("noord").bean(RegieSender.class).deliverDue());
        JsonNode f = node("oost").call("GET", "/api/v1/matches/" + match + "/follow-up", null, "prof-a").body();
        assertEquals("COUNTERPART", f.get("regie").asText());
    }

    /** A child match between prof-a at noord and prof-a at oost, once both nodes have it with the counterpart. */
    static UUID match() throws InterruptedException {
        String child = Youths.bsn();
        String atNoord = node("noord").call("POST", "/api/v1/signals", Youths.registration(child), "prof-a").body()
                .get("id").asText();
        node("oost").call("POST", "/api/v1/signals", Youths.registration(child), "prof-a");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode m : node("noord").call("GET", "/api/v1/matches", null, "prof-a").body().get("items")) {
                if (m.get("signalId").asText().equals(atNoord) && m.has("counterpart")) {
                    UUID match = UUID.fromString(m.get("id").asText());
                    awaitAtOost(match);
                    return match;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no match within 30 s");
    }

    static void awaitAtOost(UUID match) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (node("oost").call("GET", "/api/v1/matches/" + match + "/follow-up", null, "prof-a").status() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("oost did not get match " + match);
    }

    /** {@code ticket} with its expiry moved to now + {@code expiresIn}; the coordinator's signature no longer fits. */
    static String reissued(String ticket, Duration expiresIn) throws Exception {
        String[] parts = ticket.split("\\.");
        ObjectNode claims = (ObjectNode) NodeHarness.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        claims.put("exp", Instant.now().plus(expiresIn).getEpochSecond());
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                NodeHarness.JSON.writeValueAsString(claims).getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    static String ticket(UUID match) {
        return StuckContactTest.distinct(node("noord"), "SELECT ticket FROM node_match WHERE match_id = ?", match).get(0);
    }

    static String contact(UUID match) {
        return StuckContactTest.contact(node("noord"), match);
    }

    static void forgetContact(UUID match, String ticket) {
        StuckContactTest.tx(node("noord")).executeWrite(status -> {
            try (PreparedStatement update = status.getConnection().prepareStatement(
                    "UPDATE node_match SET ticket = ?, counterpart_contact = NULL WHERE match_id = ?")) {
                update.setString(1, ticket);
                update.setObject(2, match);
                return update.executeUpdate();
            }
        });
    }

    static void setContact(UUID match) {
        StuckContactTest.tx(node("noord")).executeWrite(status -> {
            try (PreparedStatement update = status.getConnection().prepareStatement(
                    "UPDATE node_match SET counterpart_contact = '{}' WHERE match_id = ?")) {
                update.setObject(1, match);
                return update.executeUpdate();
            }
        });
    }
}
