/**
 * {@code application/problem+json} (RFC 9457) for every error of a Betrokken service: refusals named by type, with
 * the offending fields in {@code violations}, and unexpected errors that say nothing of their cause.
 */
package nl.betrokken.problem;
