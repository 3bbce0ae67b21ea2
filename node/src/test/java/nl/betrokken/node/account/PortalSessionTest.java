package nl.betrokken.node.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micronaut.transaction.TransactionOperations;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.MutableClock;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.web.PortaalClient;

/**
 * The portal's sessions at the HTTP level, on H2 and PostgreSQL: the cookie's flags, what the node stores (a keyed
 * hash of the id, the BSN only sealed), the audit entries without the BSN, sign-out ending the session at the node,
 * the idle and absolute time-outs, and every portal form refused without its CSRF token. A node without a
 * coordinator: a signed-in person's overview is then the "not reachable" page, a person without a session is sent to
 * sign in.
 */
class PortalSessionTest {

    private static final Map<NodeHarness.Db, NodeHarness> NODES = new EnumMap<>(NodeHarness.Db.class);

    static synchronized NodeHarness node(NodeHarness.Db db) {
        return NODES.computeIfAbsent(db, d -> {
            Map<String, Object> p = new HashMap<>(NodeHarness.prepare(d, "noord", null, null));
            p.put(MutableClock.PROPERTY, true);
            return NodeHarness.start(p);
        });
    }

    @AfterAll
    static void stop() {
        NODES.values().forEach(NodeHarness::close);
    }

    @ParameterizedTest
    @EnumSource(NodeHarness.Db.class)
    void signIn_setsAStrictCookie_andTheNodeKeepsOnlyAKeyedHashAndTheSealedBsn(NodeHarness.Db db) throws Exception {
        NodeHarness node = node(db);
        PortaalClient browser = new PortaalClient(node.port());
        String bsn = Youths.bsn();
        HttpResponse<String> signedIn = browser.signIn(bsn);
        assertEquals(303, signedIn.statusCode(), signedIn.body());
        assertEquals("/portaal/overzicht", signedIn.headers().firstValue("Location").orElseThrow());
        String cookie = PortaalClient.setCookies(signedIn).stream()
                .filter(c -> c.startsWith(PortalSessions.COOKIE + "=")).findFirst().orElseThrow();
        String lower = cookie.toLowerCase();
        assertTrue(lower.contains("httponly") && lower.contains("secure") && lower.contains("samesite=lax")
                && lower.contains("path=/"), cookie);

        String id = browser.cookies().get(PortalSessions.COOKIE);
        List<String> rows = new ArrayList<>();
        tx(node).executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT id_hash, person_sealed FROM portal_session"); ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                    String sealed = new String(rs.getBytes(2), StandardCharsets.ISO_8859_1);
                    assertFalse(sealed.contains(bsn), "the BSN is stored sealed only");
                }
            }
            return null;
        });
        assertFalse(rows.contains(id), "the cookie's id is not stored");
        assertTrue(rows.stream().noneMatch(r -> r.contains(id)), "nor a part of it");
        assertFalse(auditText(node).contains(bsn), "the audit log holds no BSN");
        assertTrue(auditText(node).contains("portaal.signed-in"), "signing in is in the audit log");

        HttpResponse<String> overview = browser.get("/portaal/overzicht");
        assertNotEquals(303, overview.statusCode(), "signed in: the overview is not a redirect to sign in");
        assertEquals("no-store", overview.headers().firstValue("Cache-Control").orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(NodeHarness.Db.class)
    void signOut_endsTheSessionAtTheNode_evenForACopiedCookie(NodeHarness.Db db) {
        NodeHarness node = node(db);
        PortaalClient browser = new PortaalClient(node.port());
        browser.signIn(Youths.bsn());
        String copied = browser.cookies().get(PortalSessions.COOKIE);
        String csrf = PortaalClient.csrf(browser.get("/portaal/inloggen"));

        HttpResponse<String> out = browser.post("/portaal/uitloggen", Map.of("csrf", csrf));
        assertEquals(303, out.statusCode(), out.body());
        assertEquals("/portaal/uitgelogd", out.headers().firstValue("Location").orElseThrow());
        assertFalse(browser.cookies().containsKey(PortalSessions.COOKIE), "the cookie is cleared");
        assertTrue(auditText(node).contains("portaal.signed-out"));

        PortaalClient thief = new PortaalClient(node.port());
        thief.cookies().put(PortalSessions.COOKIE, copied);
        HttpResponse<String> replay = thief.get("/portaal/bezwaren");
        assertEquals(303, replay.statusCode());
        assertEquals("/portaal/inloggen", replay.headers().firstValue("Location").orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(NodeHarness.Db.class)
    void session_endsAfterFifteenIdleMinutes_andAfterEightHoursInAnyCase(NodeHarness.Db db) {
        NodeHarness node = node(db);
        MutableClock clock = (MutableClock) node.bean(Clock.class);
        PortaalClient idle = new PortaalClient(node.port());
        idle.signIn(Youths.bsn());
        PortaalClient busy = new PortaalClient(node.port());
        busy.signIn(Youths.bsn());

        clock.advance(Duration.ofMinutes(14));
        assertNotEquals(303, busy.get("/portaal/overzicht").statusCode(), "14 minutes idle: still signed in");
        clock.advance(Duration.ofMinutes(2));
        assertEquals(303, idle.get("/portaal/overzicht").statusCode(), "16 minutes idle: signed out");
        assertNotEquals(303, busy.get("/portaal/overzicht").statusCode(), "2 minutes idle: still signed in");
        // busy asks a page every 14 minutes, up to 7 h 58 min, then once more past 8 hours.
        for (int minute = 30; minute < 8 * 60; minute += 14) {
            clock.advance(Duration.ofMinutes(14));
            assertNotEquals(303, busy.get("/portaal/overzicht").statusCode(), "active, at minute " + minute);
        }
        clock.advance(Duration.ofMinutes(14));
        assertEquals(303, busy.get("/portaal/overzicht").statusCode(), "past eight hours: signed out however active");
    }

    @ParameterizedTest
    @EnumSource(NodeHarness.Db.class)
    void everyPortalForm_withoutItsCsrfToken_isRefusedWith403(NodeHarness.Db db) {
        NodeHarness node = node(db);
        PortaalClient browser = new PortaalClient(node.port());
        browser.signIn(Youths.bsn());
        PortaalClient someoneElse = new PortaalClient(node.port());
        someoneElse.signIn(Youths.bsn());
        String other = PortaalClient.csrf(someoneElse.get("/portaal/inloggen"));
        String signal = "/portaal/signalen/noord/00000000-0000-0000-0000-000000000000/bezwaar";
        for (String path : List.of("/portaal/uitloggen", signal, "/portaal/bezwaar/controleren")) {
            HttpResponse<String> none = browser.post(path, Map.of("reden", "Dit signaal klopt helemaal niet."));
            assertEquals(403, none.statusCode(), path + ": " + none.body());
            assertTrue(none.body().contains("<h1 class=\"utrecht-heading-1\">"), "a page, not JSON");
            HttpResponse<String> wrong = browser.post(path, Map.of("csrf", other, "reden", "Dit klopt niet."));
            assertEquals(403, wrong.statusCode(), path + " with another session's token");
        }
        assertNotEquals(303, browser.get("/portaal/overzicht").statusCode(), "the refused sign-out ended nothing");

        PortaalClient anonymous = new PortaalClient(node.port());
        anonymous.get("/dev/idp/inloggen");
        HttpResponse<String> signIn = anonymous.post("/dev/idp/inloggen", Map.of("bsn", Youths.bsn()));
        assertEquals(403, signIn.statusCode(), "the dev sign-in form without its token");
        assertFalse(anonymous.cookies().containsKey(PortalSessions.COOKIE));
    }

    @ParameterizedTest
    @EnumSource(NodeHarness.Db.class)
    void everyPortalAnswer_hasACspWithAFreshNonce_andNoStore(NodeHarness.Db db) {
        NodeHarness node = node(db);
        PortaalClient browser = new PortaalClient(node.port());
        HttpResponse<String> a = browser.get("/portaal/");
        HttpResponse<String> b = browser.get("/portaal/");
        assertEquals(200, a.statusCode(), a.body());
        String cspA = a.headers().firstValue("Content-Security-Policy").orElseThrow();
        String cspB = b.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(cspA.contains("script-src 'nonce-") && cspA.contains("default-src 'none'"), cspA);
        assertNotEquals(cspA, cspB, "a fresh nonce per answer");
        String nonce = cspA.replaceAll(".*'nonce-([^']+)'.*", "$1");
        assertTrue(a.body().contains("nonce=\"" + nonce + "\""), "the script carries the answer's nonce");
        assertFalse(a.body().contains("<script>") || a.body().contains("style="), "no inline script or style");
        assertEquals("no-store", a.headers().firstValue("Cache-Control").orElseThrow());
    }

    private static String auditText(NodeHarness node) {
        StringBuilder out = new StringBuilder();
        tx(node).executeRead(status -> {
            try (PreparedStatement select = status.getConnection().prepareStatement(
                    "SELECT kind, actor, subject, details FROM audit_entry"); ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ')
                            .append(rs.getString(3)).append(' ').append(rs.getString(4)).append('\n');
                }
            }
            return null;
        });
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static TransactionOperations<Connection> tx(NodeHarness node) {
        return node.bean(TransactionOperations.class);
    }
}
