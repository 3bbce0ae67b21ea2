/**
 * The instellingscoördinator's part: the organisation's professionals and their contact data, deactivating one
 * who leaves with a hand-over of signals and open matches to a colleague in one step, and the change log. The other
 * side of each open match is told the new contact through {@code match.ContactChanges}.
 */
package nl.betrokken.node.staff;
