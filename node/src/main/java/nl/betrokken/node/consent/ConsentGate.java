package nl.betrokken.node.consent;

import java.sql.Connection;
import java.util.Optional;
import java.util.UUID;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import nl.betrokken.problem.ProblemException;

/**
 * Whether this node's side of a match may exchange information now, by the match's consent: the newest consent of the
 * match at the coordinator's register, this node's own knowledge of it (its parts: not withdrawn, refused or expired
 * here, needs unchanged today, not past the chosen date; an end told by the feed), and a fresh consent token.
 * A match withdrawn here, or this node's signal of it no longer active, ends any consent of it ({@code consent-ended}).
 * It locks this node's parts of the match ({@code FOR UPDATE}) in the caller's transaction, so that a withdrawal at
 * this node waits for an exchange that already passed the gate, and an exchange waits for a withdrawal under way.
 */
@Singleton
public class ConsentGate {

    /** The consent of the match that this node's side can use now, or a refusal naming why. */
    public record Usable(@Nullable UUID consentId, @Nullable String token, @Nullable String refusal /*e.g.
            "consent-none","consent-pending","consent-withdrawn","consent-expired","consent-refused"*/) {
    }

    private final ConsentParts parts;
    private final Register register;

    ConsentGate(ConsentParts parts, Register register) {
        this.parts = parts;
        this.register = register;
    }

    /**
     * The consent of the match that this node's side can use now, or a refusal naming why.
     *
     * @throws ProblemException 503 when the coordinator's register cannot be asked now
     */
    public Usable usable(Connection c, UUID matchId, UUID ownSignalId) { // locks this node's parts of it (FOR UPDATE)
        try {
            ConsentParts.lockMatch(c, matchId);
            if (!parts.standing(c, matchId, ownSignalId)) {
                return new Usable(null, null, "consent-ended");
            }
            Optional<Register.Consent> found = register.ofMatch(matchId);
            if (found.isEmpty()) {
                return new Usable(null, null, "consent-none");
            }
            Register.Consent r = found.get();
            UUID id = UUID.fromString(r.id());
            Optional<String> local = parts.refusal(c, id);
            if (local.isPresent() && !local.get().equals("consent-pending")) {
                return new Usable(id, null, local.get());
            }
            return switch (r.status()) {
                case ConsentRules.GRANTED -> r.token() == null || local.isPresent()
                        ? new Usable(id, null, "consent-pending") : new Usable(id, r.token(), null);
                case ConsentRules.PENDING -> new Usable(id, null, "consent-pending");
                case ConsentRules.REFUSED -> new Usable(id, null, "consent-refused");
                case ConsentRules.WITHDRAWN -> new Usable(id, null, "consent-withdrawn");
                case ConsentRules.EXPIRED -> new Usable(id, null,
                        "SIGNAL_ENDED".equals(r.endedReason()) ? "consent-ended" : "consent-expired");
                default -> new Usable(id, null, "consent-ended");
            };
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read this node's consent parts", e);
        }
    }
}
