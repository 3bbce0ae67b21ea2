/**
 * A region's node: holds the identities, professionals, organisations and legal grounds of its convenant, and
 * sends the coordinator only pseudonyms and opaque references.
 */
package nl.betrokken.node;
