package nl.betrokken.node.objection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

/**
 * An upheld decision the gemeente wrote in the werkplek and has not confirmed yet, between the decision form and the
 * check page ({@code /werkplek/bezwaren/{id}/controleren}): per werkplek session and objection, in this node process
 * only, for at most {@link #LIFETIME}. As the pending sign-ins: a restart (or another instance behind a load balancer
 * without sticky sessions) forgets it, and the gemeente writes the decision again. Nothing is decided until the
 * check page's button is pressed.
 */
@Singleton
class BesluitConcepten {

    static final Duration LIFETIME = Duration.ofMinutes(30);
    private static final int MAX = 1000;

    /** The outcome and motivation written. Personal data: {@link #toString()} prints neither. */
    record Concept(String outcome, String motivation, Instant at) {
        @Override
        public String toString() {
            return "Concept[" + outcome + "]";
        }
    }

    private final Map<String, Concept> concepts = new ConcurrentHashMap<>();
    private final Clock clock;

    BesluitConcepten(Clock clock) {
        this.clock = clock;
    }

    void save(String session, UUID objection, String outcome, String motivation) {
        Instant now = clock.instant();
        concepts.values().removeIf(c -> c.at().plus(LIFETIME).isBefore(now));
        if (concepts.size() >= MAX) {
            concepts.clear();
        }
        concepts.put(key(session, objection), new Concept(outcome, motivation, now));
    }

    Optional<Concept> find(String session, UUID objection) {
        Concept c = concepts.get(key(session, objection));
        return c == null || c.at().plus(LIFETIME).isBefore(clock.instant()) ? Optional.empty() : Optional.of(c);
    }

    void drop(String session, UUID objection) {
        concepts.remove(key(session, objection));
    }

    private static String key(String session, UUID objection) {
        return session + "/" + objection;
    }
}
