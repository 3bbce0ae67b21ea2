package nl.betrokken.node.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.Test;

import nl.betrokken.crypto.keys.OwnerOnlyFile;
import nl.betrokken.crypto.token.Es256TokenSigner;
import nl.betrokken.crypto.token.TokenClaims;
import nl.betrokken.crypto.token.TokenKeyPair;
import nl.betrokken.node.CoordinatorProcess;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.node.keys.NodeTokens;

/**
 * A node's token key replaced while everything runs: a coordinator in its own process, nodes noord and oost. The
 * operator replaces noord's key ({@code node.jar token-key-rotate}) and enrols the new one with the coordinator's
 * command (another process). At once, without restarting anyone, the coordinator and oost refuse noord's old key and
 * trust its new one, and noord signs with the new one.
 */
class TokenKeyRotationTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void replacedTokenKey_oldKeyRefusedAndNewKeyTrustedAtOnce_byCoordinatorAndPeers() throws Exception {
        try (CoordinatorProcess coordinator = CoordinatorProcess.start()) {
            Map<String, Integer> ports = new LinkedHashMap<>(Map.of("noord", NodeHarness.freePort(),
                    "oost", NodeHarness.freePort()));
            String peers = "noord=http://127.0.0.1:" + ports.get("noord") + ",oost=http://127.0.0.1:" + ports.get("oost");
            Map<String, Map<String, Object>> props = new HashMap<>();
            for (String n : ports.keySet()) {
                Map<String, Object> p = new HashMap<>(NodeHarness.prepare(NodeHarness.Db.H2, n, coordinator.url(), peers));
                p.put("micronaut.server.port", ports.get(n));
                coordinator.enrol(n, Path.of((String) p.get("betrokken.data-dir")));
                props.put(n, p);
            }
            try (NodeHarness noord = NodeHarness.start(props.get("noord"));
                 NodeHarness oost = NodeHarness.start(props.get("oost"))) {
                String before = match(noord, oost);
                String[] ticketAndRef = ticketAt(noord);
                TokenKeyPair oldKey = key(noord);
                assertEquals(200, ask(oost, token(oldKey, "oost"), ticketAndRef).status(), "the old key works");
                assertEquals(200, coordinatorCall(coordinator, token(oldKey, "betrokken-coordinator")));

                String newKid = NodeKeys.rotateTokenKey(noord.dataDir());
                coordinator.enrol("noord", noord.dataDir());
                assertNotEquals(oldKey.kid(), newKid);

                assertEquals(401, ask(oost, token(oldKey, "oost"), ticketAndRef).status(),
                        "oost refuses the old key at once");
                assertEquals(401, coordinatorCall(coordinator, token(oldKey, "betrokken-coordinator")),
                        "the coordinator refuses the old key at once");
                assertEquals(200, ask(oost, noord.bean(NodeTokens.class).forCall("oost"), ticketAndRef).status(),
                        "noord signs with its new key, and oost trusts it at once");
                assertEquals(200, coordinatorCall(coordinator, noord.bean(NodeTokens.class).forCall("betrokken-coordinator")),
                        "the coordinator trusts the new key at once");
                assertEquals(newKid, key(noord).kid());

                String after = match(noord, oost);
                assertNotEquals(before, after, "a new match after the rotation reaches both with contacts");
            }
        }
    }

    /**
     * A data directory kept from before key ids were thumbprints (compose/local keeps its data): the token key is
     * named {@code noord-1} and enrolled so. The node still starts, gives the same key its thumbprint as key id, and
     * its tokens are accepted; enrolling the old public key file again changes nothing.
     */
    @Test
    void nodeWithAKeyMadeBeforeThumbprintKeyIds_startsAndItsTokensAreAccepted() throws Exception {
        try (CoordinatorProcess coordinator = CoordinatorProcess.start()) {
            Map<String, Object> p = new HashMap<>(NodeHarness.prepare(NodeHarness.Db.H2, "noord", coordinator.url(), ""));
            Path dir = Path.of((String) p.get("betrokken.data-dir"));
            TokenKeyPair legacy = TokenKeyPair.generate("noord-1");
            OwnerOnlyFile.write(dir.resolve(NodeKeys.TOKEN_KEY), legacy.toPrivateJson());
            java.nio.file.Files.writeString(dir.resolve(NodeKeys.PUBLIC_KEYS),
                    nl.betrokken.crypto.token.PublicKeySet.of(legacy.publicJwk()).toJson());
            coordinator.enrol("noord", dir);
            try (NodeHarness noord = NodeHarness.start(p)) {
                TokenKeyPair now = key(noord);
                assertEquals(TokenKeyPair.thumbprint(legacy.publicJwk()), now.kid());
                assertEquals(legacy.publicJwk().toPublicJWK().getX(), now.publicJwk().getX(), "the same key");
                assertEquals(200, coordinatorCall(coordinator, noord.bean(NodeTokens.class).forCall("betrokken-coordinator")));
                coordinator.enrol("noord", dir);
                assertEquals(200, coordinatorCall(coordinator, noord.bean(NodeTokens.class).forCall("betrokken-coordinator")));
            }
        }
    }

    /** Registers one youth at both nodes and waits until noord shows oost's contact for it; returns the signal id. */
    static String match(NodeHarness noord, NodeHarness oost) {
        String child = Youths.bsn();
        NodeHarness.Response r = noord.call("POST", "/api/v1/signals", Youths.registration(child), "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        String atNoord = r.body().get("id").asText();
        assertEquals(201, oost.call("POST", "/api/v1/signals", Youths.registration(child), "prof-a").status());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode m : noord.call("GET", "/api/v1/matches", null, "prof-a").body().get("items")) {
                if (m.get("signalId").asText().equals(atNoord) && m.has("counterpart")
                        && m.get("counterpart").has("email")) {
                    return atNoord;
                }
            }
            sleep(100);
        }
        throw new AssertionError("no match with oost's contact at noord within 30 s");
    }

    static TokenKeyPair key(NodeHarness node) throws IOException {
        return TokenKeyPair.parsePrivate(OwnerOnlyFile.read(node.dataDir().resolve(NodeKeys.TOKEN_KEY)));
    }

    static String token(TokenKeyPair key, String audience) {
        Instant now = Instant.now();
        return Es256TokenSigner.create(key, NodeKeys.TOKEN_TYPE).sign(TokenClaims.builder()
                .issuer("noord").subject("noord").audience(audience).jwtId(UUID.randomUUID().toString())
                .issuedAt(now).expiresAt(now.plusSeconds(120)).build());
    }

    @SuppressWarnings("unchecked")
    static String[] ticketAt(NodeHarness node) {
        TransactionOperations<Connection> tx = node.bean(TransactionOperations.class);
        return tx.executeRead(status -> {
            try (Statement s = status.getConnection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT ticket, s.ref FROM node_match m JOIN signal s ON s.id = m.signal_id"
                         + " WHERE m.counterpart_node = 'oost' LIMIT 1")) {
                rs.next();
                return new String[] {rs.getString(1), rs.getString(2)};
            }
        });
    }

    static NodeHarness.Response ask(NodeHarness node, String token, String[] ticketAndRef) {
        return node.call("POST", "/federation/v1/contacts", Map.of("ticket", ticketAndRef[0], "ref", ticketAndRef[1]),
                null, Map.of("Authorization", "Bearer " + token));
    }

    /** A call to the coordinator's internal API as noord; the status. */
    static int coordinatorCall(CoordinatorProcess coordinator, String token) throws Exception {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(coordinator.url() + "/internal/v1/nodes/keys"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding());
        return r.statusCode();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
