package nl.betrokken.coordinator.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import nl.betrokken.coordinator.Db;
import nl.betrokken.coordinator.Harness;

/**
 * An unexpected exception whose message carries personal data answers 500 with a generic problem: nothing of the
 * message, the exception type or a stack trace reaches the caller.
 */
class DataLeakageTest {

    static final String SECRET = "BSN 123456782 of Jan Jansen";

    @Controller("/leak")
    @Requires(property = "spec.name", value = "DataLeakageTest")
    static class Leaky {
        @Get
        String leak() {
            throw new IllegalStateException(SECRET);
        }
    }

    @Test
    void unexpectedException_answers500WithoutItsMessage() throws Exception {
        Map<String, Object> p = new HashMap<>(Db.H2.freshDatabase());
        p.put("betrokken.data-dir", java.nio.file.Files.createTempDirectory("leak").toString());
        p.put("spec.name", "DataLeakageTest");
        try (Harness h = Harness.start(p)) {
            Harness.Response r = h.call("GET", "/leak", null, null);
            assertEquals(500, r.status());
            assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
            String body = r.body().toString();
            assertFalse(body.contains("123456782"), body);
            assertFalse(body.contains("Jansen"), body);
            assertFalse(body.contains("IllegalStateException"), body);
            assertFalse(body.contains("at nl."), body);
        }
    }

    @Test
    void unknownRoute_answers404AsProblem() throws Exception {
        Harness.Response r = Harness.shared(Db.H2).call("GET", "/no/such/thing", null, null);
        assertEquals(404, r.status());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    }
}
