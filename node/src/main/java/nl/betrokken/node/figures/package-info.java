/**
 * The region's figures for the gemeente and the matchcoördinator (docs/node.md, "Figures"; docs/werkplek.md, "The
 * gemeente and the matchcoördinator: figures"): {@link nl.betrokken.node.figures.Figures} counts per month, from the
 * node's own tables and the services that already keep figures (follow-up, notifications, the audit report's
 * objections and consents), and flags organisations and a region that sent no signal for a month. Served as JSON and
 * CSV ({@code /api/v1/figures}) and as the werkplek page {@code /werkplek/cijfers}. Never an identity.
 */
package nl.betrokken.node.figures;
