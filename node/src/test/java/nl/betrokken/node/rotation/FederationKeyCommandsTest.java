package nl.betrokken.node.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import nl.betrokken.crypto.keys.KeyEpoch;
import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.keys.KeyRingFile;
import nl.betrokken.node.Application;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.keys.NodeKeys;

/**
 * The federation key rotation's commands at one node without a coordinator (its outbox keeps what it would send):
 * what the resubmission writes, and what the commands refuse.
 */
class FederationKeyCommandsTest {

    @Test
    void keyringRotate_writesTheNextRing_withTheOldPrimaryAcceptedForTheTransition(@TempDir Path dir) throws Exception {
        Path current = dir.resolve("ring-1");
        KeyRingFile.write(current, KeyRing.generate(new SecureRandom(), Instant.now()));
        Path next = dir.resolve("ring-2");
        Application.main(new String[] {"federation-keyring-rotate", current.toString(), next.toString(), "7"});
        KeyRing ring = KeyRingFile.read(next);
        assertEquals(2, ring.primary().id());
        KeyEpoch old = ring.epochs().get(0);
        assertEquals(KeyEpoch.State.ACCEPTED, old.state());
        Duration left = Duration.between(Instant.now(), old.acceptedUntil().orElseThrow());
        assertTrue(left.compareTo(Duration.ofDays(6)) > 0 && left.compareTo(Duration.ofDays(7)) <= 0, left.toString());
    }

    @ParameterizedTest
    @EnumSource(NodeHarness.Db.class)
    void rotate_resubmitsActiveSignalsUnderBothEpochs_andDropWaitsForTheOutbox(NodeHarness.Db db) throws Exception {
        Map<String, Object> properties = new HashMap<>(NodeHarness.prepare(db, "noord", null, null));
        Path ringFile = Path.of((String) properties.get("betrokken.data-dir")).resolve(NodeKeys.FEDERATION_RING);
        KeyRing ring1 = KeyRing.generate(new SecureRandom(), Instant.now().minus(Duration.ofHours(1)));
        KeyRingFile.write(ringFile, ring1);
        NodeHarness node = NodeHarness.start(properties);
        String active = register(node, Youths.bsn(), Youths.bsn());
        String ended = register(node, Youths.bsn());
        assertEquals(200, node.call("POST", "/api/v1/signals/" + ended + "/end", Map.of("reason", "klaar"), "prof-a")
                .status());
        String activeRef = refOf(node, active);
        node.close();

        KeyRing ring2 = FederationKeyRotation.next(ring1, Instant.now(), Duration.ofDays(30));
        withCommands(properties, rotation -> {
            IllegalArgumentException stale = assertThrows(IllegalArgumentException.class,
                    () -> rotation.rotate(FederationKeyRotation.next(ring1, Instant.now().minusSeconds(60), Duration.ZERO)));
            assertTrue(stale.getMessage().contains("transition"), stale.getMessage());
            assertEquals(new FederationKeyRotation.Rotated(1, 2, true, 1), rotation.rotate(ring2),
                    "the active signal only: the ended one no longer matches");
        });
        assertEquals(2, read(ringFile).primary().id());

        node = NodeHarness.start(properties);
        List<JsonNode> signals = outbox(node, "SIGNAL");
        assertEquals(3, signals.size(), "two registrations and one resubmission");
        JsonNode resubmitted = signals.get(2);
        assertEquals(activeRef, resubmitted.get("ref").asText());
        assertEquals(List.of(2, 1), epochs(resubmitted), "the primary and the old epoch");
        JsonNode registered = signals.get(0);
        assertEquals(List.of(1), epochs(registered));
        assertEquals(registered.get("pseudonyms").get(0), resubmitted.get("pseudonyms").get(1),
                "the old epoch's pseudonyms are the ones the coordinator already holds");
        assertEquals(1, resubmitted.get("pseudonyms").get(0).get("parents").size());
        String during = register(node, Youths.bsn());
        assertEquals(List.of(2, 1), epochs(outbox(node, "SIGNAL").get(3)), "a restarted node sends both epochs");
        assertTrue(during != null);
        node.close();

        withCommands(properties, rotation -> {
            IllegalStateException waiting = assertThrows(IllegalStateException.class, () -> rotation.drop(1));
            assertTrue(waiting.getMessage().contains("4 signal message(s) wait in the outbox"), waiting.getMessage());
            assertThrows(IllegalArgumentException.class, () -> rotation.drop(2), "the primary");
        });
        assertEquals(KeyEpoch.State.ACCEPTED, read(ringFile).epochs().get(0).state(), "nothing dropped yet");

        node = NodeHarness.start(properties);
        execute(node, "DELETE FROM outbox"); // as if delivered
        node.close();
        withCommands(properties, rotation -> assertTrue(rotation.drop(1).changed()));
        assertEquals(KeyEpoch.State.DISABLED, read(ringFile).epochs().get(0).state());

        node = NodeHarness.start(properties);
        register(node, Youths.bsn());
        assertEquals(List.of(2), epochs(outbox(node, "SIGNAL").get(0)), "after the drop, the new epoch only");
        assertEquals(2, count(node, "SELECT count(*) FROM audit_entry WHERE kind = 'key.rotated'"),
                "the rotation and the drop; the refusals changed nothing");
        node.close();
    }

    static void withCommands(Map<String, Object> properties, Consumer<FederationKeyRotation> commands) {
        try (ApplicationContext context = ApplicationContext.builder().properties(properties)
                .environments("test", "dev").start()) {
            commands.accept(context.getBean(FederationKeyRotation.class));
        }
    }

    static String register(NodeHarness node, String youth, String... parents) {
        NodeHarness.Response r = node.call("POST", "/api/v1/signals", Youths.registration(youth, "2014-05-01", parents),
                "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    static KeyRing read(Path ring) throws Exception {
        return KeyRingFile.read(ring);
    }

    static List<Integer> epochs(JsonNode record) {
        List<Integer> epochs = new ArrayList<>();
        record.get("pseudonyms").forEach(p -> epochs.add(p.get("epoch").asInt()));
        return epochs;
    }

    static String refOf(NodeHarness node, String id) {
        return tx(node).executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement("SELECT ref FROM signal WHERE id = ?")) {
                select.setObject(1, java.util.UUID.fromString(id));
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    static List<JsonNode> outbox(NodeHarness node, String kind) {
        return tx(node).executeRead(status -> {
            List<JsonNode> payloads = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT payload FROM outbox WHERE kind = ? ORDER BY id")) {
                select.setString(1, kind);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        payloads.add(NodeHarness.JSON.readTree(rs.getString(1)));
                    }
                }
            }
            return payloads;
        });
    }

    static void execute(NodeHarness node, String sql) {
        tx(node).executeWrite(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(sql)) {
                return s.executeUpdate();
            }
        });
    }

    static long count(NodeHarness node, String sql) {
        return tx(node).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(sql); ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @SuppressWarnings("unchecked")
    static TransactionOperations<Connection> tx(NodeHarness node) {
        return node.bean(TransactionOperations.class);
    }
}
