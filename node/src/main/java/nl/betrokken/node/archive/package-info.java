/**
 * The archive after a signal's active period: the job that archives signals past their end and erases them five
 * years later leaving only counts, and the gemeente's and auditor's reasoned, recorded access to archived signals.
 */
package nl.betrokken.node.archive;
