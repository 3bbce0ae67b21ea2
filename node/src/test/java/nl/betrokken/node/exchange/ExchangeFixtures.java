package nl.betrokken.node.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.transaction.TransactionOperations;
import nl.betrokken.node.ClockFactory;
import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.Youths;

/** Shared steps of the exchange tests: signals, matches, the parent's inzage, the stored rows. */
final class ExchangeFixtures {

    private ExchangeFixtures() {
    }

    /** A child of 10 and its mother, with a signal at noord and one at oost, and their match. */
    record Match(String child, String mother, String atNoord, String atOost, String id) {
    }

    /** Registers a child of 10 with its mother at {@code noord} and {@code oost} and waits for their match. */
    static Match match(NodeHarness noord, NodeHarness oost) {
        String child = Youths.bsn();
        String mother = Youths.bsn();
        String born = LocalDate.now(ClockFactory.ZONE).minusYears(10).toString();
        String atNoord = register(noord, Youths.registration(child, born, mother));
        String atOost = register(oost, Youths.registration(child, born, mother));
        String id = matchOf(noord, atNoord);
        assertEquals(id, matchOf(oost, atOost));
        return new Match(child, mother, atNoord, atOost, id);
    }

    static String register(NodeHarness node, Map<String, Object> body) {
        NodeHarness.Response r = node.call("POST", "/api/v1/signals", body, "prof-a");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.body().get("id").asText();
    }

    /** The id of the match on {@code signalId} at {@code node} once its counterpart's contact is known. */
    static String matchOf(NodeHarness node, String signalId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            for (JsonNode m : node.call("GET", "/api/v1/matches", null, "prof-a").body().get("items")) {
                if (m.get("signalId").asText().equals(signalId) && m.has("counterpart")) {
                    return m.get("id").asText();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no match on " + signalId + " at " + node.nodeId());
            }
            sleep(100);
        }
    }

    /** The inzage of {@code bsn} at {@code node}, signed in through its dev identity provider. */
    static JsonNode inzage(NodeHarness node, String bsn) {
        NodeHarness.Response token = node.call("POST", "/dev/idp/token", Map.of("bsn", bsn), null, null);
        assertEquals(200, token.status(), String.valueOf(token.body()));
        NodeHarness.Response r = node.call("GET", "/api/v1/citizen/signals", null, null,
                Map.of("Authorization", "Bearer " + token.body().get("access_token").asText()));
        assertEquals(200, r.status(), String.valueOf(r.body()));
        return r.body();
    }

    /** The actions in the access log of signal {@code id} as {@code bsn} sees it at {@code node}. */
    static List<String> accesses(NodeHarness node, String bsn, String id) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : inzage(node, bsn).get("items")) {
            if (item.get("id").asText().equals(id) && item.get("node").asText().equals(node.nodeId())) {
                item.get("accesses").forEach(a -> out.add(a.get("action").asText()
                        + (a.hasNonNull("purpose") ? "" : " (no purpose)")));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static TransactionOperations<Connection> tx(NodeHarness node) {
        return node.bean(TransactionOperations.class);
    }

    /** Every column of every row of {@code table}, as text (bytes decoded as UTF-8 and ISO-8859-1). */
    static String dump(NodeHarness node, String table) {
        return tx(node).executeRead(status -> {
            StringBuilder out = new StringBuilder();
            try (PreparedStatement s = status.getConnection().prepareStatement("SELECT * FROM " + table);
                 ResultSet rs = s.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        if (v instanceof byte[] b) {
                            out.append(new String(b, StandardCharsets.UTF_8)).append('|')
                                    .append(new String(b, StandardCharsets.ISO_8859_1));
                        } else {
                            out.append(v);
                        }
                        out.append('\t');
                    }
                    out.append('\n');
                }
            }
            return out.toString();
        });
    }

    static long count(NodeHarness node, String sql, Object... args) {
        return tx(node).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    s.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
