package nl.betrokken.node.consent;

import java.sql.Connection;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/** Whether this node's side of a match may exchange information now, by the match's consent. */
@Singleton
public class ConsentGate {

    /** The consent of the match that this node's side can use now, or a refusal naming why. */
    public record Usable(@Nullable UUID consentId, @Nullable String token, @Nullable String refusal /*e.g.
            "consent-none","consent-pending","consent-withdrawn","consent-expired","consent-refused"*/) {
    }

    /** The consent of the match that this node's side can use now, or a refusal naming why. */
    public Usable usable(Connection c, UUID matchId, UUID ownSignalId) { // locks this node's parts of it (FOR UPDATE)
        throw new UnsupportedOperationException("not yet");
    }
}
