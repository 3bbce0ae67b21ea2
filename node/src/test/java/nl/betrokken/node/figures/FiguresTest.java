package nl.betrokken.node.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;
import nl.betrokken.node.Youths;
import nl.betrokken.node.audit.NodeAudit;

/**
 * The region's figures per month, on a node of its own so that the counts are exact: signals per organisation and
 * sector (one moved to last month), matches within and across regions (a withdrawn one not counted), objections and
 * consents (by the audit report's rules), for the gemeente and the matchcoördinator only; bad months a 400 naming the
 * field; a table as CSV with the same numbers; every read a {@code figures.read} entry; no BSN anywhere.
 */
class FiguresTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void figures_countPerMonth_withinAndAcross_objectionsAndConsents_asJsonAndCsv(Db db) throws Exception {
        try (NodeHarness node = NodeHarness.start(db, "noord", null, null)) {
            Clock clock = node.bean(Clock.class);
            YearMonth month = YearMonth.now(clock);
            YearMonth before = month.minusMonths(1);
            Instant now = clock.instant();
            String query = "?from=" + before + "&to=" + month;
            JsonNode quiet = node.call("GET", "/api/v1/figures" + query, null, "gemeente").body().get("silence");
            assertTrue(quiet.get("regionSilent").asBoolean(), "no signal yet: " + quiet);
            assertFalse(quiet.has("regionLastSignal"), quiet.toString());
            assertEquals(List.of("noord-org-a", "noord-org-b"), strings(quiet.get("silentOrganisations")));

            List<String> bsns = new ArrayList<>();
            UUID a1 = signal(node, "prof-a", bsns);
            UUID a2 = signal(node, "prof-a", bsns);
            UUID b1 = signal(node, "prof-b", bsns);
            UUID moved = signal(node, "prof-a", bsns);
            sql(node, "UPDATE signal SET registered_on = ? WHERE id = ?", before.atDay(3), moved);

            // within the region: both sides here, one match; across: the counterpart is oost; a withdrawn one
            UUID within = UUID.randomUUID();
            match(node, within, a1, "CHILD", "noord", "ACTIVE", now);
            match(node, within, b1, "CHILD", "noord", "ACTIVE", now);
            match(node, UUID.randomUUID(), a2, "FAMILY", "oost", "ACTIVE", now);
            match(node, UUID.randomUUID(), b1, "CHILD", "zuid", "ACTIVE",
                    before.atDay(10).atStartOfDay(clock.getZone()).toInstant());
            match(node, UUID.randomUUID(), a2, "CHILD", "oost", "WITHDRAWN", now);

            // objections: filed last month and still open; filed and upheld, rejected, closed this month
            Instant lastMonth = before.atDay(5).atStartOfDay(clock.getZone()).toInstant();
            objection(node, a1, "OPEN", lastMonth, null);
            objection(node, a1, "UPHELD", now.minusSeconds(60), now);
            objection(node, b1, "REJECTED", now.minusSeconds(60), now);
            objection(node, b1, "CLOSED", now.minusSeconds(60), now); // its signal erased otherwise: not decided

            NodeAudit audit = node.bean(NodeAudit.class);
            audit.record(AuditEvent.of("consent.asked", "prof:noord-prof-a", "consent:1"));
            audit.record(AuditEvent.of("consent.asked", "prof:noord-prof-a", "consent:2"));
            audit.record(AuditEvent.of("consent.answered", "citizen:x", "consent:1").with("answer", "GRANTED")
                    .with("part", "GRANTED"));
            audit.record(AuditEvent.of("consent.answered", "citizen:y", "consent:2").with("answer", "REFUSED")
                    .with("part", "REFUSED"));
            audit.record(AuditEvent.of("consent.withdrawn", "citizen:x", "consent:1"));

            NodeHarness.Response r = node.call("GET", "/api/v1/figures" + query, null, "gemeente");
            assertEquals(200, r.status(), String.valueOf(r.body()));
            JsonNode f = r.body();
            assertEquals(List.of(before.toString(), month.toString()), strings(f.get("months")));
            assertEquals("[1, 3]", counts(f.get("signals"), "count"));
            JsonNode orgA = row(f.get("organisations"), "organisationId", "noord-org-a");
            assertEquals("[1,2]", orgA.get("perMonth").toString());
            assertEquals(3, orgA.get("total").asInt());
            assertFalse(orgA.get("silent").asBoolean(), "noord-org-a signalled today");
            assertEquals("[0,1]", row(f.get("organisations"), "organisationId", "noord-org-b").get("perMonth")
                    .toString());
            assertEquals(1, f.get("sectors").size(), "the dev organisations have no sector: " + f.get("sectors"));
            assertEquals(4, f.get("sectors").get(0).get("total").asInt());
            assertFalse(f.get("silence").get("regionSilent").asBoolean());
            assertEquals(List.of(), strings(f.get("silence").get("silentOrganisations")));
            assertEquals(LocalDate.now(clock).toString(), f.get("silence").get("regionLastSignal").asText());

            JsonNode thisMonth = f.get("matches").get(1);
            assertEquals("[1, 0, 0, 1]", List.of(thisMonth.get("childWithin").asInt(), thisMonth.get("childAcross")
                    .asInt(), thisMonth.get("familyWithin").asInt(), thisMonth.get("familyAcross").asInt()).toString(),
                    "within counted once, the withdrawn one not: " + thisMonth);
            assertEquals(1, f.get("matches").get(0).get("childAcross").asInt());
            assertEquals("[1, 3]", counts(f.get("followUp"), "matches"), "this node's sides, from FollowUpStats");

            assertEquals("[1, 3]", counts(f.get("objections"), "filed"));
            assertEquals("[0, 1]", counts(f.get("objections"), "upheld"));
            assertEquals("[0, 1]", counts(f.get("objections"), "rejected"));
            assertEquals("[1, 1]", counts(f.get("objections"), "open"), "open at each month's end");
            JsonNode consents = f.get("consents").get(1);
            assertEquals("[2, 1, 1, 1]", List.of(consents.get("asked").asLong(), consents.get("granted").asLong(),
                    consents.get("refused").asLong(), consents.get("withdrawn").asLong()).toString());
            String text = f.toString();
            for (String bsn : bsns) {
                assertFalse(text.contains(bsn), "no BSN in the figures");
            }
            assertFalse(text.contains("Testkind") || text.contains("prof-"), "no youth or professional: " + text);

            NodeHarness.Response csv = node.call("GET", "/api/v1/figures/matches.csv" + query, null, "matchcoord",
                    java.util.Map.of("Accept", "text/csv"));
            assertEquals(200, csv.status(), String.valueOf(csv.body()));
            assertTrue(csv.contentType().startsWith("text/csv") && csv.contentType().contains("utf-8"),
                    csv.contentType());
            String[] lines = csv.body().asText().replace("\uFEFF", "").split("\r\n");
            assertEquals("Maand;Kind, binnen de regio;Kind, met een andere regio;Gezin, binnen de regio;"
                    + "Gezin, met een andere regio;Totaal", lines[0]);
            assertTrue(lines[2].endsWith(";1;0;0;1;2"), lines[2]);
            assertEquals(3, lines.length);

            NodeHarness.Response unknown = node.call("GET", "/api/v1/figures/bsn.csv" + query, null, "gemeente",
                    java.util.Map.of("Accept", "text/csv"));
            assertEquals(404, unknown.status(), String.valueOf(unknown.body()));
            assertTrue(unknown.contentType().startsWith("application/problem+json"), unknown.contentType());
            assertEquals(403, node.call("GET", "/api/v1/figures" + query, null, "prof-a").status());
            assertEquals(403, node.call("GET", "/api/v1/figures" + query, null, "auditor").status());
            assertRefused(node.call("GET", "/api/v1/figures?from=2026-13&to=2026-12", null, "gemeente"), "from");
            assertRefused(node.call("GET", "/api/v1/figures?from=2026-01", null, "gemeente"), "to");
            assertRefused(node.call("GET", "/api/v1/figures?from=2026-05&to=2026-04", null, "gemeente"), "to");
            assertRefused(node.call("GET", "/api/v1/figures?from=2024-01&to=2026-01", null, "gemeente"), "to");
            // Years YearMonth parses but no timestamp holds: refused before anything is read or logged.
            assertRefused(node.call("GET", "/api/v1/figures?from=%2B300000-01&to=%2B300000-01", null, "gemeente"),
                    "from");
            assertRefused(node.call("GET", "/api/v1/figures/signals.csv?from=2026-01&to=%2B999999999-12", null,
                    "gemeente", java.util.Map.of("Accept", "text/csv")), "to");
            assertEquals(200, node.call("GET", "/api/v1/figures?from=2024-02&to=2026-01", null, "matchcoord")
                    .status(), "24 months");

            assertEquals(List.of("gemeente:noord-gemeente figures:report", "matchcoord:noord-matchcoord figures:matches",
                    "matchcoord:noord-matchcoord figures:report"), reads(node));
        }
    }

    /**
     * Every region from the coordinator's stats (a stand-in answering as the coordinator does): the silent ones
     * flagged in the JSON, the page and regions.csv, asked with the reader's role; with the coordinator down the rest
     * of the page still shows, with a plain message, and regions.csv is a 503.
     */
    @org.junit.jupiter.api.Test
    void figures_regionsFromTheCoordinator_silentOnesFlagged_andWithoutCoordinatorTheRestStillShows() throws Exception {
        List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());
        boolean[] down = {false};
        com.sun.net.httpserver.HttpServer coordinator = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        coordinator.createContext("/api/v1/stats", exchange -> {
            String token = exchange.getRequestHeaders().getFirst("Authorization").substring("Bearer ".length());
            JsonNode claims = NodeHarness.JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
            asked.add(claims.get("role").asText() + " " + exchange.getRequestURI().getQuery());
            LocalDate today = LocalDate.now(java.time.ZoneId.of("Europe/Amsterdam"));
            byte[] body = ("{\"signalsRegistered\":4,\"regions\":[{\"node\":\"noord\",\"signalsReceived\":3,"
                    + "\"lastSignalOn\":\"" + today + "\"},{\"node\":\"oost\",\"signalsReceived\":0,\"lastSignalOn\":\""
                    + today.minusDays(45) + "\"},{\"node\":\"west\",\"signalsReceived\":0}]}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(down[0] ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        coordinator.start();
        java.util.Map<String, Object> p = new java.util.HashMap<>(NodeHarness.prepare(Db.H2, "noord", null, null));
        p.put("micronaut.http.services.coordinator.url", "http://127.0.0.1:" + coordinator.getAddress().getPort());
        try (NodeHarness node = NodeHarness.start(p)) {
            Clock clock = node.bean(Clock.class);
            LocalDate today = LocalDate.now(clock);
            YearMonth month = YearMonth.now(clock);
            String query = "?from=" + month + "&to=" + month;
            JsonNode f = node.call("GET", "/api/v1/figures" + query, null, "gemeente").body();
            assertEquals(List.of("oost", "west"), strings(f.get("silence").get("silentRegions")), f.toString());
            assertEquals(3, f.get("regions").size());
            assertEquals(3, row(f.get("regions"), "node", "noord").get("signalsReceived").asInt());
            assertFalse(row(f.get("regions"), "node", "noord").get("silent").asBoolean());
            assertEquals(today.minusDays(45).toString(), row(f.get("regions"), "node", "oost").get("lastSignalOn")
                    .asText());
            assertEquals("gemeente from=" + today.minusDays(Figures.SILENT_DAYS) + "&to=" + today, asked.get(0),
                    "the last days, asked for the gemeente");

            NodeHarness.Response csv = node.call("GET", "/api/v1/figures/regions.csv" + query, null, "matchcoord",
                    java.util.Map.of("Accept", "text/csv"));
            assertEquals(200, csv.status(), String.valueOf(csv.body()));
            String[] lines = csv.body().asText().replace("\uFEFF", "").split("\r\n");
            assertEquals("Regio;Signalen in de laatste 30 dagen;Laatste signaal;Laatste 30 dagen", lines[0]);
            assertTrue(lines[2].startsWith("oost;0;") && lines[2].endsWith(";Geen signaal"), lines[2]);
            assertTrue(lines[3].startsWith("west;0;"), lines[3]);
            assertTrue(asked.get(1).startsWith("matchcoordinator "), "asked for the matchcoördinator: " + asked);

            String session = signIn(node, "noord-gemeente");
            String page = cijfers(node, session);
            assertTrue(page.contains("zonder signalen") && page.contains("kwam er geen signaal uit: oost, west"),
                    page);
            assertTrue(page.contains("Signalen per regio"), page);

            down[0] = true;
            page = cijfers(node, session);
            assertTrue(page.contains("kunnen nu niet worden opgehaald"), page);
            assertFalse(page.contains("Signalen per regio"), "no empty regions' table: " + page);
            assertTrue(page.contains("Signalen per sector"), "the rest of the page still shows");
            JsonNode without = node.call("GET", "/api/v1/figures" + query, null, "gemeente").body();
            assertFalse(without.has("regions") || without.get("silence").has("silentRegions"), without.toString());
            assertEquals(503, node.call("GET", "/api/v1/figures/regions.csv" + query, null, "gemeente",
                    java.util.Map.of("Accept", "text/csv")).status());
        } finally {
            coordinator.stop(0);
        }
    }

    /** Signs {@code username} in at the dev sign-in page over HTTP: the session's cookie ("name=value"). */
    private static String signIn(NodeHarness node, String username) throws Exception {
        java.net.http.HttpResponse<String> form = send(node, "/dev/werkplek/inloggen", null, null);
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"")
                .matcher(form.body());
        assertTrue(csrf.find());
        java.net.http.HttpResponse<String> in = send(node, "/dev/werkplek/inloggen", "betrokken_portaal_csrf="
                + csrf.group(1), "csrf=" + java.net.URLEncoder.encode(csrf.group(1),
                java.nio.charset.StandardCharsets.UTF_8) + "&gebruikersnaam=" + username + "&wachtwoord=demo");
        assertEquals(303, in.statusCode(), in.body());
        return in.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("betrokken_werkplek="))
                .map(c -> c.split(";", 2)[0]).findFirst().orElseThrow();
    }

    /** The figures page with the session {@code cookie}: its HTML (a 200). */
    private static String cijfers(NodeHarness node, String cookie) throws Exception {
        java.net.http.HttpResponse<String> r = send(node, "/werkplek/cijfers", cookie, null);
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static java.net.http.HttpResponse<String> send(NodeHarness node, String path, String cookie, String form)
            throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + node.port() + path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (form != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form));
        }
        return java.net.http.HttpClient.newHttpClient().send(b.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(NodeHarness.Response r, String field) {
        assertEquals(400, r.status(), String.valueOf(r.body()));
        assertEquals(field, r.body().get("violations").get(0).get("field").asText(), r.body().toString());
    }

    private static UUID signal(NodeHarness node, String user, List<String> bsns) {
        String bsn = Youths.bsn();
        bsns.add(bsn);
        NodeHarness.Response r = node.call("POST", "/api/v1/signals", Youths.registration(bsn), user);
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return UUID.fromString(r.body().get("id").asText());
    }

    private static void match(NodeHarness node, UUID match, UUID signal, String type, String counterpart,
                              String status, Instant at) {
        sql(node, "INSERT INTO node_match (match_id, signal_id, match_type, cross_region, counterpart_node,"
                + " counterpart_ref, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", match, signal, type,
                !"noord".equals(counterpart), counterpart, "ref-" + UUID.randomUUID(), status, Timestamp.from(at));
    }

    private static void objection(NodeHarness node, UUID signal, String status, Instant filed, Instant decided) {
        sql(node, "INSERT INTO objection (id, signal_id, status, reason_sealed, filed_at, deadline, filed_via, relation,"
                + " decided_at) VALUES (?, ?, ?, ?, ?, ?, 'noord', 'PARENT', ?)", UUID.randomUUID(), signal, status,
                new byte[] {0}, Timestamp.from(filed), LocalDate.ofInstant(filed, java.time.ZoneOffset.UTC)
                        .plusWeeks(6), decided == null ? null : Timestamp.from(decided));
    }

    private static void sql(NodeHarness node, String sql, Object... args) {
        tx(node).executeWrite(status -> {
            try (PreparedStatement p = status.getConnection().prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    p.setObject(i + 1, args[i]);
                }
                return p.executeUpdate();
            }
        });
    }

    /** The {@code figures.read} entries: actor and subject, sorted. */
    private static List<String> reads(NodeHarness node) {
        return tx(node).executeRead(status -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement p = status.getConnection().prepareStatement(
                    "SELECT DISTINCT actor, subject FROM audit_entry WHERE kind = 'figures.read' ORDER BY actor, subject");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
            return out;
        });
    }

    @SuppressWarnings("unchecked")
    private static TransactionOperations<Connection> tx(NodeHarness node) {
        return node.bean(TransactionOperations.class);
    }

    private static JsonNode row(JsonNode rows, String field, String value) {
        for (JsonNode r : rows) {
            if (value.equals(r.get(field).asText())) {
                return r;
            }
        }
        throw new AssertionError(value + " not in " + rows);
    }

    private static String counts(JsonNode rows, String field) {
        List<Long> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get(field).asLong()));
        return out.toString();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
