package nl.betrokken.node.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.MutableClock;
import nl.betrokken.node.NodeHarness;

/**
 * Another node's token id is accepted once and kept in the node's database until the token's expiry plus the allowed
 * clock skew (as long as the token itself passes), and pruned after that.
 */
class SeenTokensTest {

    @ParameterizedTest
    @EnumSource(NodeHarness.Db.class)
    void tokenId_isKeptUntilExpiryPlusTheSkew_thenPruned(NodeHarness.Db db) {
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(db, "noord", null, null));
        p.put(MutableClock.PROPERTY, true);
        try (NodeHarness node = NodeHarness.start(p)) {
            MutableClock clock = (MutableClock) node.bean(Clock.class);
            SeenTokens seen = node.bean(SeenTokens.class);
            String jti = UUID.randomUUID().toString();
            Instant exp = clock.instant().plusSeconds(30);
            assertTrue(seen.firstUse("oost", jti, exp));
            assertFalse(seen.firstUse("oost", jti, exp), "a replay");
            assertTrue(seen.firstUse("zuid", jti, exp), "another node's token with the same id is another token");

            clock.advance(Duration.ofSeconds(30).plus(Trust.CLOCK_SKEW.dividedBy(2)));
            assertEquals(0, seen.prune(), "past its expiry but inside the skew the token still passes: kept");
            assertFalse(seen.firstUse("oost", jti, exp), "still a replay");

            clock.advance(Trust.CLOCK_SKEW);
            assertEquals(2, seen.prune(), "then pruned");
        }
    }
}
