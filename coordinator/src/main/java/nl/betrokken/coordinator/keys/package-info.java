/** The coordinator's own keys: the re-key ring and the ticket-signing key, and their public JWK set. */
package nl.betrokken.coordinator.keys;
