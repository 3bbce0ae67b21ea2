package nl.betrokken.node.exchange;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/** A message of a match as its professional reads it, sent or received. Holds what was said: never printed. */
@Serdeable
public record MessageView(UUID id, String direction, Instant at, Delivery.From from, String text, @Schema(type = "object") @Nullable FileInfo file,
                          @Nullable UUID consentId, boolean exception, @Nullable String exceptionReason) {

    /** The file's name, type and size in bytes; its content at {@code …/messages/{id}/file}. */
    @Serdeable
    public record FileInfo(String name, String contentType, long size) {
    }

    /** The messages of a match, oldest first. */
    @Serdeable
    public record Page(List<MessageView> items) {
    }

    /** The answer to sending: the message's id, when, under which consent or the exception. */
    @Serdeable
    public record Sent(UUID id, Instant sentAt, @Nullable UUID consentId, boolean exception) {
    }

    @Override
    public String toString() {
        return "MessageView[" + id + "]";
    }
}
