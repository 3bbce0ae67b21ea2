package nl.betrokken.node.account;

/** Who may do what at a node. */
public enum Role {
    /** A meldingsbevoegde professional: registers, ends and sees the signals of their own organisation. */
    PROFESSIONAL,
    /** An instellingscoördinator: keeps the organisation's professionals and their signals. */
    COORDINATOR,
    /** The region's gemeente: oversees, decides bezwaar, sees the region's figures. */
    GEMEENTE,
    /** An auditor: read-only access to the audit trail. */
    AUDITOR,
    /**
     * The region's matchcoördinator (regievoerder): sees the region's figures and the overdue matches themselves, by
     * organisation, and calls on both sides of a match to follow it up.
     */
    MATCHCOORDINATOR,
    /**
     * A Veilig Thuis triage worker: looks up a youth by BSN across every region, with a stated reason, through the
     * federated inzage; each answering node logs it, held from the parents until the gemeente releases it.
     */
    VEILIG_THUIS,
    /**
     * A parent or youth signed in by the citizen identity provider (or the dev identity provider): no account at the
     * node, the person's BSN carried in the sign-in ({@link Citizens}). Never stored as an account's role.
     */
    CITIZEN
}
