/**
 * The node's audit trail (docs/audit.md): {@link nl.betrokken.node.audit.NodeAudit} appends every read and change of
 * personal data to the node's tamper-evident log in the transaction of the change, naming accounts by username and
 * signals and matches by keyed reference; entries about a signal held back from its parents (Veilig Thuis) are sealed
 * until the gemeente releases them. {@link nl.betrokken.node.audit.AuditCheckpoints} has the coordinator countersign
 * the log's checkpoints; the auditor reads entries, checkpoints, proofs, reports and bundles through
 * {@code /api/v1/audit}, each read itself an entry; every request of a privileged role is an entry too.
 */
package nl.betrokken.node.audit;
