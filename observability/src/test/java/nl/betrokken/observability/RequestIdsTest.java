package nl.betrokken.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.core.propagation.PropagatedContext;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class RequestIdsTest {

    @Test
    void valid_takesShortSafeIdsOnly() {
        assertTrue(RequestIds.valid("0123456789abcdef0123456789abcdef"));
        assertTrue(RequestIds.valid("outbox-0123456789abcdef0123456789abcdef"));
        // A caller's own correlation number is not taken: it might be a BSN or a case number.
        assertFalse(RequestIds.valid("111222333"));
        assertFalse(RequestIds.valid("dossier-2026-00017"));
        assertFalse(RequestIds.valid("b7d0c5e2-1f4a-4c1e-9f00-2a6c1d9e7f31"));
        assertFalse(RequestIds.valid(null));
        assertFalse(RequestIds.valid(""));
        assertFalse(RequestIds.valid("a".repeat(65)));
        assertFalse(RequestIds.valid("with space"));
        assertFalse(RequestIds.valid("line\nbreak"));
        assertFalse(RequestIds.valid("<script>"));
        assertFalse(RequestIds.valid("caf\u00e9"));
        assertTrue(RequestIds.valid(RequestIds.fresh()));
        assertNotEquals(RequestIds.fresh(), RequestIds.fresh());
    }

    @Test
    void background_putsANewIdInTheMdcForThePassOnly() {
        assertNull(RequestIds.current());
        String first;
        try (PropagatedContext.Scope pass = RequestIds.background("outbox")) {
            first = MDC.get(RequestIds.MDC_KEY);
            assertTrue(first.startsWith("outbox-"), first);
            assertEquals(first, RequestIds.current());
        }
        assertNull(MDC.get(RequestIds.MDC_KEY));
        try (PropagatedContext.Scope pass = RequestIds.background("outbox")) {
            assertNotEquals(first, RequestIds.current(), "each pass has its own id");
        }
    }

    @Test
    void snakeCase_labelNames() {
        assertEquals("service_id", MeterNames.snake("serviceId"));
        assertEquals("uri", MeterNames.snake("uri"));
    }
}
