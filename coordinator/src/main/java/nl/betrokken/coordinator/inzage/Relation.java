package nl.betrokken.coordinator.inzage;

/** Why the asking person may see a signal: it is about them, or about a child of theirs. */
public enum Relation {
    /** The signal's youth is the person. */
    SELF,
    /**
     * The signal names the person as a parent, or is about a youth of such a signal. The holding node applies the
     * age rules (a parent sees a child's signals while the child is under 16); the coordinator knows no age.
     */
    PARENT
}
