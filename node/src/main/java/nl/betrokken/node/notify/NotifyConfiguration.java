package nl.betrokken.node.notify;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Settings of the notifications ({@code betrokken.notify.*}).
 *
 * @param enabled whether the sender runs; off on the embedded default, so a node without a mail server starts quietly
 *                and its notifications wait (state {@code PENDING}) until it is turned on
 * @param smtpHost the SMTP server
 * @param smtpPort its port
 * @param smtpUsername user for SMTP AUTH, or blank for none
 * @param smtpPassword its password
 * @param smtpStarttls whether to require STARTTLS
 * @param from the sender address of the e-mail
 * @param adviceLink where a professional answers the gemeente's requests for advice on objections, put in that e-mail
 * @param portalLink the citizens' portal, put in the e-mail that tells a person a decision was taken on their objection
 * @param webhookUrl the region's case-management system, or blank for no webhook
 * @param webhookSecret the shared HMAC-SHA256 key of the webhook, at least 32 characters
 * @param maxAttempts tries per channel before a delivery that keeps failing is given up (final failure)
 * @param firstRetry the pause after the first failed try; it doubles after each further failure
 * @param maxRetry the longest pause between tries
 * @param pollInterval how often the sender looks for new notifications when it has nothing to do
 */
@ConfigurationProperties("betrokken.notify")
public record NotifyConfiguration(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "localhost") String smtpHost,
        @Bindable(defaultValue = "25") int smtpPort,
        @Nullable String smtpUsername,
        @Nullable String smtpPassword,
        @Bindable(defaultValue = "false") boolean smtpStarttls,
        @Bindable(defaultValue = "betrokken@localhost") String from,
        @Bindable(defaultValue = "http://127.0.0.1:8081/api/v1/objections/advice-requests") String adviceLink,
        @Bindable(defaultValue = "http://127.0.0.1:8081/portaal/") String portalLink,
        @Nullable String webhookUrl,
        @Nullable String webhookSecret,
        @Bindable(defaultValue = "8") int maxAttempts,
        @Bindable(defaultValue = "30s") Duration firstRetry,
        @Bindable(defaultValue = "1h") Duration maxRetry,
        @Bindable(defaultValue = "5s") Duration pollInterval) {

    /** Whether a webhook is configured. */
    public boolean webhook() {
        return webhookUrl != null && !webhookUrl.isBlank();
    }

    /** The pause after the {@code failures}-th failed try in a row: firstRetry, doubled each time, at most maxRetry. */
    Duration retryAfter(int failures) {
        Duration pause = firstRetry.multipliedBy(1L << Math.min(Math.max(failures - 1, 0), 20));
        return pause.compareTo(maxRetry) > 0 ? maxRetry : pause;
    }

    /** The SMTP password and the webhook secret are never printed. */
    @Override
    public String toString() {
        return "NotifyConfiguration[enabled=" + enabled + ", smtp=" + smtpHost + ":" + smtpPort + ", webhook="
                + webhook() + "]";
    }
}
