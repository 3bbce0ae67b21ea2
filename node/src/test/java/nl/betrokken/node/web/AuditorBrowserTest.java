package nl.betrokken.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import nl.betrokken.audit.AuditBundle;
import nl.betrokken.node.CoordinatorProcess;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;
import nl.betrokken.node.audit.AuditCheckpoints;

/**
 * The auditor's werkplek pages (docs/werkplek.md, "Auditor") in headless Chromium, on one node in the dev environment
 * enrolled at a real coordinator (so that a checkpoint is countersigned): the report of a period, two wrong periods
 * with the error at the field, the checkpoints with the coordinator's countersignature, the bundle downloaded through
 * the page's session and verified with {@code java -jar audit.jar verify} against the coordinator's published keys, as
 * docs/audit.md says; and a professional refused. axe-core and a screenshot on every page and error state.
 */
class AuditorBrowserTest {

    private static CoordinatorProcess coordinator;
    private static NodeHarness node;

    @BeforeAll
    static void start() {
        coordinator = CoordinatorProcess.start();
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(NodeHarness.Db.H2, "noord", coordinator.url(), ""));
        p.put("betrokken.audit.checkpoint-initial-delay", "1h");
        coordinator.enrol("noord", Path.of((String) p.get("betrokken.data-dir")));
        node = NodeHarness.start(p, "test", "dev");
        // Entries to audit: two signals registered through the API, one read; then a countersigned checkpoint.
        for (int i = 0; i < 2; i++) {
            NodeHarness.Response r = node.call("POST", "/api/v1/signals", Youths.registration(Youths.bsn()), "prof-a");
            assertEquals(201, r.status(), String.valueOf(r.body()));
            if (i == 0) {
                assertEquals(200, node.call("GET", "/api/v1/signals/" + r.body().get("id").asText(), null, "prof-a")
                        .status());
            }
        }
        assertEquals(AuditCheckpoints.Outcome.COUNTERSIGNED, node.bean(AuditCheckpoints.class).run());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void auditor_leestRapport_foutePeriode_controlepunten_enDownloadtEnControleertDeBundel() throws Exception {
        try (WerkplekBrowser b = new WerkplekBrowser(node.port(), true)) {
            b.signIn("noord-auditor");
            assertEquals("/werkplek/audit", b.path(), "the auditor's start is the report");
            assertEquals(List.of("Rapport", "Controlepunten", "Logboek downloaden"),
                    b.all("header nav a").stream().map(a -> a.getText()).toList());
            assertEquals("Rapport over een periode", b.h1());
            String report = b.text();
            assertTrue(report.contains("Regels in het logboek, per rol en soort"), report);
            assertTrue(b.all("caption").size() >= 6, "the report's tables, each with its caption");
            assertTrue(b.all("td").stream().anyMatch(td -> td.getText().equals("signal.registered")), report);
            assertTrue(report.contains("De bewaartermijnen worden vandaag goed nageleefd"), report);
            b.check("audit-rapport");

            // To before from: the error at the field "Tot en met", the answers kept.
            period(b, "10-03-2026", "01-03-2026");
            assertTrue(b.title().startsWith("Fout: "), b.title());
            assertEquals("De datum tot en met mag niet voor de datum van liggen", b.find("#tot-fout").getText());
            assertEquals("true", b.find("#tot").getDomAttribute("aria-invalid"));
            assertEquals("#tot", b.find("[data-foutsamenvatting] a").getDomAttribute("href"));
            assertEquals("01-03-2026", b.find("#tot").getDomProperty("value"), "the answer is kept");
            assertTrue(b.all("caption").isEmpty(), "no report for a wrong period");
            b.check("audit-rapport", "audit-rapport-fout");

            // A date that does not exist.
            period(b, "30-02-2026", "01-03-2026");
            assertEquals("Deze datum bestaat niet. Kijk of de dag en de maand kloppen", b.find("#van-fout").getText());
            assertTrue(b.all("#tot-fout").isEmpty());
            b.check("audit-rapport", "audit-rapport-datum-fout");

            // A valid period typed as the API takes it.
            period(b, "2026-01-01", "2026-01-31");
            assertEquals("Van 1 januari 2026 tot en met 31 januari 2026", b.find("main h2").getText());

            b.click("Controlepunten");
            assertEquals("/werkplek/audit/controlepunten", b.path());
            String checkpoints = b.text();
            assertTrue(checkpoints.contains("betrokken/node/noord"), checkpoints);
            assertTrue(b.all("td").stream().anyMatch(td -> td.getText().startsWith("Ja, op ")),
                    "the checkpoint the coordinator countersigned: " + checkpoints);
            assertTrue(b.all("td").stream().anyMatch(td -> td.getText().equals("Nee")),
                    "the one signed for this read, not yet countersigned: " + checkpoints);
            b.check("audit-controlepunten");

            b.click("Logboek downloaden");
            assertEquals("/werkplek/audit/bundel", b.path());
            assertTrue(b.text().contains("java -jar audit/target/audit.jar verify noord-bundle-"), b.text());
            b.check("audit-bundel");
            String href = b.find("a[download]").getDomAttribute("href");
            assertEquals("/werkplek/audit/bundel/bestand", href);
            String json = (String) b.driver().executeAsyncScript(
                    "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);", href);

            // The file verifies with the auditor's command line, and its keys are the published ones (docs/audit.md).
            Path file = Files.createTempFile("noord-bundle", ".json");
            Files.writeString(file, json);
            Path jar = Path.of("..", "audit", "target", "audit.jar");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    jar.toAbsolutePath().toString(), "verify", file.toString()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), output);
            assertTrue(output.startsWith("OK betrokken/node/noord: "), output);
            assertTrue(output.contains("countersigned by the coordinator"), output);
            JsonNode keys = NodeHarness.JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(coordinator.url() + "/.well-known/betrokken-audit-keys.json")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            AuditBundle bundle = AuditBundle.parse(json);
            assertEquals(keys.get("witnessKey").asText(), bundle.witnessKey());
            assertEquals(keys.get("nodeLogKeys").get("noord").asText(), bundle.logKey());
            assertTrue(b.text().contains(bundle.logKey()), "the page shows the log key to compare");

