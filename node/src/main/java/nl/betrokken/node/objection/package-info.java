/**
 * Bezwaar: a parent (for a child under 16) or a youth (from 12), signed in at any node, objects to a signal; the
 * objection lives at the node that holds the signal, where its gemeente decides it. The node where the person signed
 * in finds the signal as an inzage does (the coordinator's look-up and inzage tickets, inzage/), and hands the holding
 * node the tickets for that node ({@code POST /federation/v1/objections}); the holding node accepts only a ticket
 * naming that very signal whose relation passes the age rules. Upheld, the signal is erased at its node (as the
 * archive erases one, archive/ArchiveService) and at the coordinator (an ERASE through the outbox), which withdraws its
 * matches at every counterpart.
 */
package nl.betrokken.node.objection;
