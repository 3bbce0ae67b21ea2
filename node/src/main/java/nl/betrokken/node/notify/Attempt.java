package nl.betrokken.node.notify;

import io.micronaut.core.annotation.Nullable;

/**
 * How one try on one channel went.
 *
 * @param reason why it failed, written for the instellingscoördinator, without personal data; null when sent
 * @param address the e-mail address tried, or null
 */
record Attempt(Result result, @Nullable String reason, @Nullable String address) {

    enum Result {
        /** Delivered (accepted by the SMTP server, or a 2xx from the webhook). */
        SENT,
        /** Failed for now (server unreachable, 4xx SMTP reply, 5xx HTTP answer): try again later. */
        TRANSIENT,
        /** Failed for good (a bounce: 5xx SMTP reply; no or an invalid address; a 4xx HTTP answer). */
        PERMANENT,
        /** The channel is not configured. */
        SKIPPED
    }

    static Attempt sent(@Nullable String address) {
        return new Attempt(Result.SENT, null, address);
    }

    static Attempt transientFailure(String reason, @Nullable String address) {
        return new Attempt(Result.TRANSIENT, reason, address);
    }

    static Attempt permanentFailure(String reason, @Nullable String address) {
        return new Attempt(Result.PERMANENT, reason, address);
    }

    /** The same outcome without the address: for a person's own address, which the notification row does not keep. */
    Attempt withoutAddress() {
        return new Attempt(result, reason, null);
    }

    @Override
    public String toString() {
        return "Attempt[" + result + ", " + reason + "]";
    }
}
