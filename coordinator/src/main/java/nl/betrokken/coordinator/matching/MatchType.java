package nl.betrokken.coordinator.matching;

/** Why two signals match. */
public enum MatchType {
    /** Both signals are about the same youth. */
    CHILD,
    /** The signals are about different youths who share a parent (gezinsmatch). */
    FAMILY
}
