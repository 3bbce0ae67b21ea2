package nl.betrokken.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The shared samples in docs/internal-api are accepted by the coordinator as they are. */
class InternalApiSamplesTest {

    private static String sample(String name) throws Exception {
        return Files.readString(Path.of("..", "docs", "internal-api", name));
    }

    @Test
    void samples_areAcceptedByTheCoordinator() throws Exception {
        Harness h = Harness.shared(Db.H2);
        TestNode node = h.enrol("noord");
        Harness.Response submitted = h.call("POST", "/internal/v1/signals", sample("signal-batch.json"), node.token());
        assertEquals(200, submitted.status(), String.valueOf(submitted.body()));
        assertEquals("CREATED", submitted.body().get("results").get(0).get("outcome").asText());
        // The inzage sample asks for the youth of the batch's signal.
        Harness.Response inzage = h.call("POST", "/internal/v1/inzage", sample("inzage-request.json"), node.token());
        assertEquals(200, inzage.status(), String.valueOf(inzage.body()));
        var sampleSignal = Harness.JSON.readTree(sample("inzage-answer.json")).get("signals").get(0);
        var servedSignal = java.util.stream.StreamSupport.stream(inzage.body().get("signals").spliterator(), false)
                .filter(s -> node.id().equals(s.get("node").asText())).findFirst().orElseThrow();
        assertEquals("s-3f2c9a1e", servedSignal.get("ref").asText());
        assertEquals("SELF", servedSignal.get("relation").asText());
        sampleSignal.fieldNames().forEachRemaining(f -> assertEquals(true, servedSignal.has(f),
                "the inzage answer has " + f));
        Harness.Response ended = h.call("POST", "/internal/v1/signals/end", sample("end-batch.json"), node.token());
        assertEquals("ENDED", ended.body().get("results").get(0).get("outcome").asText());
        Harness.Response erased = h.call("POST", "/internal/v1/signals/erase", sample("erase-batch.json"), node.token());
        assertEquals("ERASED", erased.body().get("results").get(0).get("outcome").asText());

        var page = Harness.JSON.readTree(sample("feed-page.json"));
        var served = node.feed(0, 0).body();
        page.fieldNames().forEachRemaining(f -> assertEquals(true, served.has(f), "the feed answers with " + f));
    }
}
