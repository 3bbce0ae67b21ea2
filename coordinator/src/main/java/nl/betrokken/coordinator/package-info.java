/**
 * The coordinator: receives pseudonymised signal records from enrolled nodes and finds every match between them.
 * It never receives, stores or logs an identity, and never holds the key that makes pseudonyms.
 */
package nl.betrokken.coordinator;
