package nl.betrokken.node.consent;

import java.util.UUID;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daily, at each part node: a GRANTED part whose needs changed today (a 12th or 16th birthday) expires at the register
 * (AGE) and here; when this node asked it, it asks again (a new request, same purpose, by {@code system:consent} on
 * behalf of the same professional). The feed tells the other side. Until the job runs, the gate already refuses such
 * a consent ({@link ConsentParts#refusal}).
 */
@Singleton
class ConsentExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(ConsentExpiry.class);

    private final ConsentParts parts;
    private final ConsentRequests requests;

    ConsentExpiry(ConsentParts parts, ConsentRequests requests) {
        this.parts = parts;
        this.requests = requests;
    }

    @Scheduled(cron = "${betrokken.consent.expiry-cron:0 5 0 * * *}", zoneId = "Europe/Amsterdam")
    void daily() {
        run();
    }

    /** One run; returns how many consents expired. */
    int run() {
        int count = 0;
        for (UUID expired : parts.expireChanged()) {
            count++;
            requests.askAgain(expired);
        }
        if (count > 0) {
            LOG.info("consent: {} consent(s) expired on a birthday", count);
        }
        return count;
    }
}