            // The coordinator's own bundle, fetched through this node from the same page: it verifies the same way,
            // and the coordinator logged this read as well.
            String coordinatorHref = b.find("a[download^='coordinator-bundle-']").getDomAttribute("href");
            assertEquals("/werkplek/audit/bundel/coordinator", coordinatorHref);
            String coordinatorJson = (String) b.driver().executeAsyncScript(
                    "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);",
                    coordinatorHref);
            Path coordinatorFile = Files.createTempFile("coordinator-bundle", ".json");
            Files.writeString(coordinatorFile, coordinatorJson);
            Process cp = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    jar.toAbsolutePath().toString(), "verify", coordinatorFile.toString()).redirectErrorStream(true)
                    .start();
            String coordinatorOutput = new String(cp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, cp.waitFor(), coordinatorOutput);
            assertTrue(coordinatorOutput.startsWith("OK betrokken/coordinator: "), coordinatorOutput);
            assertEquals(keys.get("logKey").asText(), AuditBundle.parse(coordinatorJson).logKey());
            assertTrue(AuditBundle.parse(coordinatorJson).entries().stream().anyMatch(e -> "audit.read".equals(e.kind())
                    && "node:noord:auditor".equals(e.actor())), "the coordinator logged the read through noord");

            // The page's reads are in the log as the API's are: the read itself, and the request of the auditor.
            assertTrue(bundle.entries().stream().anyMatch(e -> "audit.read".equals(e.kind())
                    && "audit:bundle".equals(e.subject()) && "auditor:noord-auditor".equals(e.actor())));
            assertTrue(bundle.entries().stream().anyMatch(e -> "audit.read".equals(e.kind())
                    && "audit:reports".equals(e.subject())));
            assertTrue(bundle.entries().stream().anyMatch(e -> "access.auditor".equals(e.kind())
                    && "werkplek:/werkplek/audit/bundel/bestand".equals(e.subject())));
        }
    }

    @Test
    void eenProfessional_krijgtDe403Pagina() {
        try (WerkplekBrowser b = new WerkplekBrowser(node.port(), true)) {
            b.signIn("noord-prof-a");
            for (String path : List.of("/werkplek/audit", "/werkplek/audit/controlepunten", "/werkplek/audit/bundel",
                    "/werkplek/audit/bundel/bestand", "/werkplek/audit/bundel/coordinator")) {
                b.open(path);
                assertEquals("Deze pagina is niet voor u", b.h1(), path);
            }
            b.check("geweigerd", "audit-geweigerd");
        }
    }

    private static void period(WerkplekBrowser b, String from, String to) {
        b.find("#van").clear();
        b.find("#van").sendKeys(from);
        b.find("#tot").clear();
        b.find("#tot").sendKeys(to);
        b.click("Rapport tonen");
    }
}
