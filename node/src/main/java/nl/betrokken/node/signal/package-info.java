/**
 * Signals: registering (with every check of the law and the contract), reading and ending them, for the
 * professionals of the signal's own organisation. A registration and its message to the coordinator are written in
 * one transaction (see {@code outbox}).
 */
package nl.betrokken.node.signal;
