package nl.betrokken.coordinator.matching;

import java.util.UUID;

/** A match between two signals of different organisations; {@code low} is the side with the lower signal id. */
public record Match(UUID id, MatchType type, SignalSide low, SignalSide high) {

    /** Whether the two signals come from different regions (nodes). */
    public boolean crossRegion() {
        return !low.nodeId().equals(high.nodeId());
    }
}
