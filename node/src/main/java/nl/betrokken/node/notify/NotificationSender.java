package nl.betrokken.node.notify;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import nl.betrokken.audit.AuditEvent;
import nl.betrokken.node.NodeConfiguration;
import nl.betrokken.node.audit.NodeAudit;
import nl.betrokken.node.account.Account;
import nl.betrokken.node.account.Accounts;
import nl.betrokken.node.metrics.NodeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers every pending notification, of any kind, on the scheduler: by e-mail to the recipient's address
 * as it is when sent, and by webhook when one is configured. Each channel of each message keeps its own state: a
 * failure for now is tried again after {@link NotifyConfiguration#retryAfter(int)} (doubling), and after
 * {@code maxAttempts} tries, or at once on a bounce, it is a final failure that the instellingscoördinator sees.
 * A mail server that does not answer delays only its own messages and never the node's start-up.
 */
@Singleton
public class NotificationSender {

    static final int BATCH = 50;
    private static final Logger LOG = LoggerFactory.getLogger(NotificationSender.class);

    private final Notifications notifications;
    private final Accounts accounts;
    private final EmailSender email;
    private final WebhookSender webhook;
    private final NotifyConfiguration config;
    private final Clock clock;
    private final NodeAudit nodeAudit;
    private final NodeConfiguration node;

    private final NodeMetrics metrics;

    NotificationSender(Notifications notifications, Accounts accounts, EmailSender email, WebhookSender webhook,
                       NotifyConfiguration config, Clock clock, NodeAudit nodeAudit, NodeConfiguration node,
                       NodeMetrics metrics) {
        this.metrics = metrics;
        this.notifications = notifications;
        this.accounts = accounts;
        this.email = email;
        this.webhook = webhook;
        this.config = config;
        this.clock = clock;
        this.nodeAudit = nodeAudit;
        this.node = node;
    }

    /**
     * Every {@code betrokken.notify.poll-interval}, on Micronaut's scheduler (as the node's other senders): delivers
     * what is due, batch after batch while any was due. What was not yet sent when the node stops stays in the
     * database for the next start.
     */
    @Scheduled(fixedDelay = "${betrokken.notify.poll-interval:5s}", initialDelay = "${betrokken.notify.poll-interval:5s}")
    void scheduled() {
        if (!config.enabled()) {
            return;
        }
        try {
            while (deliverDue() > 0 && !Thread.currentThread().isInterrupted()) {
                // a batch was due: look again at once
            }
        } catch (RuntimeException e) {
            LOG.warn("notification sender: {}", e.getClass().getSimpleName());
        }
    }

    /** Tries every channel that is due of up to {@value #BATCH} messages; returns how many messages were due. */
    int deliverDue() {
        List<Notifications.Due> due = notifications.due(clock.instant(), BATCH);
        for (Notifications.Due n : due) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            if (n.due(Notifications.Channel.EMAIL, clock.instant())) {
                record(n, Notifications.Channel.EMAIL, byEmail(n));
            }
            if (n.due(Notifications.Channel.WEBHOOK, clock.instant())) {
                record(n, Notifications.Channel.WEBHOOK,
                        webhook.configured() ? webhook.send(n, notifications.signalOf(n.matchId(), n.recipient()).orElse(null))
                                : new Attempt(Attempt.Result.SKIPPED, null, null));
            }
        }
        return due.size();
    }

    private Attempt byEmail(Notifications.Due n) {
        if (n.toObjector()) {
            // The person who objected has no account: the address they left, sealed in the row until sent.
            Optional<String> address = notifications.objectorAddress(n);
            return address.isEmpty() ? Attempt.permanentFailure("no e-mail address was left", null)
                    : email.send(address.get(), MessageText.of(n.kind(), n.matchId(), n.objectionId(), link(n)))
                            .withoutAddress();
        }
        Optional<Account> account = accounts.find(n.recipient());
        if (account.isEmpty()) {
            return Attempt.permanentFailure("no account with this username", null);
        }
        if (!account.get().active()) {
            return Attempt.permanentFailure("the account is deactivated", account.get().email());
        }
        String address = account.get().email();
        if (address == null || address.isBlank()) {
            return Attempt.permanentFailure("the account has no e-mail address", null);
        }
        return email.send(address, MessageText.of(n.kind(), n.matchId(), n.objectionId(), link(n)));
    }

    /**
     * Where the e-mail sends its reader: the advice requests, the citizens' portal, or the match's page in the
     * werkplek ({@code <public-url>/werkplek/matches/{id}}; not signed in, the werkplek signs the reader in and comes
     * back to it), or the werkplek's start for a notification without a match.
     */
    private String link(Notifications.Due n) {
        return switch (n.kind()) {
            case Notifications.OBJECTION_ADVICE_ASKED -> config.adviceLink();
            case Notifications.OBJECTION_DECIDED, Notifications.OBJECTION_CLOSED -> config.portalLink();
            default -> node.link(matchPage(n.matchId()));
        };
    }

    /** The path of the werkplek's page of match {@code matchId}, or of the werkplek's start when there is none. */
    static String matchPage(@Nullable UUID matchId) {
        return matchId == null ? "/werkplek/" : "/werkplek/matches/" + matchId;
    }

    private void record(Notifications.Due n, Notifications.Channel channel, Attempt a) {
        Instant now = clock.instant();
        int attempts = n.attempts(channel) + (a.result() == Attempt.Result.SKIPPED ? 0 : 1);
        switch (a.result()) {
            case SENT -> notifications.record(n.id(), channel, Notifications.State.SENT, attempts, null, now, null,
                    a.address(), audit(n, channel, "notification.sent"));
            case SKIPPED -> notifications.record(n.id(), channel, Notifications.State.SKIPPED, attempts, null, now,
                    null, null, null);
            case PERMANENT -> {
                metrics.notificationFailed(channel.name().toLowerCase(java.util.Locale.ROOT), "final");
                LOG.info("notification {}: {} failed for good", n.id(), channel);
                notifications.record(n.id(), channel, Notifications.State.FAILED, attempts, null, now, a.reason(),
                        a.address(), audit(n, channel, "notification.failed"));
            }
            case TRANSIENT -> {
                metrics.notificationFailed(channel.name().toLowerCase(java.util.Locale.ROOT),
                        attempts >= config.maxAttempts() ? "final" : "retry");
                if (attempts >= config.maxAttempts()) {
                    LOG.info("notification {}: {} given up after {} attempts", n.id(), channel, attempts);
                    notifications.record(n.id(), channel, Notifications.State.FAILED, attempts, null, now,
                            "gave up after " + attempts + " attempts: " + a.reason(), a.address(),
                            audit(n, channel, "notification.failed"));
                } else {
                    notifications.record(n.id(), channel, Notifications.State.RETRYING, attempts,
                            now.plus(config.retryAfter(attempts)), now, a.reason(), a.address(), null);
                }
            }
        }
    }

    /**
     * The audit entry of a final outcome: the recipient by account (the person who objected as
     * {@value Notifications#OBJECTOR}, never by address), the match or objection by its audit reference.
     */
    private AuditEvent audit(Notifications.Due n, Notifications.Channel channel, String kind) {
        AuditEvent event = AuditEvent.of(kind, "system:notify",
                        n.toObjector() ? Notifications.OBJECTOR : NodeAudit.account(n.recipient()))
                .with("channel", channel.name()).with("notification", n.id())
                .with("kind", NodeAudit.reference(n.kind()));
        if (n.objectionId() != null) {
            event = event.with("objection", nodeAudit.objection(n.objectionId()));
        }
        return n.matchId() == null ? event : event.with("match", nodeAudit.match(n.matchId()));
    }
}
