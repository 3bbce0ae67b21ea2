package nl.betrokken.node.audit;

import java.util.List;
import java.util.UUID;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import nl.betrokken.problem.ProblemException;
import nl.betrokken.problem.Problems;

/**
 * The Veilig Thuis holds for the gemeente: which signals (and exchanges under the exception, and Veilig Thuis look-ups
 * of a signal) are held back from their parents, and their release. One service for {@code /api/v1/audit/held} and the werkplek's
 * {@code /werkplek/achtergehouden}.
 */
@Singleton
class Holds {

    private final NodeAudit audit;
    private final AuditCheckpoints checkpoints;

    Holds(NodeAudit audit, AuditCheckpoints checkpoints) {
        this.audit = audit;
        this.checkpoints = checkpoints;
    }

    /** The answer to a release: the hold's reference and how many entries were opened. */
    @Serdeable
    record Released(String reference, int entries) {
    }

    /** The holds not yet released, oldest first. */
    List<NodeAudit.Held> held() {
        return audit.held();
    }

    /**
     * Releases the hold named by a signal's id, its {@code signal:} reference or an {@code exchange:} or
     * {@code lookup:} reference, for the gemeente {@code username}: first the coordinator countersigns the log with the entries still sealed, then
     * they open.
     *
     * @throws ProblemException 404 {@code hold-not-found} when no such hold waits; 503 when the coordinator cannot
     *                          countersign now
     */
    Released release(String username, String reference) {
        String ref = reference(reference);
        if (!audit.isHeld(ref)) {
            throw notFound();
        }
        // A checkpoint countersigned while the entries are still sealed: after the release, a person's access-log
        // file proves with it that they were in the log all along (inzage/CitizenAccessLog).
        checkpoints.countersignBeforeRelease();
        int entries = audit.release(ref, NodeAudit.actor("gemeente", username)).orElseThrow(Holds::notFound);
        return new Released(ref, entries);
    }

    /**
     * The hold's reference: as given when it is one ({@code signal:}, {@code exchange:}, {@code lookup:}), else the
     * reference of the signal id.
     */
    String reference(String text) {
        if (text.startsWith("signal:") || text.startsWith("exchange:") || text.startsWith("lookup:")) {
            return text;
        }
        try {
            return audit.signal(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return "signal:" + NodeAudit.reference(text);
        }
    }

    static ProblemException notFound() {
        return Problems.notFound("hold-not-found", "Hold not found",
                "no signal held back under this reference waits for release");
    }
}
