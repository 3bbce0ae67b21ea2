package nl.betrokken.node.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.micronaut.transaction.TransactionOperations;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;
import nl.betrokken.node.Youths;

/** A copy of the node's database alone reveals no identity: BSNs, names and the not-informed reason are sealed. */
class EncryptionAtRestTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void database_holdsNoBsnNameBirthDateOrReasonInTheClear(Db db) {
        NodeHarness node = SignalTest.node(db);
        String youth = Youths.bsn();
        String parent = Youths.bsn();
        Map<String, Object> body = Youths.registration(youth, "2013-07-19", parent);
        @SuppressWarnings("unchecked")
        Map<String, Object> y = (Map<String, Object>) body.get("youth");
        y.put("name", "Zwaantje Pietersen");
        body.put("parentsInformed", Map.of("notInformedReason", "Veilig Thuis onderzoekt de situatie"));
        NodeHarness.Response r = node.call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        assertEquals("Zwaantje Pietersen", r.body().get("youth").get("name").asText(), "the owner reads it back");

        @SuppressWarnings("unchecked")
        TransactionOperations<java.sql.Connection> tx = node.bean(TransactionOperations.class);
        String dump = tx.executeRead(status -> {
            StringBuilder sb = new StringBuilder();
            for (String table : List.of("signal", "signal_parent", "idempotency", "node_match", "contact_access")) {
                try (var s = status.getConnection().createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            Object v = rs.getObject(i);
                            sb.append(v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) + HexFormat.of().formatHex(b)
                                    : String.valueOf(v)).append(' ');
                        }
                    }
                }
            }
            return sb.toString();
        });
        assertTrue(dump.length() > 200);
        List<String> secrets = new ArrayList<>(List.of(youth, parent, "Zwaantje", "Pietersen", "2013-07-19", "Veilig Thuis"));
        for (String secret : secrets) {
            assertFalse(dump.contains(secret), "the database holds " + secret + " in the clear");
            assertFalse(dump.contains(HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8))),
                    "the database holds " + secret + " as bytes");
        }
    }
}
