package nl.betrokken.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.micronaut.runtime.server.EmbeddedServer;
import nl.betrokken.coordinator.openapi.CoordinatorApi;
import nl.betrokken.testing.OpenApiDocument;

class OpenApiTest {

    /** The coordinator's public keys, for anyone to fetch. */
    static final Set<String> ANONYMOUS = Set.of("GET /.well-known/jwks.json", "GET /.well-known/betrokken-audit-keys.json");

    @Test
    void openApi_generatedFromTheCode_isServedWithTheInternalApi() throws Exception {
        HttpResponse<String> r = document();
        assertEquals(200, r.statusCode());
        for (String path : new String[] {"/internal/v1/signals:", "/internal/v1/signals/erase:", "/internal/v1/feed:",
                "/internal/v1/inzage:", "/internal/v1/consents:", "/internal/v1/consents/{id}/use:",
                "/api/v1/stats:", "SignalRecord:"}) {
            assertTrue(r.body().contains(path), "the document describes " + path);
        }
    }

    @Test
    void openApi_everyOperation_isTaggedSecuredByTheNodeTokenAndAnswersProblems() throws Exception {
        OpenApiDocument doc = OpenApiDocument.parse(document().body());
        assertEquals(List.of(), doc.faults(ANONYMOUS, List.of("401")));
        assertEquals(Set.of(CoordinatorApi.NODE_TOKEN), doc.securitySchemes());
        doc.operations().forEach((name, op) -> {
            if (!ANONYMOUS.contains(name)) {
                assertEquals(List.of(Set.of(CoordinatorApi.NODE_TOKEN)), OpenApiDocument.security(op), name);
            }
        });
        assertTrue(doc.operations().keySet().containsAll(ANONYMOUS));
    }

    private static HttpResponse<String> document() throws Exception {
        Harness h = Harness.shared(Db.H2);
        int port = h.bean(EmbeddedServer.class).getPort();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/openapi/betrokken-coordinator-1.yml")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
