package nl.betrokken.coordinator.enrolment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.crypto.token.Es256TokenSigner;
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
        TestNode stranger = new TestNode(h, "vreemd", TokenKeyPair.generate("vreemd-1"));
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
    void enrol_keyIdNotNamingTheNode_isRefused(Db db) {
        Harness h = Harness.shared(db);
        TokenKeyPair key = TokenKeyPair.generate("oost-1");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> h.bean(EnrolledNodes.class).enrol("noord", nl.betrokken.crypto.token.PublicKeySet.of(key.publicJwk())));
        assertTrue(e.getMessage().contains("must start with 'noord-'"), e.getMessage());
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
