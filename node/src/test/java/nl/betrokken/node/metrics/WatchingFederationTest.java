package nl.betrokken.node.metrics;

import static nl.betrokken.testing.PrometheusText.value;
import static nl.betrokken.testing.PrometheusText.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import nl.betrokken.crypto.bsn.Bsn;
import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.TestFederation;
import nl.betrokken.node.Youths;
import nl.betrokken.node.archive.ArchiveService;
import nl.betrokken.node.audit.AuditCheckpoints;
import nl.betrokken.node.keys.NodeKeys;
import nl.betrokken.observability.RequestIds;
import nl.betrokken.testing.PrometheusText;

/**
 * Watching a federation run (docs/operators.md, "Watching it"): a coordinator process and two nodes (noord on H2,
 * oost on PostgreSQL) register signals with parents, match, ask and record consent, exchange a message, serve a
 * parent's inzage and an objection and its decision. Then:
 * <ul>
 * <li>every log line of the run, the coordinator's (its log file) and the nodes' (captured in this JVM as JSON, the
 * nodes' own loggers at DEBUG), holds no BSN, name, birth date, e-mail address, pseudonym or token of the run, nor
 * anything shaped like one (nine digits passing the elfproef, a JWT, an e-mail address), and neither does the
 * node's metrics text (nine digits after a decimal point are a fraction, not a BSN);</li>
 * <li>a request id given to noord comes back in its answer and is logged by the coordinator and by oost, which the
 * call reached through noord;</li>
 * <li>noord's {@code /prometheus} wants its scrape token, passes {@code promtool check metrics}, and shows each of
 * the node's figures with a plausible value.</li>
 * </ul>
 */
class WatchingFederationTest {

