/**
 * Toestemming: a professional asks consent to share information about a youth with the counterpart of a match; the
 * parent and/or the youth answer at the node that holds their signal (the part node), and the coordinator's register
 * keeps the request's status and issues the consent token the exchange (exchange/) needs.
 */
package nl.betrokken.node.consent;
