/**
 * Follow-up (opvolging) of matches: each side records what it did (contact made, not needed, takes regie), one party
 * per match holds regie and both nodes learn who, overdue follow-ups are flagged to the professional and then the
 * instellingscoördinator, and the gemeente sees the region's follow-up figures without identities.
 */
package nl.betrokken.node.followup;