    private static final String SCRAPE = "scrape-token-of-the-federation-test-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern NINE_DIGITS = Pattern.compile("(?<![0-9.])[0-9]{9}(?![0-9])");
    private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\":\"(?:[a-z]{1,16}-)?[0-9a-f]{32}\"");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");

    @Test
    void aFederationRun_logsNothingPersonal_carriesItsRequestIds_andShowsItsFigures() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> capture = capture(captured);
        Logger ours = (Logger) LoggerFactory.getLogger("nl.betrokken");
        Level before = ours.getLevel();
        ours.setLevel(Level.DEBUG);
        Set<String> secrets = new LinkedHashSet<>();
        String coordinatorLog;
        String metrics;
        try (ServerSocket closedSmtp = new ServerSocket(0);
             TestFederation federation = TestFederation.noordAndOost((id, port) -> settings(closedSmtp.getLocalPort()))) {
            closedSmtp.close(); // nothing listens there: every e-mail fails and is retried
            NodeHarness noord = federation.nodes().get("noord");
            NodeHarness oost = federation.nodes().get("oost");

            String child = Youths.bsn();
            String mother = Youths.bsn();
            String father = Youths.bsn();
            String born = LocalDate.now(ClockFactory.ZONE).minusYears(10).minusDays(41).toString();
            String name = "Anouk Veldkamp-Oosterhuis";
            secrets.addAll(List.of(child, mother, father, born, born.replace("-", ""), name, "Veldkamp"));
            Map<String, Object> registration = Youths.registration(child, born, mother, father);
            @SuppressWarnings("unchecked")
            Map<String, Object> youth = new HashMap<>((Map<String, Object>) registration.get("youth"));
            youth.put("name", name);
            registration.put("youth", youth);
            String atNoord = register(noord, registration);
            String atOost = register(oost, registration);
            String match = federation.matchOn("noord", atNoord);
            federation.matchOn("oost", atOost);
            for (NodeHarness node : List.of(noord, oost)) {
                for (String bsn : List.of(child, mother, father)) {
                    node.bean(NodeKeys.class).pseudonymizer().pseudonymizeForMatching(Bsn.parse(bsn))
                            .forEach(p -> secrets.add(p.encoded()));
                    secrets.add(node.bean(NodeKeys.class).pseudonymizer().pseudonymize(Bsn.parse(bsn)).encoded());
                }
            }
            secrets.addAll(List.of("noord-prof-a@example.org", "oost-prof-a@example.org"));

            // Consent, recorded in person, and a message under it.
            NodeHarness.Response asked = noord.call("POST", "/api/v1/matches/" + match + "/consent-requests",
                    Map.of("purpose", "Afstemmen van de hulp aan het kind"), "prof-a");
            assertEquals(201, asked.status(), String.valueOf(asked.body()));
            assertEquals(204, noord.call("POST", "/api/v1/consent-requests/" + asked.body().get("id").asText()
                    + "/recorded", Map.of("by", "PARENT", "on", LocalDate.now(ClockFactory.ZONE).toString(),
                    "form", "MONDELING"), "prof-a").status());
            String text = "Kind slaapt slecht sinds de verhuizing naar Zwolle";
            secrets.add(text);
            NodeHarness.Response sent = noord.call("POST", "/api/v1/matches/" + match + "/messages",
                    Map.of("text", text), "prof-a");
            assertEquals(201, sent.status(), String.valueOf(sent.body()));

            // The mother's inzage at noord, under a request id of the test's: noord asks the coordinator where her
            // child's signals are, then asks oost for its signal.
            String motherToken = citizenToken(noord, mother);
            secrets.add(motherToken);
            String requestId = "watching-" + RequestIds.fresh();
            HttpResponse<String> inzage = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + noord.port() + "/api/v1/citizen/signals"))
                    .header("Authorization", "Bearer " + motherToken).header("Accept", "application/json")
                    .header(RequestIds.HEADER, requestId).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, inzage.statusCode(), inzage.body());
            assertTrue(inzage.body().contains(atOost), "the inzage shows oost's signal");
            assertEquals(requestId, inzage.headers().firstValue(RequestIds.HEADER).orElse(null), "echoed");
            HttpResponse<String> unsafe = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + noord.port() + "/health"))
                    .header(RequestIds.HEADER, "bad id\u00e9<script>").build(), HttpResponse.BodyHandlers.ofString());
            String replaced = unsafe.headers().firstValue(RequestIds.HEADER).orElse("");
            assertTrue(RequestIds.valid(replaced) && !replaced.contains("script"), "an unsafe id is replaced: " + replaced);
            String bsn = "111222333";
            HttpResponse<String> own = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + noord.port() + "/health"))
                    .header(RequestIds.HEADER, bsn).build(), HttpResponse.BodyHandlers.ofString());
            assertNotEquals(bsn, own.headers().firstValue(RequestIds.HEADER).orElse(bsn),
                    "a caller's own number (here a BSN) is replaced, never logged");

            // An objection by the mother on oost's signal, rejected by oost's gemeente.
            String reason = "Wij herkennen ons niet in deze melding over onze dochter";
            secrets.add(reason);
            NodeHarness.Response filed = noord.call("POST", "/api/v1/objections",
                    Map.of("node", "oost", "signalId", atOost, "reason", reason), null,
                    Map.of("Authorization", "Bearer " + motherToken));
            assertEquals(201, filed.status(), String.valueOf(filed.body()));
            NodeHarness.Response decided = oost.call("POST", "/api/v1/objections/" + filed.body().get("id").asText()
                    + "/decision", Map.of("outcome", "REJECTED", "motivation", "De zorgen zijn terecht gemeld."),
                    "gemeente");
            assertEquals(200, decided.status(), String.valueOf(decided.body()));

            // A forged call at the federation API, the archive job and a checkpoint: figures for the metrics.
            assertEquals(401, noord.call("POST", "/federation/v1/contacts", Map.of("ticket", "t-1", "ref", "r-1"), null,
                    Map.of("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.")).status());
            noord.bean(ArchiveService.class).run();
            noord.bean(AuditCheckpoints.class).run();
            TestFederation.await(() -> noord.bean(NodeMetrics.class), m -> {
                m.refresh();
                return outboxEmpty(noord);
            }, "noord's outbox emptied");
            TestFederation.await(() -> scrapeText(noord),
                    t -> !values(t, "betrokken_notification_failures_total", "channel=\"email\"").isEmpty(),
                    "a failed e-mail counted");

            assertEquals(401, scrape(noord, null).statusCode(), "the metrics want the scrape token");
            assertEquals(401, scrape(noord, "wrong-" + SCRAPE).statusCode());
            HttpResponse<String> scraped = scrape(noord, SCRAPE);
            assertEquals(200, scraped.statusCode(), scraped.body());
            metrics = scraped.body();
            PrometheusText.assertPromtoolPasses(metrics);
            assertTrue(value(metrics, "betrokken_signals_registered_total") >= 1);
            assertEquals(0, value(metrics, "betrokken_outbox_depth_messages"));
            assertEquals(0, value(metrics, "betrokken_outbox_oldest_age_seconds"));
            double checkpointAge = value(metrics, "betrokken_audit_checkpoint_age_seconds");
            assertTrue(checkpointAge >= 0 && checkpointAge < 120, "checkpoint age " + checkpointAge);
            assertTrue(value(metrics, "betrokken_retention_runs_total") >= 1);
            assertTrue(values(metrics, "betrokken_token_refusals_total").stream().mapToDouble(d -> d).sum() >= 1,
                    "the forged call is counted");
            assertTrue(values(metrics, "betrokken_notification_failures_total", "channel=\"email\"").stream()
                    .mapToDouble(d -> d).sum() >= 1, "the failed e-mail is counted");
            assertFalse(values(metrics, "betrokken_notifications_failed_notifications").isEmpty());
            assertFalse(values(metrics, "jvm_memory_used_bytes").isEmpty(), "JVM figures");
            assertFalse(values(metrics, "hikaricp_connections_active").isEmpty(), "connection pool figures");
            assertFalse(values(metrics, "http_client_requests_seconds_count").isEmpty(), "HTTP client figures");

            coordinatorLog = Files.readString(federation.coordinatorDataDir().resolve("log"), StandardCharsets.UTF_8);
            String nodesLog = captured.toString(StandardCharsets.UTF_8);
            assertTrue(lines(coordinatorLog).stream().anyMatch(l -> l.contains("\"requestId\":\"" + requestId + "\"")
                    && l.contains("/internal/v1/inzage")), "the coordinator logged the inzage call under the request id");
            assertTrue(lines(nodesLog).stream().anyMatch(l -> l.contains("\"requestId\":\"" + requestId + "\"")
                    && l.contains("/federation/v1/inzage")), "oost logged noord's call under the request id");
            assertTrue(lines(coordinatorLog).stream().anyMatch(l -> l.contains("\"requestId\":\"outbox-")),
                    "the outbox sender's passes carry their own request id to the coordinator");
            assertTrue(lines(coordinatorLog).stream().anyMatch(l -> l.contains("\"requestId\":\"feed-")),
                    "the feed follower's passes carry their own request id to the coordinator");
        } finally {
            ours.setLevel(before);
            detach(capture);
        }
        String nodesLog = captured.toString(StandardCharsets.UTF_8);
        assertTrue(lines(nodesLog).size() > 50, "the nodes' log was captured: " + lines(nodesLog).size() + " lines");
        for (String line : lines(coordinatorLog)) {
            assertTrue(line.startsWith("{") && line.endsWith("}"), "the coordinator logs JSON lines: " + line);
        }
        List<String> findings = new ArrayList<>();
        scan("coordinator", coordinatorLog, secrets, findings);
        scan("nodes", nodesLog, secrets, findings);
        scan("noord's metrics", metrics, secrets, findings);
        assertEquals(List.of(), findings, findings.size() + " log lines hold personal data or a token");
    }

    private static Map<String, Object> settings(int smtpPort) {
        Map<String, Object> p = new HashMap<>();
        p.put("betrokken.metrics.token", SCRAPE);
        p.put("betrokken.notify.enabled", true);
        p.put("betrokken.notify.smtp-host", "127.0.0.1");
        p.put("betrokken.notify.smtp-port", smtpPort);
        p.put("betrokken.notify.poll-interval", "200ms");
        return p;
    }

    private static void scan(String where, String text, Set<String> secrets, List<String> findings) {
        for (String line : lines(text)) {
            for (String secret : secrets) {
                if (line.contains(secret)) {
                    findings.add(where + ": \"" + secret + "\" in " + line);
                }
            }
            // A request id is 32 random hex digits in the one form RequestIds accepts: nine decimal digits inside it,
            // passing the 11-test by chance, are no BSN; the rest of the line is scanned as it is.
            Matcher digits = NINE_DIGITS.matcher(REQUEST_ID.matcher(line).replaceAll("\"requestId\":\"\""));
            while (digits.find()) {
                if (Bsn.isValid(digits.group())) {
                    findings.add(where + ": a BSN-shaped " + digits.group() + " in " + line);
                }
            }
            if (JWT.matcher(line).find()) {
                findings.add(where + ": a token in " + line);
            }
            Matcher email = EMAIL.matcher(line);
            if (email.find()) {
                findings.add(where + ": an e-mail address " + email.group() + " in " + line);
            }
        }
    }

    private static List<String> lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    private static boolean outboxEmpty(NodeHarness node) {
        return value(scrapeText(node), "betrokken_outbox_depth_messages") == 0;
    }

    private static String scrapeText(NodeHarness node) {
        try {
            return scrape(node, SCRAPE).body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String register(NodeHarness node, Map<String, Object> body) {
        NodeHarness.Response r = node.call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    private static String citizenToken(NodeHarness node, String bsn) {
        NodeHarness.Response token = node.call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        assertEquals(200, token.status(), String.valueOf(token.body()));
        JsonNode access = token.body().get("access_token");
        return access.asText();
    }

    private static HttpResponse<String> scrape(NodeHarness node, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/prometheus"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every log event of this JVM from now on, also as JSON lines into {@code out}. */
    private static OutputStreamAppender<ILoggingEvent> capture(ByteArrayOutputStream out) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName("watching-test");
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return appender;
    }

    private static void detach(OutputStreamAppender<ILoggingEvent> appender) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }
}
