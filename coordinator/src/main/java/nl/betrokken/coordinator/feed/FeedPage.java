package nl.betrokken.coordinator.feed;

import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A page of a node's feed: entries after the cursor, oldest first. {@code next} is the cursor to read from next
 * (the last entry's sequence number, or the given cursor when the page is empty).
 */
@Serdeable
public record FeedPage(List<Entry> entries, long next) {

    /**
     * One thing the node is told about one of its own signals. {@code consentId} and {@code reason} are there for
     * {@link FeedKind#CONSENT_ENDED} only (null otherwise), so a node that does not know them reads the entry as before.
     */
    @Serdeable
    public record Entry(long seq, FeedKind kind, UUID matchId, String type, String ref, Counterpart counterpart,
                        boolean crossRegion, @Nullable String ticket, @Nullable UUID consentId,
                        @Nullable String reason) {
    }

    /** The other side of the match: its node and that node's reference for its signal. */
    @Serdeable
    public record Counterpart(String node, String ref) {
    }
}
