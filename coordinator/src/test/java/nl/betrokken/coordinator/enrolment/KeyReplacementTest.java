package nl.betrokken.coordinator.enrolment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;
import nl.betrokken.crypto.token.PublicKeySet;
import nl.betrokken.crypto.token.TokenKeyPair;

/**
 * A node's token key replaced (compromise, rotation) by another instance on the same database, as the operator's
 * enrol command or a second coordinator does: this instance trusts the new key at once and refuses the old one at
 * once, without a restart, although it had the old key cached.
 */
class KeyReplacementTest {

    private static Harness.Response submit(Harness h, String token) {
        return h.call("POST", "/internal/v1/signals",
                Map.of("signals", List.of(People.record("s-" + System.nanoTime(), "o-1", People.bsn()))), token);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void keyReplacedByAnotherInstance_oldKeyRefusedAndNewKeyAcceptedAtOnce(Db db) {
        try (Harness one = Harness.fresh(db); Harness two = Harness.start(one.properties())) {
            TestNode old = one.enrol("noord");
            assertEquals(200, submit(one, old.token()).status(), "the first key works and is cached");

            TokenKeyPair replacement = TokenKeyPair.generate();
            two.bean(EnrolledNodes.class).enrol(old.id(), PublicKeySet.of(replacement.publicJwk()));

            assertEquals(401, submit(one, old.token()).status(), "the old key is refused at once");
            assertEquals(200, submit(one, new TestNode(one, old.id(), replacement).token()).status(),
                    "the new key is trusted at once");
            assertEquals(401, submit(one, old.token()).status(), "and the old key stays refused");
            Harness.Response keys = one.call("GET", "/internal/v1/nodes/" + old.id() + "/keys", null,
                    new TestNode(one, old.id(), replacement).token());
            assertEquals(200, keys.status());
            assertEquals(PublicKeySet.of(replacement.publicJwk()), PublicKeySet.parse(keys.body().toString()));
        }
    }

    /** A database enrolled before key ids were thumbprints ({@code noord-1}): the key is known by its thumbprint. */
    @ParameterizedTest
    @EnumSource(Db.class)
    void enrolmentStoredWithAnOldKeyId_acceptsTokensUnderTheKeysThumbprint(Db db) throws Exception {
        try (Harness h = Harness.fresh(db)) {
            TokenKeyPair legacy = TokenKeyPair.generate("noord-1");
            try (java.sql.Connection c = h.connect(); java.sql.PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO enrolled_node (node_id, public_keys, enrolled_at) VALUES ('noord', ?, CURRENT_TIMESTAMP)")) {
                insert.setString(1, PublicKeySet.of(legacy.publicJwk()).toJson());
                insert.executeUpdate();
            }
            assertEquals(200, submit(h, new TestNode(h, "noord", legacy.withThumbprintKid()).token()).status());
            assertEquals(false, h.bean(EnrolledNodes.class).enrol("noord", PublicKeySet.of(legacy.publicJwk())),
                    "enrolling the old public key file again changes nothing");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void nodeKeys_nameTheNodeOfEachKeyFromItsEnrolment(Db db) {
        Harness h = Harness.shared(db);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        Harness.Response r = h.call("GET", "/internal/v1/nodes/keys", null, noord.token());
        assertEquals(200, r.status());
        assertEquals(noord.id(), r.body().get("nodes").get(noord.key().kid()).asText());
        assertEquals(oost.id(), r.body().get("nodes").get(oost.key().kid()).asText());
        assertEquals(TokenKeyPair.thumbprint(oost.key().publicJwk()), oost.key().kid(), "key ids are thumbprints");
    }
}
