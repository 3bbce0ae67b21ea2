package nl.betrokken.node.notify;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A delivery to a professional of the caller's organisation that failed (state {@code FAILED}: bounced, refused for
 * good or given up after every retry) or keeps failing ({@code RETRYING}), so that the instellingscoördinator can
 * correct the contact data. Carries a name and an address, so {@link #toString()} leaves them out.
 *
 * @param address the address that was tried
 * @param addressChanged whether the account's e-mail address has been changed since (the failure may be fixed)
 * @param nextAttemptAt when it is tried again (RETRYING only)
 */
@Serdeable
public record FailureView(long notificationId, String kind, @Nullable UUID matchId, String recipient,
                          String displayName, @Nullable String address, String channel, String state,
                          @Nullable String reason, int attempts, @Nullable Instant lastAttemptAt,
                          @Nullable Instant nextAttemptAt, boolean addressChanged) {

    @Override
    public String toString() {
        return "FailureView[" + notificationId + ", " + channel + ", " + state + "]";
    }

    @Serdeable
    public record Page(List<FailureView> items) {
    }
}
