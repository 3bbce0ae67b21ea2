/**
 * The audit log that each node and the coordinator keep: every event that reads or changes personal data is
 * appended, in the same transaction as the change, as a leaf of an RFC 9162 Merkle tree ({@link AuditLog}); the
 * log publishes signed checkpoints; an auditor exports a {@link AuditBundle} and checks it offline with
 * {@link BundleVerifier} ({@code java -jar audit/target/audit.jar verify bundle.json}). Entries name actors and
 * subjects by node-local reference, never by BSN or name. Storage is the service's own database, over plain JDBC;
 * the hashing, proofs and notes are {@code nl.betrokken.crypto.log}.
 */
package nl.betrokken.audit;
