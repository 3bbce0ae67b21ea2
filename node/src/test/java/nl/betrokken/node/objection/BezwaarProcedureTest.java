package nl.betrokken.node.objection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.Youths;

/**
 * The bezwaar procedure around the decision, through a real coordinator process, noord on H2 and oost on PostgreSQL,
 * and a real SMTP server (GreenMail) that both nodes send to: the holding gemeente asks the signal's professional for
 * advice (an e-mail without the youth), the professional, or a colleague of the same organisation, answers through
 * the API, the gemeente reads the advice and the person does not; the person who left an address is told by e-mail
 * that a decision was taken (nothing more), and the address is gone once sent. The node where the person signed in
 * records the objection before it sends it: when it cannot, the answer is a 503 and nothing was filed anywhere.
 */
class BezwaarProcedureTest {

    static final String PORTAL = "https://betrokken.example/portaal/";
    static final String ADVICE = "https://betrokken.example/api/v1/objections/advice-requests";
    static GreenMail smtp;
    static TestFederation federation;
    static Map<String, NodeHarness> nodes;

    @BeforeAll
    static void start() {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        federation = TestFederation.noordAndOost(NodeHarness.Db.H2, NodeHarness.Db.POSTGRES, Map.of(
                "betrokken.notify.enabled", true,
                "betrokken.notify.smtp-host", "127.0.0.1",
                "betrokken.notify.smtp-port", smtp.getSmtp().getPort(),
                "betrokken.notify.poll-interval", "100ms",
                "betrokken.notify.portal-link", PORTAL,
                "betrokken.notify.advice-link", ADVICE));
        nodes = federation.nodes();
    }

    @AfterAll
    static void stop() {
        federation.close();
        smtp.stop();
    }

