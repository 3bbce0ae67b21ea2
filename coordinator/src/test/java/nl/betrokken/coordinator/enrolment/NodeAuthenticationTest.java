package nl.betrokken.coordinator.enrolment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.crypto.token.Es256TokenSigner;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.TokenKeyPair;

class NodeAuthenticationTest {

    private static final List<Map<String, Object>> ONE =
            List.of(People.record("s-auth", "o-1", People.bsn()));

    private static void assertRefused(Harness.Response r) {
        assertEquals(401, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertTrue(r.body().get("type").asText().endsWith("/unauthorized"), r.body().toString());
    }

    private static Harness.Response submitWith(Harness h, String token) {
        return h.call("POST", "/internal/v1/signals", Map.of("signals", ONE), token);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_withoutToken_returns401(Db db) {
        assertRefused(Harness.shared(db).call("POST", "/internal/v1/signals", Map.of("signals", ONE), null));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_byUnenrolledNode_returns401(Db db) {
        Harness h = Harness.shared(db);
        TestNode stranger = new TestNode(h, "vreemd", TokenKeyPair.generate());
        assertRefused(submitWith(h, stranger.token()));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_withTokenForgedUnderEnrolledKeyId_returns401(Db db) {
        Harness h = Harness.shared(db);
        TestNode node = h.enrol("noord");
        TestNode forger = new TestNode(h, node.id(), TokenKeyPair.generate(node.key().kid()));
        assertRefused(submitWith(h, forger.token()));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_withExpiredToken_returns401(Db db) {
        Harness h = Harness.shared(db);
        TestNode node = h.enrol("noord");
        Instant past = h.clock().instant().minus(Duration.ofMinutes(10));
        assertRefused(submitWith(h, node.token(b -> b.issuedAt(past).notBefore(past).expiresAt(past.plusSeconds(60)))));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_withReplayedToken_returns401TheSecondTime(Db db) {
        Harness h = Harness.shared(db);
        TestNode node = h.enrol("noord");
        String token = node.token();
        assertEquals(200, submitWith(h, token).status());
        assertRefused(submitWith(h, token));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_withTokenLivingLongerThanFiveMinutes_returns401(Db db) {
        Harness h = Harness.shared(db);
        TestNode node = h.enrol("noord");
        Instant now = h.clock().instant();
        assertRefused(submitWith(h, node.token(b -> b.expiresAt(now.plus(Duration.ofHours(1))))));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_withWrongAudience_returns401(Db db) {
        Harness h = Harness.shared(db);
        TestNode node = h.enrol("noord");
        assertRefused(submitWith(h, node.token(b -> b.audience("betrokken-node"))));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_withIssuerOfAnotherNode_returns401(Db db) {
        Harness h = Harness.shared(db);
        TestNode node = h.enrol("noord");
        TestNode other = h.enrol("oost");
        assertRefused(submitWith(h, node.token(b -> b.issuer(other.id()).subject(other.id()))));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_withTokenOfAnotherType_returns401(Db db) {
        Harness h = Harness.shared(db);
        TestNode node = h.enrol("noord");
        String plainJwt = Es256TokenSigner.create(node.key()).sign(nl.betrokken.crypto.token.TokenClaims.builder()
                .issuer(node.id()).subject(node.id()).audience(NodeAuthentication.AUDIENCE)
                .issuedAt(h.clock().instant()).expiresAt(h.clock().instant().plusSeconds(60)).build());
        assertRefused(submitWith(h, plainJwt));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void submit_withGarbageToken_returns401(Db db) {
        assertRefused(submitWith(Harness.shared(db), "not.a.token"));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void enrol_keyOfAnotherNode_isRefused(Db db) {
        Harness h = Harness.shared(db);
        TestNode oost = h.enrol("oost");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> h.bean(EnrolledNodes.class).enrol("noord-" + UUID.randomUUID().toString().substring(0, 8),
                        PublicKeySet.of(oost.key().publicJwk())));
        assertTrue(e.getMessage().contains("is enrolled for node " + oost.id()), e.getMessage());
    }

    /**
     * Key ids used to be {@code <node>-1}, checked by prefix: node {@code z-holland} enrolled {@code z-holland-1}, and
     * node {@code z} could enrol a key of its own under that same id (it starts with {@code z-}), which left the two
     * ids in one set and every token check failing. Key ids are now the keys' thumbprints, whatever id a key came
     * with, and the node of a key is its enrolment's.
     */
    @ParameterizedTest
    @EnumSource(Db.class)
    void enrol_keyIdNamingAnotherNodeByPrefix_neitherPassesForTheOther(Db db) {
        Harness h = Harness.shared(db);
        String zuid = "z" + UUID.randomUUID().toString().substring(0, 8);
        String zuidHolland = zuid + "-holland";
        TokenKeyPair hollandKey = TokenKeyPair.generate(zuidHolland + "-1");
        TokenKeyPair zuidKey = TokenKeyPair.generate(zuidHolland + "-1");
        EnrolledNodes nodes = h.bean(EnrolledNodes.class);
        nodes.enrol(zuidHolland, PublicKeySet.of(hollandKey.publicJwk()));
        nodes.enrol(zuid, PublicKeySet.of(zuidKey.publicJwk()));

        TestNode holland = new TestNode(h, zuidHolland, hollandKey.withThumbprintKid());
        TestNode z = new TestNode(h, zuid, zuidKey.withThumbprintKid());
        assertEquals(200, submitWith(h, holland.token()).status());
        assertEquals(200, submitWith(h, z.token()).status());
        assertRefused(submitWith(h, holland.token(b -> b.issuer(zuid).subject(zuid))));
        assertRefused(submitWith(h, new TestNode(h, zuid, hollandKey).token()));
    }

    /**
     * A token's id is kept until its expiry plus the allowed clock skew: the token is accepted that long, so a
     * replay inside the skew must still find it (retention used to forget it at the expiry itself).
     */
    @ParameterizedTest
    @EnumSource(Db.class)
    void replay_afterExpiryButInsideTheSkew_isRefusedAlsoAfterRetention(Db db) {
        try (Harness h = Harness.fresh(db)) {
            TestNode node = h.enrol("noord");
            Instant now = h.clock().instant();
            String token = node.token(b -> b.issuedAt(now).notBefore(now).expiresAt(now.plusSeconds(30)));
            assertEquals(200, submitWith(h, token).status());
            h.clock().advance(Duration.ofSeconds(30).plus(NodeAuthentication.CLOCK_SKEW.dividedBy(2)));
            h.bean(nl.betrokken.coordinator.retention.RetentionService.class).run();
            assertRefused(submitWith(h, token));
            assertEquals(1, h.queryLong("SELECT count(*) FROM seen_token"), "kept until exp plus the skew");
            h.clock().advance(NodeAuthentication.CLOCK_SKEW);
            h.bean(nl.betrokken.coordinator.retention.RetentionService.class).run();
            assertEquals(0, h.queryLong("SELECT count(*) FROM seen_token"), "then pruned");
        }
    }

    /**
     * A flood of junk tokens leaves one audit entry per caller and minute with the count, not one per token: the
     * refusals never queue on the audit log's head lock.
     */
    @ParameterizedTest
    @EnumSource(Db.class)
    void floodOfJunkTokens_leavesOneAuditEntryPerCallerAndMinuteWithTheCount(Db db) throws Exception {
        try (Harness h = Harness.fresh(db)) {
            TestNode noord = h.enrol("noord");
            TestNode forger = new TestNode(h, noord.id(), TokenKeyPair.generate(noord.key().kid()));
            int n = 150;
            for (int i = 0; i < n; i++) {
                assertRefused(submitWith(h, "junk." + i + ".token"));
                assertRefused(submitWith(h, forger.token()));
                assertRefused(submitWith(h, new TestNode(h, "made-up-" + i, TokenKeyPair.generate()).token()));
            }
            assertEquals(0, h.queryLong("SELECT count(*) FROM audit_entry WHERE kind = 'token.refused'"),
                    "refusals are counted in memory, not appended one by one");
            h.clock().advance(Duration.ofMinutes(1));
            int written = h.bean(TokenRefusals.class).flush();
            assertTrue(written >= 2 && written <= 4, "one entry per caller and minute: " + written);
            Map<String, Long> perCaller = new java.util.HashMap<>();
            try (java.sql.Connection c = h.connect(); java.sql.Statement s = c.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT actor, details FROM audit_entry WHERE kind = 'token.refused'")) {
                while (rs.next()) {
                    long count = Harness.JSON.readTree(rs.getString(2)).get("count").asLong();
                    perCaller.merge(rs.getString(1), count, Long::sum);
                }
            }
            assertEquals(Map.of("node:unknown", 2L * n, "node:" + noord.id(), (long) n), perCaller);
            assertEquals(0, h.bean(TokenRefusals.class).flush(), "each minute is written once");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void signer_ofEnrolledNode_isAccepted(Db db) {
        Harness h = Harness.shared(db);
        TestNode node = h.enrol("noord");
        String token = Es256TokenSigner.create(node.key(), NodeAuthentication.TOKEN_TYPE).sign(nl.betrokken.crypto.token.TokenClaims.builder()
                .issuer(node.id()).subject(node.id()).audience(NodeAuthentication.AUDIENCE)
                .issuedAt(h.clock().instant()).expiresAt(h.clock().instant().plusSeconds(60)).build());
        assertEquals(200, submitWith(h, token).status());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void nodeKeys_listEveryEnrolledNodesPublicKeysToEnrolledNodesOnly(Db db) throws Exception {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        Harness.Response r = h.call("GET", "/internal/v1/nodes/keys", null, noord.token());
        assertEquals(200, r.status());
        nl.betrokken.crypto.token.PublicKeySet keys = nl.betrokken.crypto.token.PublicKeySet.parse(r.body().toString());
        assertTrue(keys.keyIds().containsAll(List.of(noord.key().kid(), oost.key().kid())));
        assertRefused(h.call("GET", "/internal/v1/nodes/keys", null, null));
    }
}
