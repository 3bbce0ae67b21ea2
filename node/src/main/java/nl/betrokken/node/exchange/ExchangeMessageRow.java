package nl.betrokken.node.exchange;

import java.time.Instant;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A message as stored (V16, {@code exchange_message}), one row per message and signal of this node: what was said is
 * sealed with the node's Aead, bound to the row ({@link Exchanges}). Never printed, never returned from a controller.
 */
@MappedEntity("exchange_message")
record ExchangeMessageRow(@Id UUID rowId, UUID messageId, UUID signalId, UUID matchId, String direction,
                          String fromNode, Instant sentAt, Instant storedAt, @Nullable UUID consentId,
                          boolean byException, byte[] metaSealed, byte[] textSealed, @Nullable Integer fileSize,
                          @Nullable byte[] fileSealed) {

    static final String SENT = "SENT";
    static final String RECEIVED = "RECEIVED";

    @Override
    public String toString() {
        return "ExchangeMessageRow[" + messageId + "]";
    }
}