    @Test
    void gemeenteAsksAdvice_professionalAnswers_gemeenteReadsIt_personToldOfTheDecisionByEmailOnly() throws Exception {
        String child = Youths.bsn();
        String mother = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(9).toString();
        String signal = register("oost", "prof-a", Youths.registration(child, born, mother));
        String motherToken = token("noord", mother);
        await(() -> citizen("noord", "GET", "/api/v1/citizen/signals", null, motherToken).body(),
                page -> page.get("items").size() == 1, "the mother's inzage shows the signal");

        String reason = "Wij herkennen ons niet in deze zorgen over ons kind.";
        NodeHarness.Response filed = citizen("noord", "POST", "/api/v1/objections", Map.of("node", "oost",
                "signalId", signal, "reason", reason, "email", "moeder@thuis.example"), motherToken);
        assertEquals(201, filed.status(), String.valueOf(filed.body()));
        String objection = filed.body().get("id").asText();

        // The gemeente of another region cannot ask; oost's gemeente asks, and prof-a is told by e-mail.
        assertEquals(404, nodes.get("noord").call("POST", "/api/v1/objections/" + objection + "/advice-request", null,
                "gemeente").status(), "another region's gemeente has no such objection");
        NodeHarness.Response asked = nodes.get("oost").call("POST", "/api/v1/objections/" + objection
                + "/advice-request", null, "gemeente");
        assertEquals(200, asked.status(), String.valueOf(asked.body()));
        assertEquals(LocalDate.now(ClockFactory.ZONE).toString(), asked.body().get("adviceAskedOn").asText());
        MimeMessage adviceMail = awaitMail("oost-prof-a@example.org", objection);
        String adviceText = text(adviceMail);
        assertTrue(adviceMail.getSubject().contains("advies"), adviceMail.getSubject());
        assertTrue(adviceText.contains(ADVICE), "and where to answer: " + adviceText);
        for (String personal : List.of(child, mother, "Testkind", reason, signal, "moeder@thuis.example")) {
            assertFalse(adviceText.contains(personal) || adviceMail.getSubject().contains(personal),
                    "the advice e-mail holds no " + personal);
        }

        // Only the asked professional's organisation sees the request, with the reason.
        JsonNode requests = nodes.get("oost").call("GET", "/api/v1/objections/advice-requests", null, "prof-a").body();
        assertEquals(1, count(requests, objection), requests.toString());
        assertEquals(reason, item(requests, objection).get("reason").asText());
        assertEquals(0, count(nodes.get("oost").call("GET", "/api/v1/objections/advice-requests", null, "prof-b")
                .body(), objection), "another organisation sees no request");
        assertEquals(404, nodes.get("oost").call("POST", "/api/v1/objections/" + objection + "/advice",
                Map.of("advice", "Ik bemoei me ermee."), "prof-b").status(), "another organisation cannot advise");
        assertField(nodes.get("oost").call("POST", "/api/v1/objections/" + objection + "/advice",
                Map.of("advice", " "), "prof-a"), "advice");

        String advice = "De school ziet het kind elke dag en heeft de zorgen met de ouders besproken.";
        NodeHarness.Response advised = nodes.get("oost").call("POST", "/api/v1/objections/" + objection + "/advice",
                Map.of("advice", advice), "prof-a");
        assertEquals(200, advised.status(), String.valueOf(advised.body()));
        assertTrue(advised.body().hasNonNull("advisedOn"));
        assertEquals(409, nodes.get("oost").call("POST", "/api/v1/objections/" + objection + "/advice",
                Map.of("advice", "Nog iets."), "prof-a").status(), "advice is given once");
        assertEquals(409, nodes.get("oost").call("POST", "/api/v1/objections/" + objection + "/advice-request", null,
                "gemeente").status(), "no second request once advised");
        assertEquals(0, count(nodes.get("oost").call("GET", "/api/v1/objections/advice-requests", null, "prof-a")
                .body(), objection), "an answered request is no longer open");

        JsonNode atGemeente = item(nodes.get("oost").call("GET", "/api/v1/objections", null, "gemeente").body(),
                objection);
        assertEquals(advice, atGemeente.get("advice").asText(), "the gemeente reads the advice");
        JsonNode atMother = item(citizen("noord", "GET", "/api/v1/objections", null, token("noord", mother)).body(),
                objection);
        assertNotNull(atMother);
        assertFalse(atMother.hasNonNull("advice"), "the advice is for the gemeente deciding: " + atMother);
        assertTrue(atMother.hasNonNull("advisedOn"), "the person sees that advice was given");
        String stored = stored("oost", "SELECT * FROM objection");
        assertFalse(stored.contains("elke dag") || stored.contains("thuis.example"),
                "the advice and the address are stored only encrypted: " + stored);

        // Decided: the mother gets an e-mail that a decision was taken, and nothing else.
        String motivation = "De zorgen van de school zijn voldoende onderbouwd.";
        assertEquals(200, nodes.get("oost").call("POST", "/api/v1/objections/" + objection + "/decision",
                Map.of("outcome", "REJECTED", "motivation", motivation), "gemeente").status());
        assertEquals(409, nodes.get("oost").call("POST", "/api/v1/objections/" + objection + "/advice-request", null,
                "gemeente").status(), "no request on a decided objection");
        MimeMessage told = awaitMail("moeder@thuis.example", PORTAL);
        String toldText = text(told);
        assertTrue(told.getSubject().contains("besluit"), told.getSubject());
        assertTrue(toldText.contains(PORTAL), "sign in to read it: " + toldText);
        for (String content : List.of(motivation, reason, advice, "REJECTED", "afgewezen", child, mother, "Testkind",
                signal, objection)) {
            assertFalse(toldText.contains(content) || told.getSubject().contains(content),
                    "the e-mail to the person says only that there is a decision, not: " + content);
        }
        await(() -> NodeHarness.JSON.getNodeFactory().textNode(stored("oost",
                        "SELECT email_state, email_address, address_sealed FROM notification WHERE recipient = 'citizen:objector'")),
                text -> text.asText().startsWith("SENT|null|null|"), "the address is gone once the e-mail is sent");
        assertFalse(stored("oost", "SELECT * FROM objection").contains("thuis.example"));
        String log = stored("oost", "SELECT kind, actor, subject, details FROM audit_entry");
        for (String kind : List.of("bezwaar.advice-asked", "bezwaar.advised", "bezwaar.decided", "notification.sent")) {
            assertTrue(log.contains(kind), "oost logged " + kind);
        }
        assertTrue(log.contains("citizen:objector"), "the e-mail to the person is logged, by role: " + log);
        assertFalse(log.contains("thuis.example") || log.contains("moeder@"), "and never by address");
    }

