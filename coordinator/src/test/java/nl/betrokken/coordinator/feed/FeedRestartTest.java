package nl.betrokken.coordinator.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;
import nl.betrokken.coordinator.People;
import nl.betrokken.coordinator.TestNode;

class FeedRestartTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void feed_afterCoordinatorRestart_stillHoldsUnacknowledgedEntriesInOrder(Db db) {
        Map<String, Object> properties;
        TestNode noord;
        TestNode oost;
        try (Harness first = Harness.fresh(db)) {
            properties = first.properties();
            noord = first.enrol("noord");
            oost = first.enrol("oost");
            String one = People.bsn();
            String two = People.bsn();
            noord.submit(List.of(People.record("n-1", "org", one), People.record("n-2", "org", two)));
            oost.submit(List.of(People.record("o-1", "org", one)));
            oost.submit(List.of(People.record("o-2", "org", two)));
            long firstSeq = noord.created().get(0).get("seq").asLong();
            first.call("POST", "/internal/v1/feed/ack", Map.of("upTo", firstSeq), noord.token());
        }
        try (Harness again = Harness.start(properties)) {
            TestNode node = again.sameNode(noord);
            Harness.Response rest = again.call("GET", "/internal/v1/feed", null, node.token());
            assertEquals(200, rest.status(), String.valueOf(rest.body()));
            assertEquals(1, rest.body().get("entries").size(), "the acknowledged entry is not served again");
            assertEquals("n-2", rest.body().get("entries").get(0).get("ref").asText());
            assertEquals(2, again.sameNode(oost).created().size(), "oost never acknowledged: both entries are there");
        }
    }
}
