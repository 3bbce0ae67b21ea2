/**
 * Nothing lost between node and coordinator: every change the coordinator must hear of is written to the outbox in
 * the same transaction as the change, and a sender delivers the outbox in order, in batches, with back-off, until
 * the coordinator has it. The coordinator treats a repeated delivery as a no-op.
 */
package nl.betrokken.node.outbox;
