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
        // A correction carries the same records; the signal as stored is no correction.
        Harness.Response corrected = h.call("POST", "/internal/v1/signals/correct", sample("signal-batch.json"),
                node.token());
        assertEquals("UNCHANGED", corrected.body().get("results").get(0).get("outcome").asText());
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
    @Test
    void consentSamples_areAcceptedAndAnsweredInTheirShape() throws Exception {
        Harness h = Harness.shared(Db.H2);
        TestNode noord = h.enrol("noord");
        TestNode oost = h.enrol("oost");
        String parent = People.bsn();
        noord.submit(java.util.List.of(People.record("s-3f2c9a1e", "org", People.bsn(), parent)));
        oost.submit(java.util.List.of(People.record("s-81be0c44", "org", People.bsn(), parent)));
        String matchId = noord.created().get(0).get("matchId").asText();
        String registration = sample("consent-registration.json")
                .replace("01890a5d-ac96-774b-bcce-b302099a8057", matchId)
                .replace("\"noord\"", "\"" + noord.id() + "\"").replace("\"oost\"", "\"" + oost.id() + "\"");
        String id = Harness.JSON.readTree(registration).get("id").asText();
        Harness.Response registered = h.call("POST", "/internal/v1/consents", registration, noord.token());
        assertEquals(201, registered.status(), String.valueOf(registered.body()));
        String answer = sample("consent-answer.json").replace("2027-06-30",
                java.time.LocalDate.now(h.clock()).plusDays(30).toString());
        Harness.Response answered = h.call("POST", "/internal/v1/consents/" + id + "/parts/answer", answer,
                noord.token());
        assertEquals(200, answered.status(), String.valueOf(answered.body()));
        assertEquals(200, h.call("POST", "/internal/v1/consents/" + id + "/parts/answer",
                answer.replace("s-3f2c9a1e", "s-81be0c44"), oost.token()).status());
        var view = h.call("GET", "/internal/v1/consents/" + id, null, oost.token()).body();
        var sampleView = Harness.JSON.readTree(sample("consent-view.json"));
        sampleView.fieldNames().forEachRemaining(f -> assertEquals(true, view.has(f), "the consent view has " + f));
        sampleView.get("parts").get(0).fieldNames().forEachRemaining(f -> assertEquals(true,
                view.get("parts").get(0).has(f), "a part has " + f));

        assertEquals(200, h.call("POST", "/internal/v1/consents/" + id + "/withdraw", null, oost.token()).status());
        var ended = noord.allEntries().stream().filter(e -> "CONSENT_ENDED".equals(e.get("kind").asText()))
                .findFirst().orElseThrow();
        var sampleEntry = Harness.JSON.readTree(sample("feed-page.json")).get("entries").get(2);
        assertEquals("CONSENT_ENDED", sampleEntry.get("kind").asText());
        sampleEntry.fieldNames().forEachRemaining(f -> assertEquals(true, ended.has(f), "the entry has " + f));
    }
}
