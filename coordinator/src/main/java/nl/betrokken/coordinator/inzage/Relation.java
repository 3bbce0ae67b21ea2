package nl.betrokken.coordinator.inzage;

/**
 * Why the asking person may see a signal: it is about them, or about a child of theirs; or a Veilig Thuis worker looks
 * up its youth.
 */
public enum Relation {
    /** The signal's youth is the person. */
    SELF,
    /**
     * The signal names the person as a parent, or is about a youth of such a signal. The holding node applies the
     * age rules (a parent sees a child's signals while the child is under 16); the coordinator knows no age.
     */
    PARENT,
    /**
     * A Veilig Thuis worker at the asking node looks up the signal's youth during triage
     * ({@code POST /internal/v1/inzage/veilig-thuis}): only the signals whose youth is the person, active and archived.
     * The holding node accepts a ticket with this relation only on its Veilig Thuis endpoint, where no age rule and no
     * hold applies, and logs the look-up held back from the parents until its gemeente releases it.
     */
    VEILIG_THUIS
}
