package nl.betrokken.node.followup;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A call on both sides of a match as stored (V20, {@code match_call_on}): made here by the matchcoördinator, or
 * received from the counterpart's node. Never returned from a controller ({@link CallOnView} is).
 */
@MappedEntity("match_call_on")
record CallOnRow(@Id UUID rowId, UUID callId, String originNode, UUID matchId, UUID signalId, Instant calledAt,
                 @Nullable String calledBy, @Nullable String note, String sendState, int sendAttempts,
                 @Nullable Instant nextAttemptAt, @Nullable String lastError) {

    /** Not yet accepted by the counterpart's node: tried again at {@code nextAttemptAt}. */
    static final String PENDING = "PENDING";
    /** Accepted by the counterpart's node. */
    static final String SENT = "SENT";
    /** Refused for good by the coordinator or the counterpart's node (the match withdrawn, the signal gone). */
    static final String DONE = "DONE";
    /** Both sides at this node: nothing to send. */
    static final String LOCAL = "LOCAL";
    /** Received from the counterpart's node. */
    static final String RECEIVED = "RECEIVED";

    CallOnRow attempted(String state, @Nullable Instant next, @Nullable String error) {
        return new CallOnRow(rowId, callId, originNode, matchId, signalId, calledAt, calledBy, note, state,
                sendAttempts + 1, next, error == null ? null : error.length() > 200 ? error.substring(0, 200) : error);
    }

    @Override
    public String toString() {
        return "CallOnRow[" + callId + "]";
    }
}
