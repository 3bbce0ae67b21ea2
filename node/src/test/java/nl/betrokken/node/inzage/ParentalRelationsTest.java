package nl.betrokken.node.inzage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;

/**
 * The relation source is one interface: a node started with another {@link ParentalRelations} bean (a stand-in for
 * the BRP's register of parental authority, {@link RegisterRelations}) uses it for inzage and for bezwaar alike, and
 * the holding node's age rules still apply whatever the source says. A node without one uses the default,
 * {@link SignalNamedParents} (named as a parent on a signal; every other inzage and objection test runs on it).
 */
class ParentalRelationsTest {

    static InzageCoordinator coordinator;
    static NodeHarness node;

    @BeforeAll
    static void start() {
        coordinator = new InzageCoordinator();
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(NodeHarness.Db.H2, "noord", coordinator.url(), ""));
        p.put("betrokken.feed.follower.enabled", false);
        p.put("betrokken.audit.countersign", false);
        p.put(RegisterRelations.PROPERTY, true);
        coordinator.enrol("noord", java.nio.file.Path.of((String) p.get("betrokken.data-dir")));
        node = NodeHarness.start(p);
    }

    @AfterAll
    static void stop() {
        RegisterRelations.source = person -> List.of();
        node.close();
        coordinator.close();
    }

    @Test
    void replacingBean_isTheRelationSourceOfInzageAndBezwaar() {
        assertInstanceOf(RegisterRelations.class, node.bean(ParentalRelations.class));
        LocalDate today = LocalDate.now(ClockFactory.ZONE);
        // Signals that name no parent: only the register knows who the parent is.
        String child = register(Youths.registration(Youths.bsn(), today.minusYears(6).toString()));
        String sixteen = register(Youths.registration(Youths.bsn(), today.minusYears(16).toString()));
        String parent = Youths.bsn();
        RegisterRelations.source = person -> person.equals(Bsn.parse(parent))
                ? List.of(found(child), found(sixteen)) : List.of();

        JsonNode page = signals(parent);
        assertEquals(1, page.get("items").size(), "the register's child under 16, not the one of 16: " + page);
        assertEquals(child, page.get("items").get(0).get("id").asText());
        assertEquals("PARENT", page.get("items").get(0).get("relation").asText());
        assertEquals(0, signals(Youths.bsn()).get("items").size(), "whom the register does not name sees nothing");

        NodeHarness.Response filed = citizen("POST", "/api/v1/objections", Map.of("node", "noord", "signalId", child,
                "reason", "Ik heb het gezag en ben het hier niet mee eens."), parent);
        assertEquals(201, filed.status(), "bezwaar asks the same source: " + filed.body());
        assertEquals(404, citizen("POST", "/api/v1/objections", Map.of("node", "noord", "signalId", sixteen,
                "reason", "Ik heb het gezag en ben het hier niet mee eens."), parent).status(),
                "the age rules stay at the holding node");
        JsonNode mine = citizen("GET", "/api/v1/objections", null, parent).body();
        assertEquals(filed.body().get("id").asText(), mine.get("items").get(0).get("id").asText());
    }

    /** What a register-based source answers: the signal, PARENT, and a ticket the coordinator signed. */
    static CitizenInzage.Found found(String signalId) {
        String ref = ref(signalId);
        return new CitizenInzage.Found("noord", ref, "PARENT",
                coordinator.ticket("noord", ref, "noord", "PARENT", Instant.now(), Duration.ofMinutes(2)));
    }

    static String register(Map<String, Object> body) {
        NodeHarness.Response r = node.call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    static JsonNode signals(String bsn) {
        NodeHarness.Response r = citizen("GET", "/api/v1/citizen/signals", null, bsn);
        assertEquals(200, r.status(), String.valueOf(r.body()));
        assertTrue(r.body().get("unavailable").isEmpty());
        return r.body();
    }

    static NodeHarness.Response citizen(String method, String path, Object body, String bsn) {
        NodeHarness.Response token = node.call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        assertEquals(200, token.status(), String.valueOf(token.body()));
        return node.call(method, path, body, null,
                Map.of("Authorization", "Bearer " + token.body().get("access_token").asText()));
    }

    @SuppressWarnings("unchecked")
    static String ref(String id) {
        TransactionOperations<Connection> tx = node.bean(TransactionOperations.class);
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
