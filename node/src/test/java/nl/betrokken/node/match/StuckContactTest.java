package nl.betrokken.node.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;

/**
 * Contact requests refused for good never block newer matches: with more than 200 older matches whose counterpart's
 * node answers 404 (the signal erased there), a newer match still gets its contact, and each refused one is asked
 * once and marked done with the reason.
 */
class StuckContactTest {

    static final int REFUSED = 205;

    /**
     * A counterpart node "oost" from before the batch call, that knows only one match (by its ticket's subject) and
     * answers 404 for the rest.
     */
    static final class Peer implements AutoCloseable {
        final HttpServer server;
        final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
        final AtomicInteger batchCalls = new AtomicInteger();
        volatile String known;
        /** How the batch call is answered: 404 as by a node from before it, or another failure. */
        volatile int batchStatus = 404;

        Peer() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/federation/v1/contacts", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            if (exchange.getRequestURI().getPath().endsWith("/batch")) {
                // A node from before the batch call (404): the node then asks one match at a time.
                batchCalls.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(batchStatus, -1);
                exchange.close();
                return;
            }
            JsonNode body = NodeHarness.JSON.readTree(exchange.getRequestBody());
            String match = NodeHarness.JSON.readTree(Base64.getUrlDecoder().decode(
                    body.get("ticket").asText().split("\\.")[1])).get("sub").asText();
            asked.computeIfAbsent(match, m -> new AtomicInteger()).incrementAndGet();
            boolean found = match.equals(known);
            byte[] bytes = (found
                    ? "{\"organisation\":\"Wijkteam Oost\",\"professional\":\"Pim\",\"email\":\"pim@oost.example\"}"
                    : "{\"type\":\"about:blank\",\"title\":\"Signal not found\",\"status\":404}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", found ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(found ? 200 : 404, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** A ticket as the node sees it before sending: only its subject and expiry matter to this test's peer. */
    static String ticket(UUID match, Instant expires) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"ES256\",\"typ\":\"betrokken-ticket+jwt\"}".getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(("{\"sub\":\"" + match + "\",\"exp\":" + expires.getEpochSecond() + "}")
                .getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @ParameterizedTest
    @EnumSource(NodeHarness.Db.class)
    void contacts_200OlderRefusedForGood_aNewerMatchIsStillFetched(NodeHarness.Db db) {
        try (Peer peer = new Peer();
             NodeHarness node = NodeHarness.start(db, "noord", null, "oost=" + peer.url())) {
            UUID signal = UUID.fromString(node.call("POST", "/api/v1/signals", Youths.registration(Youths.bsn()),
                    "prof-a").body().get("id").asText());
            Instant now = node.bean(Clock.class).instant();
            List<UUID> old = new ArrayList<>();
            for (int i = 0; i < REFUSED; i++) {
                UUID match = UUID.randomUUID();
                old.add(match);
                insertMatch(node, match, signal, "o-" + i, now.minus(Duration.ofDays(60)).plusSeconds(i));
            }
            UUID newer = UUID.randomUUID();
            peer.known = newer.toString();
            insertMatch(node, newer, signal, "o-new", now);

            ContactClient contacts = node.bean(ContactClient.class);
            for (int i = 0; i < 5 && contact(node, newer) == null; i++) {
                contacts.fetchPending();
            }
            assertNotNull(contact(node, newer), "the newer match got its contact despite the refused older ones");
            contacts.fetchPending();
            contacts.fetchPending();
            for (UUID match : old) {
                assertEquals(1, peer.asked.get(match.toString()).get(), "a request refused for good is asked once");
            }
            assertEquals(List.of("the counterpart's node answered HTTP 404"), distinct(node,
                    "SELECT DISTINCT contact_refused FROM node_match WHERE match_id <> ?", newer));
        }
    }

    @ParameterizedTest
    @EnumSource(NodeHarness.Db.class)
    void contacts_ofAPeerThatFailsTheBatchCall_waitTheirBackOff_notAskedOneByOne(NodeHarness.Db db) {
        try (Peer peer = new Peer();
             NodeHarness node = NodeHarness.start(db, "noord", null, "oost=" + peer.url())) {
            peer.batchStatus = 503;
            UUID signal = UUID.fromString(node.call("POST", "/api/v1/signals", Youths.registration(Youths.bsn()),
                    "prof-a").body().get("id").asText());
            Instant now = node.bean(Clock.class).instant();
            List<UUID> matches = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                UUID match = UUID.randomUUID();
                matches.add(match);
                insertMatch(node, match, signal, "o-" + i, now.minusSeconds(10 - i));
            }
            node.bean(ContactClient.class).fetchPending();
            assertEquals(1, peer.batchCalls.get(), "the three asked in one call");
            assertEquals(Map.of(), peer.asked, "a peer that failed the call is not asked one match at a time");
            for (UUID match : matches) {
                assertEquals(List.of("1"), distinct(node, "SELECT CAST(contact_attempts AS VARCHAR(10)) FROM node_match"
                        + " WHERE match_id = ?", match), "one attempt counted");
                assertEquals(1, distinct(node, "SELECT CAST(contact_next_at AS VARCHAR(40)) FROM node_match"
                        + " WHERE match_id = ? AND contact_next_at IS NOT NULL", match).size(), "and a back-off set");
            }
            node.bean(ContactClient.class).fetchPending();
            assertEquals(1, peer.batchCalls.get(), "nothing is asked again before the back-off has passed");
        }
    }

    static void insertMatch(NodeHarness node, UUID match, UUID signal, String counterpartRef, Instant at) {
        tx(node).executeWrite(status -> {
            try (PreparedStatement insert = status.getConnection().prepareStatement(
                    "INSERT INTO node_match (match_id, signal_id, match_type, cross_region, counterpart_node,"
                            + " counterpart_ref, ticket, status, created_at)"
                            + " VALUES (?, ?, 'CHILD', TRUE, 'oost', ?, ?, 'ACTIVE', ?)")) {
                insert.setObject(1, match);
                insert.setObject(2, signal);
                insert.setString(3, counterpartRef);
                insert.setString(4, ticket(match, at.plus(Duration.ofDays(365))));
                insert.setTimestamp(5, Timestamp.from(at));
                return insert.executeUpdate();
            }
        });
    }

    static String contact(NodeHarness node, UUID match) {
        List<String> found = distinct(node, "SELECT counterpart_contact FROM node_match WHERE match_id = ?", match);
        return found.isEmpty() ? null : found.get(0);
    }

    static List<String> distinct(NodeHarness node, String sql, UUID parameter) {
        return tx(node).executeRead(status -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement select = status.getConnection().prepareStatement(sql)) {
                select.setObject(1, parameter);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    @SuppressWarnings("unchecked")
    static TransactionOperations<Connection> tx(NodeHarness node) {
        return node.bean(TransactionOperations.class);
    }
}
