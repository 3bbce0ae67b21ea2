package nl.betrokken.node.inzage;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

/** Every change to a signal that a parent or youth sees in their access log says why it happened. */
class AccessPurposesTest {

    @Test
    void theChangesOfASignal_eachHaveAPurpose() {
        for (String kind : new String[] {"signal.registered", "signal.viewed", "signal.ended", "signal.corrected",
                "signal.archived", "signal.handed-over", "staff.handed-over"}) {
            assertNotNull(AccessPurposes.of(kind), kind);
        }
    }
}
