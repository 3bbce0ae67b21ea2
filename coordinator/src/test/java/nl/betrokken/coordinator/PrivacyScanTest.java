package nl.betrokken.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The first invariant, checked on the database itself: after a run with matches, end and erase, no BSN, birth date
 * or name used by the test appears anywhere in the coordinator's tables, as text or as bytes.
 */
class PrivacyScanTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void database_afterARun_holdsNoBsnBirthDateOrName(Db db) throws Exception {
        try (Harness h = Harness.fresh(db)) {
            TestNode noord = h.enrol("noord");
            TestNode oost = h.enrol("oost");
            List<String> secrets = new ArrayList<>();
            String child = People.bsn();
            String sibling = People.bsn();
            String mother = People.bsn();
            secrets.addAll(List.of(child, sibling, mother, "2014-05-01", "20140501", "Testkind", "Jansen"));
            // What a node knows but never sends: the coordinator's API has no field for names or birth dates.
            noord.submit(List.of(People.record("n-1", "org-a", child, mother)));
            oost.submit(List.of(People.record("o-1", "org-a", child, mother), People.record("o-2", "org-b", sibling, mother)));
            assertEquals(2, noord.created().size());
            // A consent: the register keeps the purpose's hash, never its text.
            String purpose = "Testdoel: afstemmen van de hulp";
            secrets.add("Testdoel");
            String matchId = noord.created().stream().filter(e -> "CHILD".equals(e.get("type").asText()))
                    .findFirst().orElseThrow().get("matchId").asText();
            java.util.UUID consentId = java.util.UUID.randomUUID();
            assertEquals(201, h.call("POST", "/internal/v1/consents", Map.of("id", consentId.toString(),
                    "matchId", matchId, "purposeHash", nl.betrokken.coordinator.consent.ConsentRegisterTest.hash(purpose),
                    "parts", List.of(Map.of("node", noord.id(), "ref", "n-1"))), noord.token()).status());
            assertEquals(200, h.call("POST", "/internal/v1/consents/" + consentId + "/parts/answer",
                    Map.of("ref", "n-1", "status", "GRANTED", "roles", List.of("PARENT", "YOUTH")), noord.token()).status());
            oost.end("o-2", java.time.LocalDate.now(h.clock()));

            StringBuilder dump = new StringBuilder();
            try (Connection c = h.connect()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
                    while (rs.next()) {
                        tables.add(rs.getString("TABLE_NAME"));
                    }
                }
                assertTrue(tables.contains("signal") && tables.contains("signal_person"), "scanned " + tables);
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
            }
            String all = dump.toString();
            assertTrue(all.length() > 1000, "the dump holds the run's rows");
            for (String secret : secrets) {
                assertTrue(!all.contains(secret), "the database holds " + secret);
                String hex = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.US_ASCII));
                assertTrue(!all.contains(hex), "the database holds " + secret + " as bytes");
            }
        }
    }
}
