package nl.betrokken.node.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook's signature, in the manner of Stripe and Standard Webhooks: {@code v1=} followed by the lowercase hex
 * HMAC-SHA256 (RFC 2104) of {@code <timestamp>.<body>} under the shared secret's UTF-8 bytes, where
 * {@code timestamp} is the Unix time in seconds sent in the header {@value #TIMESTAMP} and {@code body} the exact
 * bytes of the request body. Binding the timestamp lets the receiver refuse a replayed request: it recomputes the
 * MAC, compares in constant time, and refuses a timestamp more than a few minutes from its own clock.
 *
 * <p>Requires a secret of at least {@value #MIN_SECRET_LENGTH} characters.
 */
final class WebhookSignature {

    static final String ID = "Betrokken-Webhook-Id";
    static final String TIMESTAMP = "Betrokken-Webhook-Timestamp";
    static final String SIGNATURE = "Betrokken-Webhook-Signature";
    static final int MIN_SECRET_LENGTH = 32;

    private final SecretKeySpec key;

    WebhookSignature(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("betrokken.notify.webhook-secret must have at least "
                    + MIN_SECRET_LENGTH + " characters when betrokken.notify.webhook-url is set");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The header value {@code v1=<hex>} for {@code body} sent at {@code timestamp} (Unix seconds). */
    String sign(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The key is never printed. */
    @Override
    public String toString() {
        return "WebhookSignature[HMAC-SHA256]";
    }
}
