/**
 * Notifications: telling professionals (and instellingscoördinatoren) that there is news about a match, by e-mail
 * over SMTP and by a signed webhook to the region's case-management system, with the delivery state of each message
 * kept so that failures reach the organisation's instellingscoördinator and the gemeente's figures. A message never
 * carries a BSN, a name, a birth date, a ground or the counterpart's contact data: only that there is news and where
 * to look.
 */
package nl.betrokken.node.notify;