    @Test
    void colleagueOfTheSameOrganisation_answersWhenTheProfessionalLeft() {
        String youth = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(14).toString();
        String signal = register("oost", "prof-a", Youths.registration(youth, born));
        await(() -> citizen("oost", "GET", "/api/v1/citizen/signals", null, token("oost", youth)).body(),
                page -> page.get("items").size() == 1, "the youth of 14 sees their own signal");
        NodeHarness.Response filed = citizen("oost", "POST", "/api/v1/objections", Map.of("node", "oost",
                "signalId", signal, "reason", "Ik wil niet dat dit over mij geregistreerd staat."), token("oost", youth));
        assertEquals(201, filed.status(), String.valueOf(filed.body()));
        String objection = filed.body().get("id").asText();
        assertEquals(404, nodes.get("oost").call("POST", "/api/v1/objections/" + objection + "/advice", Map.of(
                "advice", "Ongevraagd advies."), "prof-a").status(), "no advice before the gemeente asks");
        assertEquals(200, nodes.get("oost").call("POST", "/api/v1/objections/" + objection + "/advice-request", null,
                "gemeente").status());

        Map<String, Object> colleague = Map.of("username", "oost-collega-" + objection.substring(0, 8),
                "displayName", "Collega", "email", "collega@school.example", "initialPassword", "een-lang-wachtwoord");
        assertEquals(201, nodes.get("oost").call("POST", "/api/v1/staff", colleague, "coord-a").status());
        Map<String, String> asColleague = Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (colleague.get("username") + ":een-lang-wachtwoord").getBytes(StandardCharsets.UTF_8)));
        JsonNode requests = nodes.get("oost").call("GET", "/api/v1/objections/advice-requests", null, null,
                asColleague).body();
        assertEquals(1, count(requests, objection), "the colleague of organisation a sees the request: " + requests);
        NodeHarness.Response advised = nodes.get("oost").call("POST", "/api/v1/objections/" + objection + "/advice",
                Map.of("advice", "Namens mijn collega: de zorgen zijn besproken."), null, asColleague);
        assertEquals(200, advised.status(), String.valueOf(advised.body()));
        assertEquals("Namens mijn collega: de zorgen zijn besproken.", item(nodes.get("oost").call("GET",
                "/api/v1/objections", null, "gemeente").body(), objection).get("advice").asText());
    }

    @Test
    void filingNodeCannotRecordTheObjection_answers503_andNothingIsFiled_norOnARefusal() {
        String child = Youths.bsn();
        String father = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(7).toString();
        String signal = register("oost", "prof-a", Youths.registration(child, born, father));
        await(() -> citizen("noord", "GET", "/api/v1/citizen/signals", null, token("noord", father)).body(),
                page -> page.get("items").size() == 1, "the father's inzage shows the signal");
        Map<String, String> body = Map.of("node", "oost", "signalId", signal,
                "reason", "Deze melding berust op een misverstand.", "email", "vader@thuis.example");

        execute("noord", "ALTER TABLE objection_filed RENAME TO objection_filed_away");
        NodeHarness.Response failed;
        try {
            failed = citizen("noord", "POST", "/api/v1/objections", body, token("noord", father));
        } finally {
            execute("noord", "ALTER TABLE objection_filed_away RENAME TO objection_filed");
        }
        assertEquals(503, failed.status(), String.valueOf(failed.body()));
        assertTrue(failed.contentType().startsWith("application/problem+json"), failed.contentType());
        assertFalse(objectionsOn("oost", signal), "nothing was filed at the holding node");

        NodeHarness.Response again = citizen("noord", "POST", "/api/v1/objections", body, token("noord", father));
        assertEquals(201, again.status(), "the retry files it: " + again.body());
        assertTrue(objectionsOn("oost", signal));

        // A refusal of the holding node leaves no record at the filing node.
        int recorded = rows("noord", "objection_filed");
        NodeHarness.Response twice = citizen("noord", "POST", "/api/v1/objections", body, token("noord", father));
        assertEquals(409, twice.status(), String.valueOf(twice.body()));
        assertEquals(recorded, rows("noord", "objection_filed"), "the refused objection's record is removed");
        assertTrue(stored("noord", "SELECT kind FROM audit_entry").contains("bezwaar.refused"));

        assertField(citizen("noord", "POST", "/api/v1/objections", Map.of("node", "oost", "signalId", signal,
                "reason", "Deze melding berust op een misverstand.", "email", "geen adres"), token("noord", father)),
                "email");
    }

    private static boolean objectionsOn(String node, String signal) {
        for (JsonNode o : nodes.get(node).call("GET", "/api/v1/objections", null, "gemeente").body().get("items")) {
            if (o.get("signalId").asText().equals(signal)) {
                return true;
            }
        }
        return false;
    }

    /** The first e-mail to {@code to} whose text holds {@code holding} (the other tests send e-mails too). */
    private static MimeMessage awaitMail(String to, String holding) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (m.getRecipients(Message.RecipientType.TO)[0].toString().equals(to) && text(m).contains(holding)) {
                    return m;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no e-mail to " + to + " within 30 s");
    }

    /** The decoded text of a plain-text e-mail. */
    private static String text(MimeMessage m) throws Exception {
        return String.valueOf(m.getContent());
    }

    @SuppressWarnings("unchecked")
    private static TransactionOperations<Connection> tx(String node) {
        return nodes.get(node).bean(TransactionOperations.class);
    }

    private static void execute(String node, String sql) {
        tx(node).executeWrite(status -> {
            try (var s = status.getConnection().createStatement()) {
                s.execute(sql);
            }
            return null;
        });
    }

    private static int rows(String node, String table) {
        return tx(node).executeRead(status -> {
            try (var s = status.getConnection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    /** The rows of a query as text, columns joined by '|', bytes decoded as UTF-8 (to look for plaintext). */
    private static String stored(String node, String sql) {
        return tx(node).executeRead(status -> {
            StringBuilder sb = new StringBuilder();
            try (var s = status.getConnection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        Object v = rs.getObject(i);
                        sb.append(v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v).append('|');
                    }
                    sb.append('\n');
                }
            }
            return sb.toString();
        });
    }

    private static void assertField(NodeHarness.Response r, String field) {
        assertEquals(400, r.status(), String.valueOf(r.body()));
        List<String> fields = new ArrayList<>();
        r.body().get("violations").findValues("field").forEach(f -> fields.add(f.asText()));
        assertTrue(fields.contains(field), field + " in " + r.body());
    }

    private static int count(JsonNode page, String id) {
        return item(page, id) == null ? 0 : 1;
    }

    private static JsonNode item(JsonNode page, String id) {
        for (JsonNode i : page.get("items")) {
            if (i.get("id").asText().equals(id)) {
                return i;
            }
        }
        return null;
    }

    private static String register(String node, String user, Map<String, Object> body) {
        NodeHarness.Response r = nodes.get(node).call("POST", "/api/v1/signals", body, user);
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    private static String token(String node, String bsn) {
        NodeHarness.Response token = nodes.get(node).call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        assertEquals(200, token.status(), String.valueOf(token.body()));
        return token.body().get("access_token").asText();
    }

    private static NodeHarness.Response citizen(String node, String method, String path, Object body, String token) {
        return nodes.get(node).call(method, path, body, null, Map.of("Authorization", "Bearer " + token));
    }

    private static JsonNode await(Supplier<JsonNode> read, Predicate<JsonNode> done, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode value = read.get();
        while (!done.test(value)) {
            assertFalse(System.nanoTime() > deadline, "timed out waiting until " + what + ": " + value);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            value = read.get();
        }
        return value;
    }
}
