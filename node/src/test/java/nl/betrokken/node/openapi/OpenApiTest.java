package nl.betrokken.node.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import nl.betrokken.node.NodeHarness;
import nl.betrokken.testing.OpenApiDocument;

/**
 * The node's published OpenAPI document as the build generated it (the node serves it at
 * /openapi/betrokken-node-1.yml): the region's API and the federation API only, every operation with the security
 * scheme its callers really use, and problem+json answers.
 */
class OpenApiTest {

    private static final List<Set<String>> STAFF = List.of(Set.of(NodeApi.STAFF_TOKEN), Set.of(NodeApi.DEV_BASIC));
    private static final List<Set<String>> CITIZEN = List.of(Set.of(NodeApi.CITIZEN_TOKEN));
    private static final List<Set<String>> NODE = List.of(Set.of(NodeApi.NODE_TOKEN));

    @Test
    void everyOperation_isTaggedSecuredAndAnswersProblems() throws IOException {
        OpenApiDocument doc = document();
        assertEquals(List.of(), doc.faults(Set.of(), List.of("401", "403")));
        assertEquals(Set.of(NodeApi.STAFF_TOKEN, NodeApi.DEV_BASIC, NodeApi.CITIZEN_TOKEN, NodeApi.NODE_TOKEN),
                doc.securitySchemes());
    }

    @Test
    void eachOperation_namesTheSchemeOfItsCallers() throws IOException {
        OpenApiDocument doc = document();
        doc.operations().forEach((name, op) -> {
            String path = name.substring(name.indexOf(' ') + 1);
            List<Set<String>> security = OpenApiDocument.security(op);
            if (path.startsWith("/federation/v1/")) {
                assertEquals(NODE, security, name);
            } else if (path.startsWith("/api/v1/citizen/") || path.startsWith("/api/v1/consent-requests/{id}/grant")
                    || path.startsWith("/api/v1/consent-requests/{id}/refuse")
                    || path.startsWith("/api/v1/consents/")) {
                assertEquals(CITIZEN, security, name);
            } else if (name.equals("POST /api/v1/objections")) {
                assertEquals(CITIZEN, security, name);
            } else if (name.equals("GET /api/v1/objections")) {
                assertEquals(Set.copyOf(List.of(CITIZEN.get(0), STAFF.get(0), STAFF.get(1))), Set.copyOf(security),
                        name);
            } else {
                assertTrue(path.startsWith("/api/v1/"), name + " is neither the region's API nor the federation's");
                assertEquals(STAFF, security, name);
            }
        });
        assertNotNull(doc.operations().get("POST /api/v1/signals"));
        assertNotNull(doc.operations().get("GET /api/v1/citizen/signals"));
        assertNotNull(doc.operations().get("POST /federation/v1/contacts"));
    }

    @Test
    void pagesAndTheDevIdentityProvider_areNotPublished() throws IOException {
        document().operations().keySet().forEach(name -> {
            assertFalse(name.contains(" /werkplek") || name.contains(" /portaal") || name.contains(" /dev/"), name);
        });
    }

    @Test
    void theDocumentedProblems_areWhatTheNodeAnswers() throws IOException {
        NodeHarness node = NodeHarness.shared(NodeHarness.Db.H2);
        assertEquals(200, node.call("GET", "/openapi/betrokken-node-1.yml", null, null).status());
        Map<String, Map<String, Object>> ops = document().operations();
        String signal = "/api/v1/signals/" + UUID.randomUUID();
        assertProblem(ops, "GET /api/v1/signals", "401", node.call("GET", "/api/v1/signals", null, null));
        assertProblem(ops, "GET /api/v1/signals", "403", node.call("GET", "/api/v1/signals", null, "auditor"));
        assertProblem(ops, "GET /api/v1/signals/{id}", "404", node.call("GET", signal, null, "prof-a"));
        assertProblem(ops, "GET /api/v1/signals/{id}", "400", node.call("GET", "/api/v1/signals/x", null, "prof-a"));
        assertProblem(ops, "POST /federation/v1/contacts", "401",
                node.call("POST", "/federation/v1/contacts", Map.of("ticket", "x", "ref", "y"), null));
    }

    private static void assertProblem(Map<String, Map<String, Object>> ops, String operation, String status,
                                      NodeHarness.Response answer) {
        assertEquals(status, String.valueOf(answer.status()), operation + ": " + answer.body());
        assertTrue(answer.contentType().startsWith(OpenApiDocument.PROBLEM_JSON), operation + ": " + answer.contentType());
        assertEquals(answer.status(), answer.body().get("status").asInt(), operation);
        @SuppressWarnings("unchecked")
        Map<String, Object> responses = (Map<String, Object>) ops.get(operation).get("responses");
        assertTrue(responses.containsKey(status), operation + " documents " + status);
    }

    @Test
    void theCheck_findsAnOperationWithoutSecurityOrProblem() {
        OpenApiDocument doc = OpenApiDocument.parse("""
                openapi: 3.0.1
                servers: [{url: "http://127.0.0.1"}]
                tags: [{name: t, description: d}]
                paths:
                  /api/v1/x/{id}:
                    get:
                      summary: "s; 409 when taken"
                      tags: [t]
                      responses:
                        "404": {content: {application/json: {schema: {type: object}}}}
                components:
                  schemas:
                    Problem: {properties: {violations: {type: array}}}
                """);
        assertEquals(List.of("GET /api/v1/x/{id}: no security requirement", "GET /api/v1/x/{id}: no 401 answer",
                "GET /api/v1/x/{id}: no 400 answer", "GET /api/v1/x/{id}: names 409 but does not document it",
                "GET /api/v1/x/{id}: 404 is not application/problem+json with the Problem schema"),
                doc.faults(Set.of(), List.of("401")));
    }

    private static OpenApiDocument document() throws IOException {
        try (InputStream in = OpenApiTest.class.getResourceAsStream("/META-INF/swagger/betrokken-node-1.yml")) {
            assertNotNull(in, "the build generates the node's OpenAPI document");
            return OpenApiDocument.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
