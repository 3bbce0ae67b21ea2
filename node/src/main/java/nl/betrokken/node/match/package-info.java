/**
 * Matches: following the coordinator's feed, storing each match once, listing them for the professional, and the
 * node-to-node exchange of contact data, guarded by the coordinator's match ticket.
 */
package nl.betrokken.node.match;
