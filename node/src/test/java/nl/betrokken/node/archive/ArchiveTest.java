package nl.betrokken.node.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.MutableClock;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;
import nl.betrokken.node.Youths;

/**
 * A signal's life after its active period, on a node of its own whose clock the test moves: archived after
 * activeUntil or on the 23rd birthday, read only with a recorded reason, erased five years after its end leaving only
 * counts.
 */
class ArchiveTest {

    static NodeHarness start(Db db) {
        Map<String, Object> p = new HashMap<>(NodeHarness.prepare(db, "noord", null, null));
        p.put(MutableClock.PROPERTY, true);
        p.put("betrokken.archive.initial-delay", "1h"); // the test runs the job itself
        return NodeHarness.start(p);
    }

    static MutableClock clock(NodeHarness node) {
        return (MutableClock) node.bean(Clock.class);
    }

    static ArchiveService.Report runJob(NodeHarness node) {
        return node.bean(ArchiveService.class).run();
    }

    static String register(NodeHarness node, Map<String, Object> body) {
        NodeHarness.Response r = node.call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    static boolean visibleToProfessional(NodeHarness node, String id) {
        boolean listed = node.call("GET", "/api/v1/signals", null, "prof-a").body().get("items").toString().contains(id);
        int status = node.call("GET", "/api/v1/signals/" + id, null, "prof-a").status();
        assertEquals(listed, status == 200, "list and read agree on " + id);
        return listed;
    }

    static Map<String, Long> counts(NodeHarness node) {
        Map<String, Long> sums = new HashMap<>();
        node.call("GET", "/api/v1/archive/counts", null, "gemeente").body().get("items")
                .forEach(c -> sums.merge(c.get("metric").asText(), c.get("amount").asLong(), Long::sum));
        return sums;
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void archive_afterActiveUntilOrOnThe23rdBirthday_hidesTheSignalAndTellsTheCoordinator(Db db) {
        try (NodeHarness node = start(db)) {
            LocalDate today = LocalDate.now(clock(node));
            String twoYears = register(node, Youths.registration(Youths.bsn()));
            LocalDate birth = today.minusYears(23).plusMonths(3);
            String turning23 = register(node, Youths.registration(Youths.bsn(), birth.toString()));
            String ended = register(node, Youths.registration(Youths.bsn()));
            assertEquals(200, node.call("POST", "/api/v1/signals/" + ended + "/end", Map.of("reason", "hulp loopt"),
                    "prof-a").status());

            assertEquals(0, runJob(node).archived(), "nothing is due today; an end archives from the next day");
            assertTrue(visibleToProfessional(node, ended));

            clock(node).advance(Period.ofMonths(3));
            ArchiveService.Report onBirthday = runJob(node);
            assertEquals(LocalDate.now(clock(node)), onBirthday.day());
            assertFalse(LocalDate.now(clock(node)).isBefore(birth.plusYears(23)), "the clock is at the 23rd birthday");
            assertEquals(2, onBirthday.archived(), "the youth turned 23, and the ended signal");
            assertFalse(visibleToProfessional(node, turning23));
            assertFalse(visibleToProfessional(node, ended));
            assertTrue(visibleToProfessional(node, twoYears));
            assertEquals(404, node.call("POST", "/api/v1/signals/" + turning23 + "/end", Map.of("reason", "x"),
                    "prof-a").status(), "an archived signal cannot be ended");

            clock(node).advanceTo(today.plusYears(2).minusDays(1));
            assertEquals(0, runJob(node).archived(), "the last active day");
            assertTrue(visibleToProfessional(node, twoYears));
            clock(node).advanceTo(today.plusYears(2));
            assertEquals(1, runJob(node).archived(), "two years after registration");
            assertFalse(visibleToProfessional(node, twoYears));
            assertEquals(0, runJob(node).archived(), "a second run changes nothing");

            // The coordinator hears of both period ends through the outbox (the ended one when it was ended).
            assertEquals(3, outboxEnds(node), "ends waiting for the coordinator");
            Map<String, Long> counts = counts(node);
            assertEquals(1L, counts.get("signals.archived.turned-23"));
            assertEquals(1L, counts.get("signals.archived.period-over"));
            assertEquals(1L, counts.get("signals.archived.ended"));
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void archivedSignal_isReadOnlyByGemeenteOrAuditorWithAReason_andEveryReadIsRecorded(Db db) {
        try (NodeHarness node = start(db)) {
            String bsn = Youths.bsn();
            String id = register(node, Youths.registration(bsn));
            String path = "/api/v1/archive/signals/" + id + "/access";
            Map<String, String> reason = Map.of("reason", "bezwaar van de ouders, zaaknummer 2031-17");
            assertEquals(404, node.call("POST", path, reason, "gemeente").status(), "an active signal is not archived");

            clock(node).advance(Period.ofYears(2).plusDays(1));
            assertEquals(1, runJob(node).archived());

            assertRefusedNaming(node.call("POST", path, Map.of(), "gemeente"), "reason");
            assertRefusedNaming(node.call("POST", path, Map.of("reason", "kijken"), "auditor"), "reason");
            assertEquals(403, node.call("POST", path, reason, "prof-a").status(), "a professional is refused");
            assertEquals(403, node.call("POST", path, reason, "coord-a").status());
            assertEquals(List.of(), accesses(node), "no read without a reason was recorded");

            NodeHarness.Response read = node.call("POST", path, reason, "gemeente");
            assertEquals(200, read.status(), String.valueOf(read.body()));
            assertEquals(bsn, read.body().get("youth").get("bsn").asText());
            assertEquals("ARCHIVED", read.body().get("status").asText());
            assertEquals(200, node.call("POST", path, Map.of("reason", "steekproef toezicht 2031"), "auditor").status());

            List<JsonNode> accesses = accesses(node);
            assertEquals(2, accesses.size());
            assertEquals("noord-auditor", accesses.get(0).get("username").asText());
            assertEquals("AUDITOR", accesses.get(0).get("role").asText());
            assertEquals("noord-gemeente", accesses.get(1).get("username").asText());
            assertEquals(id, accesses.get(1).get("signalId").asText());
            assertEquals(reason.get("reason"), accesses.get(1).get("reason").asText());
            assertEquals(403, node.call("GET", "/api/v1/archive/accesses", null, "gemeente").status(),
                    "the auditor reads the record");
            assertEquals(403, node.call("GET", "/api/v1/archive/accesses", null, "prof-a").status());
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void erase_fiveYearsAfterTheEnd_removesEveryTraceAndLeavesOnlyCounts(Db db) throws Exception {
        try (NodeHarness node = start(db)) {
            LocalDate today = LocalDate.now(clock(node));
            String bsn = Youths.bsn();
            String parent = Youths.bsn();
            Map<String, Object> body = Youths.registration(bsn, "2014-05-01", parent);
            String id = node.call("POST", "/api/v1/signals", body, "prof-a",
                    Map.of("Idempotency-Key", "erase-" + UUID.randomUUID())).body().get("id").asText();
            String keep = register(node, Youths.registration(Youths.bsn()));
            UUID match = UUID.randomUUID();
            List<String> traces = new ArrayList<>(List.of(bsn, parent, id, match.toString()));
            traces.addAll(signalBytes(node, id));
            storeMatch(node, match, id);
            clock(node).advance(Period.ofYears(2).plusDays(1));
            assertEquals(2, runJob(node).archived());
            assertEquals(200, node.call("POST", "/api/v1/archive/signals/" + id + "/access",
                    Map.of("reason", "verzoek om inzage van de jongere"), "auditor").status());
            String ref = refOf(node, id);
            traces.add(ref);
            assertTrue(dump(node).contains(ref), "the archive still holds the signal");

            // An objection still open on the archived signal (no address left): the erasure closes it.
            UUID objection = UUID.randomUUID();
            update(node, "INSERT INTO objection (id, signal_id, status, reason_sealed, filed_at, deadline, filed_via,"
                    + " relation) VALUES (?, ?, 'OPEN', ?, ?, ?, 'noord', 'PARENT')", objection, UUID.fromString(id),
                    new byte[] {0}, Timestamp.from(clock(node).instant()), today.plusYears(2).plusWeeks(6));

            LocalDate end = today.plusYears(2).minusDays(1);
            clock(node).advanceTo(end.plusYears(5));
            assertEquals(0, runJob(node).erased(), "five years after the end is the last day kept");
            clock(node).advanceTo(end.plusYears(5).plusDays(1));
            ArchiveService.Report report = runJob(node);
            assertEquals(2, report.erased());
            assertEquals(1, report.matchesErased());
            assertEquals(404, node.call("POST", "/api/v1/archive/signals/" + keep + "/access",
                    Map.of("reason", "verzoek om inzage van de jongere"), "auditor").status());
            assertEquals(1, query(node, "SELECT count(*) FROM objection WHERE id = '" + objection + "' AND status ="
                    + " 'CLOSED' AND closed_because = 'SIGNAL_ERASED' AND decided_by = 'archive'"), "closed with it");
            // The objection is the person's own record, not a trace of the signal: gone from the check below.
            update(node, "DELETE FROM objection WHERE id = ?", objection);

            String dump = dump(node);
            for (String trace : traces) {
                assertFalse(dump.contains(trace), "erased everywhere: found a trace of the signal");
            }
            assertEquals(0, rows(node, "signal") + rows(node, "signal_parent") + rows(node, "node_match")
                    + rows(node, "idempotency") + rows(node, "archive_access") + rows(node, "outbox"));
            Map<String, Long> counts = counts(node);
            assertEquals(2L, counts.get("signals.erased"));
            assertEquals(1L, counts.get("matches.erased"));
            assertEquals(2L, counts.get("signals.archived.period-over"));
        }
    }

    static void assertRefusedNaming(NodeHarness.Response r, String field) {
        assertEquals(400, r.status(), String.valueOf(r.body()));
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertTrue(r.body().get("violations").toString().contains("\"field\":\"" + field + "\""), r.body().toString());
    }

    static List<JsonNode> accesses(NodeHarness node) {
        List<JsonNode> out = new ArrayList<>();
        node.call("GET", "/api/v1/archive/accesses", null, "auditor").body().get("items").forEach(out::add);
        return out;
    }

    @SuppressWarnings("unchecked")
    static TransactionOperations<Connection> tx(NodeHarness node) {
        return node.bean(TransactionOperations.class);
    }

    static int outboxEnds(NodeHarness node) {
        return (int) query(node, "SELECT count(*) FROM outbox WHERE kind = 'END'");
    }

    static void update(NodeHarness node, String sql, Object... args) {
        tx(node).executeWrite(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    s.setObject(i + 1, args[i]);
                }
                return s.executeUpdate();
            }
        });
    }

    static int rows(NodeHarness node, String table) {
        return (int) query(node, "SELECT count(*) FROM " + table);
    }

    static long query(NodeHarness node, String sql) {
        return tx(node).executeRead(status -> {
            try (Statement s = status.getConnection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    static String refOf(NodeHarness node, String id) {
        return tx(node).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement("SELECT ref FROM signal WHERE id = ?")) {
                s.setObject(1, UUID.fromString(id));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    /** The sealed identities and blind indexes of the signal, as hex: what a copy of the database would hold. */
    static List<String> signalBytes(NodeHarness node, String id) {
        return tx(node).executeRead(status -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement s = status.getConnection().prepareStatement(
                    "SELECT s.youth_index, s.youth_sealed, p.parent_index, p.parent_sealed FROM signal s"
                            + " JOIN signal_parent p ON p.signal_id = s.id WHERE s.id = ?")) {
                s.setObject(1, UUID.fromString(id));
                try (ResultSet rs = s.executeQuery()) {
                    assertTrue(rs.next());
                    for (int i = 1; i <= 4; i++) {
                        out.add(HexFormat.of().formatHex(rs.getBytes(i)));
                    }
                }
            }
            return out;
        });
    }

    static void storeMatch(NodeHarness node, UUID matchId, String signalId) {
        tx(node).executeWrite(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(
                    "INSERT INTO node_match (match_id, signal_id, match_type, cross_region, counterpart_node,"
                            + " counterpart_ref, ticket, counterpart_contact, status, created_at)"
                            + " VALUES (?, ?, 'CHILD', TRUE, 'oost', 's-oost', 'ticket', NULL, 'ACTIVE', ?)")) {
                s.setObject(1, matchId);
                s.setObject(2, UUID.fromString(signalId));
                s.setTimestamp(3, Timestamp.from(Instant.now()));
                return s.executeUpdate();
            }
        });
    }

    /** Every value in every table of the node's schema, as text, binary values also as hex. */
    static String dump(NodeHarness node) {
        return tx(node).executeRead(status -> {
            Connection c = status.getConnection();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertTrue(tables.contains("signal") && tables.contains("archive_count"), "scanned " + tables);
            StringBuilder dump = new StringBuilder();
            for (String table : tables) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            Object v = rs.getObject(i);
                            if (v instanceof byte[] bytes) {
                                dump.append(HexFormat.of().formatHex(bytes)).append(' ')
                                        .append(new String(bytes, StandardCharsets.ISO_8859_1)).append(' ');
                            } else {
                                dump.append(v).append(' ');
                            }
                        }
                    }
                }
            }
            return dump.toString();
        });
    }
}
