package nl.betrokken.node.consent;

import java.util.UUID;

import jakarta.inject.Singleton;

/**
 * The feed's {@code CONSENT_ENDED} entries (match/FeedFollower): the consent marked ended here for that signal
 * (idempotent; its professional told once), and, when it expired on a birthday (AGE) and this node asked it, asked
 * again with the same purpose.
 */
@Singleton
public class ConsentFeed {

    private final ConsentParts parts;
    private final ConsentRequests requests;

    ConsentFeed(ConsentParts parts, ConsentRequests requests) {
        this.parts = parts;
        this.requests = requests;
    }

    /** Consent {@code consentId} of match {@code matchId} ended ({@code reason}), told for this node's {@code ownRef}. */
    public void ended(UUID consentId, UUID matchId, String reason, String ownRef) {
        parts.endedByFeed(consentId, matchId, reason, ownRef);
        if ("AGE".equals(reason)) {
            requests.askAgain(consentId);
        }
    }
}
