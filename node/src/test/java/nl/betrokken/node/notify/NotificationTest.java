package nl.betrokken.node.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static nl.betrokken.node.outbox.OutboxOutageTest.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;
import nl.betrokken.node.Youths;

/**
 * Notifications of matches, end to end: the feed (a stand-in coordinator) delivers a match, the node tells each
 * professional by e-mail (received by a real in-process SMTP server) and by a signed webhook, once, and shows a
 * bounce to the instellingscoördinator of that organisation and in the gemeente's figures.
 */
class NotificationTest {

    static final String SECRET = "a-webhook-secret-of-at-least-32-characters";
    static final String NAME = "Jantje Uniekenaam";
    static final String BIRTH = "2014-05-01";

    /** A node on {@code db} following {@code feed}, with notifications on and quick retries. */
    static NodeHarness node(Db db, FakeCoordinator feed, int smtpPort, Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(db, "noord", feed.url(), ""));
        p.put("betrokken.notify.enabled", true);
        p.put("betrokken.notify.smtp-host", "127.0.0.1");
        p.put("betrokken.notify.smtp-port", smtpPort);
        p.put("betrokken.notify.from", "betrokken@noord.example");
        p.put("betrokken.public-url", "https://betrokken.noord.example/");
        p.put("betrokken.notify.first-retry", "200ms");
        p.put("betrokken.notify.poll-interval", "100ms");
        p.putAll(extra);
        return NodeHarness.start(p);
    }

    /** Two signals on one youth, by prof-a (org a) and prof-b (org b); returns their refs (a, b). */
    record Pair(String youth, UUID signalA, String refA, UUID signalB, String refB) {
    }

    static Pair twoSignals(NodeHarness node) {
        String youth = Youths.bsn();
        Map<String, Object> body = Youths.registration(youth, BIRTH);
        @SuppressWarnings("unchecked")
        Map<String, Object> y = (Map<String, Object>) body.get("youth");
        y.put("name", NAME);
        NodeHarness.Response a = node.call("POST", "/api/v1/signals", body, "prof-a");
        NodeHarness.Response b = node.call("POST", "/api/v1/signals", body, "prof-b");
        assertEquals(201, a.status(), String.valueOf(a.body()));
        assertEquals(201, b.status(), String.valueOf(b.body()));
        UUID ida = UUID.fromString(a.body().get("id").asText());
        UUID idb = UUID.fromString(b.body().get("id").asText());
        return new Pair(youth, ida, ref(node, ida), idb, ref(node, idb));
    }

    /** Delivers the match to both sides, as the coordinator's feed does; returns the last sequence number. */
    static long match(FakeCoordinator feed, String kind, UUID matchId, Pair p) {
        feed.deliver(kind, matchId, p.refA(), p.refB());
        return feed.deliver(kind, matchId, p.refB(), p.refA());
    }

    static Connection db(NodeHarness node) throws SQLException {
        Map<String, Object> p = node.properties();
        return DriverManager.getConnection((String) p.get("datasources.default.url"),
                (String) p.getOrDefault("datasources.default.username", "sa"),
                (String) p.getOrDefault("datasources.default.password", ""));
    }

    static String ref(NodeHarness node, UUID signal) {
        return query(node, "SELECT ref FROM signal WHERE id = '" + signal + "'").get(0).get(0);
    }

    /** Rows of a query, each as strings. */
    static List<List<String>> query(NodeHarness node, String sql) {
        try (Connection c = db(node); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void update(NodeHarness node, String sql, String... values) {
        try (Connection c = db(node); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setString(i + 1, values[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One request the webhook receiver got. */
    record Hook(Map<String, String> headers, byte[] body, Instant at) {
    }

    /** A case-management system: answers 500 to the first request, then 200; keeps what it got. */
    static HttpServer webhookReceiver(List<Hook> received, AtomicInteger calls) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            received.add(new Hook(headers, body, Instant.now()));
            exchange.sendResponseHeaders(calls.getAndIncrement() == 0 ? 500 : 204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** The receiver's check, written from the documented scheme alone: fresh timestamp, HMAC over "t.body". */
    static void verifySignature(Hook hook) throws Exception {
        String timestamp = hook.headers().get("betrokken-webhook-timestamp");
        long age = hook.at().getEpochSecond() - Long.parseLong(timestamp);
        assertTrue(Math.abs(age) <= 300, "a timestamp older than five minutes would be refused as a replay: " + age);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = ("v1=" + HexFormat.of().formatHex(mac.doFinal(hook.body()))).getBytes(StandardCharsets.UTF_8);
        byte[] got = hook.headers().get("betrokken-webhook-signature").getBytes(StandardCharsets.UTF_8);
        assertTrue(MessageDigest.isEqual(expected, got), "the signature checks out");
        mac.init(new SecretKeySpec("another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        assertFalse(MessageDigest.isEqual(("v1=" + HexFormat.of().formatHex(mac.doFinal(hook.body())))
                .getBytes(StandardCharsets.UTF_8), got), "and would not under another key");
    }

    static void assertNothingPersonal(String text, Pair p) {
        for (String personal : List.of(p.youth(), NAME, "Uniekenaam", BIRTH, "noord-prof-b@example.org",
                "noord-prof-a@example.org", "Professional B", "Professional A", "+31 20", "noord-org-b")) {
            assertFalse(text.contains(personal), "no " + personal + " in: " + text);
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void matchCreatedAndWithdrawn_eachProfessionalGetsOneEmailAndOneSignedWebhook(Db db) throws Exception {
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        List<Hook> hooks = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer receiver = webhookReceiver(hooks, calls);
        try (FakeCoordinator feed = new FakeCoordinator();
             NodeHarness node = node(db, feed, smtp.getSmtp().getPort(), Map.of(
                     "betrokken.notify.webhook-url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                     "betrokken.notify.webhook-secret", SECRET))) {
            Pair p = twoSignals(node);
            UUID matchId = UUID.randomUUID();

            long created = match(feed, "MATCH_CREATED", matchId, p);
            await("the match is stored", () -> feed.acknowledged(created));
            long again = match(feed, "MATCH_CREATED", matchId, p);
            await("the redelivery is read", () -> feed.acknowledged(again));
            long withdrawn = match(feed, "MATCH_WITHDRAWN", matchId, p);
            await("the withdrawal is read", () -> feed.acknowledged(withdrawn));
            long withdrawnAgain = match(feed, "MATCH_WITHDRAWN", matchId, p);
            await("the repeated withdrawal is read", () -> feed.acknowledged(withdrawnAgain));

            assertTrue(smtp.waitForIncomingEmail(30_000, 4), "four e-mails arrive");
            await("four webhooks are delivered", () -> query(node,
                    "SELECT id FROM notification WHERE webhook_state = 'SENT'").size() == 4);
            Thread.sleep(500); // time for a wrong fifth e-mail to arrive
            MimeMessage[] mails = smtp.getReceivedMessages();
            assertEquals(4, mails.length, "a redelivered entry notifies no one twice");

            Map<String, List<String>> subjects = new HashMap<>();
            for (MimeMessage mail : mails) {
                String to = mail.getRecipients(Message.RecipientType.TO)[0].toString();
                subjects.computeIfAbsent(to, k -> new ArrayList<>()).add(mail.getSubject());
                String body = (String) mail.getContent();
                assertTrue(body.lines().anyMatch(l -> l.strip().equals(
                        "https://betrokken.noord.example/werkplek/matches/" + matchId)),
                        "the match's page in the werkplek: " + body);
                assertTrue(body.contains(matchId.toString()), "the match's reference");
                assertNothingPersonal(mail.getSubject() + "\n" + body, p);
                assertEquals("betrokken@noord.example", mail.getFrom()[0].toString());
            }
            Set<String> both = new TreeSet<>(List.of("Betrokken: nieuwe match op uw signaal", "Betrokken: match ingetrokken"));
            assertEquals(both, new TreeSet<>(subjects.get("noord-prof-a@example.org")));
            assertEquals(both, new TreeSet<>(subjects.get("noord-prof-b@example.org")));

            // The webhook: the first answer was a 500, so one notification came twice; every one is signed.
            assertEquals(5, hooks.size(), "four notifications, one of them retried after the 500");
            Map<String, JsonNode> byId = new HashMap<>();
            for (Hook hook : hooks) {
                verifySignature(hook);
                JsonNode event = NodeHarness.JSON.readTree(hook.body());
                assertEquals(hook.headers().get("betrokken-webhook-id"), event.get("id").asText());
                assertEquals(matchId.toString(), event.get("matchId").asText());
                assertEquals("noord", event.get("node").asText());
                assertNothingPersonal(new String(hook.body(), StandardCharsets.UTF_8), p);
                byId.put(event.get("id").asText(), event);
            }
            assertEquals(4, byId.size());
            String refused = hooks.get(0).headers().get("betrokken-webhook-id");
            assertEquals(2, hooks.stream().filter(h -> refused.equals(h.headers().get("betrokken-webhook-id"))).count(),
                    "the one refused with a 500 came again");
            assertTrue(Long.parseLong(hooks.get(hooks.size() - 1).headers().get("betrokken-webhook-timestamp"))
                    >= Long.parseLong(hooks.get(0).headers().get("betrokken-webhook-timestamp")),
                    "a retry is signed afresh with its own timestamp");
            Set<String> kindsBySignal = new TreeSet<>();
            byId.values().forEach(e -> kindsBySignal.add(e.get("kind").asText() + " " + e.get("signalId").asText()));
            assertEquals(new TreeSet<>(List.of("MATCH_CREATED " + p.signalA(), "MATCH_CREATED " + p.signalB(),
                    "MATCH_WITHDRAWN " + p.signalA(), "MATCH_WITHDRAWN " + p.signalB())), kindsBySignal);
            assertEquals(List.of(List.of("2")), query(node,
                    "SELECT webhook_attempts FROM notification WHERE id = " + refused));

            String today = LocalDate.now(ClockFactory.ZONE).toString();
            JsonNode stats = node.call("GET", "/api/v1/notifications/stats?from=" + today + "&to=" + today, null,
                    "gemeente").body();
            assertEquals(4, stats.get("notifications").asInt());
            assertEquals(4, stats.get("email").get("delivered").asInt());
            assertEquals(0.0, stats.get("email").get("failureRate").asDouble());
            assertEquals(4, stats.get("webhook").get("delivered").asInt());
        } finally {
            receiver.stop(0);
            smtp.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void bounce_isShownToTheOrganisationsCoordinatorOnlyAndCountsInTheGemeentesFailureRate(Db db) throws Exception {
        try (RejectingSmtpServer smtp = new RejectingSmtpServer(address -> address.startsWith("noord-prof-a@"));
             FakeCoordinator feed = new FakeCoordinator();
             NodeHarness node = node(db, feed, smtp.port(), Map.of())) {
            addCoordinator(node, "noord-coord-b", "noord-org-b");
            Pair p = twoSignals(node);
            UUID matchId = UUID.randomUUID();
            match(feed, "MATCH_CREATED", matchId, p);

            await("prof-b's e-mail is accepted", () -> smtp.accepted().contains("noord-prof-b@example.org"));
            await("prof-a's e-mail bounced", () -> failures(node, "coord-a").size() == 1);
            JsonNode failure = failures(node, "coord-a").get(0);
            assertEquals("noord-prof-a", failure.get("recipient").asText());
            assertEquals("Professional A (noord)", failure.get("displayName").asText());
            assertEquals("noord-prof-a@example.org", failure.get("address").asText());
            assertEquals("EMAIL", failure.get("channel").asText());
            assertEquals("FAILED", failure.get("state").asText(), "a 550 is final, not retried");
            assertEquals(1, failure.get("attempts").asInt());
            assertEquals("MATCH_CREATED", failure.get("kind").asText());
            assertEquals(matchId.toString(), failure.get("matchId").asText());
            assertFalse(failure.get("addressChanged").asBoolean());
            String reason = failure.get("reason").asText();
            assertTrue(reason.startsWith("SMTP 550"), reason);
            assertTrue(reason.contains("User unknown"), reason);
            assertFalse(reason.contains("@"), "the server's echo of the address is left out of the reason: " + reason);
            assertTrue(failure.has("lastAttemptAt"));

            // The audit log (docs/audit.md) names the recipients by account, the match by its reference.
            List<List<String>> audited = query(node, "SELECT kind, subject, details FROM audit_entry"
                    + " WHERE kind LIKE 'notification.%' ORDER BY idx");
            assertTrue(audited.stream().anyMatch(r -> r.get(0).equals("notification.sent")
                    && r.get(1).equals("account:noord-prof-b")), audited.toString());
            assertTrue(audited.stream().anyMatch(r -> r.get(0).equals("notification.failed")
                    && r.get(1).equals("account:noord-prof-a") && r.get(2).contains("\"channel\":\"EMAIL\"")),
                    audited.toString());
            assertFalse(audited.toString().contains(matchId.toString()), "the match by its audit reference");

            assertEquals(List.of(), failures(node, "coord-b"), "another organisation's coordinator sees none of it");
            assertEquals(403, node.call("GET", "/api/v1/notifications/failures", null, "prof-a").status());
            assertEquals(403, node.call("GET", "/api/v1/notifications/failures", null, "gemeente").status());

            update(node, "UPDATE account SET email = ? WHERE username = ?", "prof.a@new.example", "noord-prof-a");
            assertTrue(failures(node, "coord-a").get(0).get("addressChanged").asBoolean(),
                    "once the address is corrected, the list says so");

            String today = LocalDate.now(ClockFactory.ZONE).toString();
            NodeHarness.Response stats = node.call("GET", "/api/v1/notifications/stats?from=" + today + "&to=" + today,
                    null, "gemeente");
            assertEquals(200, stats.status(), String.valueOf(stats.body()));
            assertEquals(2, stats.body().get("notifications").asInt());
            JsonNode email = stats.body().get("email");
            assertEquals(1, email.get("delivered").asInt());
            assertEquals(1, email.get("failed").asInt());
            assertEquals(0.5, email.get("failureRate").asDouble());
            assertNull(stats.body().get("webhook").get("failureRate"), "no webhook is configured: nothing to rate");
            assertFalse(stats.body().toString().contains("prof"), "no identities in the figures");
            String yesterday = LocalDate.now(ClockFactory.ZONE).minusDays(1).toString();
            assertEquals(0, node.call("GET", "/api/v1/notifications/stats?from=" + yesterday + "&to=" + yesterday,
                    null, "gemeente").body().get("notifications").asInt(), "the period is respected");
            assertEquals(403, node.call("GET", "/api/v1/notifications/stats?from=" + today + "&to=" + today, null,
                    "coord-a").status());
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void smtpServerDown_nodeStartsAndDeliveryIsRetriedThenGivenUp(Db db) {
        int closed = NodeHarness.freePort();
        try (FakeCoordinator feed = new FakeCoordinator();
             NodeHarness node = node(db, feed, closed, Map.of("betrokken.notify.max-attempts", 3,
                     "betrokken.notify.first-retry", "100ms"))) {
            assertEquals(200, node.call("GET", "/health", null, null).status(), "no mail server holds up start-up");
            addCoordinator(node, "noord-coord-b", "noord-org-b");
            update(node, "UPDATE account SET email = NULL WHERE username = ?", "noord-prof-b");
            Pair p = twoSignals(node);
            match(feed, "MATCH_CREATED", UUID.randomUUID(), p);

            await("prof-a's e-mail is given up", () -> failures(node, "coord-a").size() == 1
                    && "FAILED".equals(failures(node, "coord-a").get(0).get("state").asText()));
            JsonNode failure = failures(node, "coord-a").get(0);
            assertEquals(3, failure.get("attempts").asInt(), "tried max-attempts times");
            assertEquals("gave up after 3 attempts: the SMTP server did not answer", failure.get("reason").asText());

            await("prof-b's has nowhere to go", () -> failures(node, "coord-b").size() == 1);
            JsonNode none = failures(node, "coord-b").get(0);
            assertEquals("the account has no e-mail address", none.get("reason").asText());
            assertEquals(1, none.get("attempts").asInt(), "nothing to retry without an address");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void stats_withBadPeriod_returns400NamingField(Db db) {
        NodeHarness node = NodeHarness.shared(db);
        assertRefused(node.call("GET", "/api/v1/notifications/stats?from=2026-13-01&to=2026-12-31", null, "gemeente"),
                "from");
        assertRefused(node.call("GET", "/api/v1/notifications/stats?from=2026-01-01", null, "gemeente"), "to");
        assertRefused(node.call("GET", "/api/v1/notifications/stats?from=2026-02-01&to=2026-01-01", null, "gemeente"),
                "to");
        assertRefused(node.call("GET", "/api/v1/notifications/stats?from=1990-01-01&to=2026-01-01", null, "gemeente"),
                "to");
    }

    static void assertRefused(NodeHarness.Response r, String field) {
        assertEquals(400, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals(field, r.body().get("violations").get(0).get("field").asText());
    }

    static List<JsonNode> failures(NodeHarness node, String user) {
        NodeHarness.Response r = node.call("GET", "/api/v1/notifications/failures", null, user);
        assertEquals(200, r.status(), String.valueOf(r.body()));
        List<JsonNode> out = new ArrayList<>();
        r.body().get("items").forEach(out::add);
        return out;
    }

    /** An instellingscoördinator of {@code organisation}, signing in with the demo password. */
    static void addCoordinator(NodeHarness node, String username, String organisation) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        try (Connection c = db(node); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO account (username, password_hash, role, organisation_id, display_name, email, phone, active)"
                        + " VALUES (?, ?, 'COORDINATOR', ?, ?, NULL, NULL, TRUE)")) {
            insert.setString(1, username);
            insert.setString(2, OpenBSDBCrypt.generate("demo".toCharArray(), salt, 10));
            insert.setString(3, organisation);
            insert.setString(4, "Coördinator " + organisation);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
