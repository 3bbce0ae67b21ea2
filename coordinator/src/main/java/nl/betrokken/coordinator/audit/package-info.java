/**
 * The coordinator's audit trail: its own tamper-evident log ({@link nl.betrokken.audit.AuditLog}) of every call and
 * change (tokens accepted and refused, batches received, ends, erasures, matching passes, feed reads with the tickets
 * they carried, statistics read, retention runs, enrolments), its signed and self-countersigned checkpoints, the
 * countersigning of the nodes' checkpoints after checking that each extends the last one countersigned, and the
 * auditor's API. Entries name nodes and references, never a person.
 */
package nl.betrokken.coordinator.audit;
