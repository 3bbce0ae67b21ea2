package nl.betrokken.node.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.node.NodeHarness.Db;

/** Reading a match's follow-up, whose history holds the professionals' notes, is an entry in the audit log. */
class FollowUpReadAuditTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void readingTheFollowUp_isAnAuditEntryNamingTheReader(Db db) {
        try (NodeHarness node = Fixtures.node(db)) {
            UUID match = Fixtures.sameNodeMatch(node);
            assertEquals(200, Fixtures.followUp(node, "prof-a", match, Map.of("outcome", "NOT_NEEDED",
                    "reason", "ALREADY_IN_CONTACT", "note", "loopt al via wijkteam")).status());
            assertEquals(0, viewed(node));

            NodeHarness.Response read = node.call("GET", "/api/v1/matches/" + match + "/follow-up", null, "prof-a");
            assertEquals(200, read.status(), String.valueOf(read.body()));
            assertEquals("loopt al via wijkteam", read.body().get("history").get(0).get("note").asText());
            assertEquals(1, viewed(node), "the read is logged");
            assertEquals(1, actorsOfViewed(node, "prof:noord-prof-a"), "naming who read it");

            assertEquals(404, node.call("GET", "/api/v1/matches/" + UUID.randomUUID() + "/follow-up", null, "prof-a")
                    .status());
            assertEquals(1, viewed(node), "nothing read, nothing logged");
        }
    }

    private static long viewed(NodeHarness node) {
        return actorsOfViewed(node, null);
    }

    private static long actorsOfViewed(NodeHarness node, String actor) {
        return Fixtures.tx(node).executeRead(status -> {
            try (PreparedStatement s = status.getConnection().prepareStatement(
                    "SELECT count(*) FROM audit_entry WHERE kind = 'followup.viewed'"
                            + (actor == null ? "" : " AND actor = ?"))) {
                if (actor != null) {
                    s.setString(1, actor);
                }
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
