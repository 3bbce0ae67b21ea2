package nl.betrokken.node.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.crypto.keys.KeyRing;
import nl.betrokken.crypto.keys.KeyRingFile;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;
import nl.betrokken.node.Youths;
import nl.betrokken.node.keys.NodeKeys;

/**
 * A rotation of the node's own ring (a new primary epoch for encryption and the blind index) keeps the rule of one
 * active signal per organisation and youth: the signal registered before is still found by the youth's BSN.
 */
class LocalKeyRotationTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void afterRotatingTheOwnRing_theSameYouthAgain_is409WithTheFirstId(Db db) throws Exception {
        Map<String, Object> properties = NodeHarness.prepare(db, "noord", null, null);
        String youth = Youths.bsn();
        String first;
        try (NodeHarness node = NodeHarness.start(properties)) {
            NodeHarness.Response r = SignalTest.register(node, Youths.registration(youth));
            assertEquals(201, r.status(), String.valueOf(r.body()));
            first = r.body().get("id").asText();
        }

        java.nio.file.Path ring = java.nio.file.Path.of((String) properties.get("betrokken.data-dir"))
                .resolve(NodeKeys.LOCAL_RING);
        KeyRing before = KeyRingFile.read(ring);
        KeyRing rotated = before.rotate(new SecureRandom(), Instant.now(), Duration.ofDays(30));
        assertNotEquals(before.primary().id(), rotated.primary().id());
        KeyRingFile.write(ring, rotated);

        try (NodeHarness node = NodeHarness.start(properties)) {
            NodeHarness.Response read = node.call("GET", "/api/v1/signals/" + first, null, "prof-a");
            assertEquals(200, read.status(), "the signal sealed under the old primary still opens");
            assertEquals(youth, read.body().get("youth").get("bsn").asText());

            NodeHarness.Response again = SignalTest.register(node, Youths.registration(youth));
            SignalTest.assertRefusedNaming(again, 409, "youth.bsn");
            assertEquals(first, again.body().get("existingId").asText());

            NodeHarness.Response other = SignalTest.register(node, Youths.registration(Youths.bsn()));
            assertEquals(201, other.status(), "another youth is registered under the new primary");
            assertEquals(409, SignalTest.register(node, Youths.registration(
                    other.body().get("youth").get("bsn").asText())).status(), "and found again by it");
        }
    }
}
