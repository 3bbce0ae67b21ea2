package nl.betrokken.node.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import nl.betrokken.node.NodeConfiguration;

/**
 * Posts a notification, signed ({@link WebhookSignature}), to the region's case-management system. A 2xx answer is
 * delivery; a 5xx, 408 or 429 answer, a time-out or no answer is tried again later; any other answer is final.
 * The body names the notification, its kind, the match and this node's signal in it: never a person.
 */
@Singleton
class WebhookSender {

    private final NotifyConfiguration config;
    private final NodeConfiguration node;
    private final JsonMapper json;
    private final Clock clock;
    private final @Nullable WebhookSignature signature;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The webhook's body. */
    @Serdeable
    record Event(long id, String kind, @Nullable UUID matchId, @Nullable UUID signalId, String node, String createdAt) {
    }

    WebhookSender(NotifyConfiguration config, NodeConfiguration node, JsonMapper json, Clock clock) {
        this.config = config;
        this.node = node;
        this.json = json;
        this.clock = clock;
        // Refuses to start with a webhook but no proper secret: an unsigned webhook would be worthless.
        this.signature = config.webhook() ? new WebhookSignature(config.webhookSecret()) : null;
    }

    boolean configured() {
        return signature != null;
    }

    Attempt send(Notifications.Due n, @Nullable UUID signalId) {
        if (signature == null) {
            return new Attempt(Attempt.Result.SKIPPED, null, null);
        }
        try {
            byte[] body = json.writeValueAsBytes(new Event(n.id(), n.kind(), n.matchId(), signalId, node.nodeId(),
                    n.createdAt().toString()));
            long timestamp = clock.instant().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(URI.create(config.webhookUrl()))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header(WebhookSignature.ID, String.valueOf(n.id()))
                    .header(WebhookSignature.TIMESTAMP, String.valueOf(timestamp))
                    .header(WebhookSignature.SIGNATURE, signature.sign(timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return Attempt.sent(null);
            }
            String reason = "HTTP " + status;
            return status >= 500 || status == 408 || status == 429
                    ? Attempt.transientFailure(reason, null) : Attempt.permanentFailure(reason, null);
        } catch (HttpTimeoutException e) {
            return Attempt.transientFailure("the webhook timed out", null);
        } catch (IOException e) {
            return Attempt.transientFailure("the webhook did not answer", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Attempt.transientFailure("interrupted", null);
        }
    }
}
