package nl.betrokken.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import io.micronaut.runtime.server.EmbeddedServer;

class OpenApiTest {

    @Test
    void openApi_generatedFromTheCode_isServedWithTheInternalApi() throws Exception {
        Harness h = Harness.shared(Db.H2);
        int port = h.bean(EmbeddedServer.class).getPort();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/openapi/betrokken-coordinator-1.yml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        for (String path : new String[] {"/internal/v1/signals:", "/internal/v1/signals/erase:", "/internal/v1/feed:",
                "/internal/v1/inzage:", "/internal/v1/consents:", "/internal/v1/consents/{id}/use:",
                "/api/v1/stats:", "SignalRecord:"}) {
            assertTrue(r.body().contains(path), "the document describes " + path);
        }
    }
}
