/**
 * What both services share for being watched (docs/operators.md, "Watching it"): the request id of every call
 * ({@link nl.betrokken.observability.RequestIds}), carried in the MDC, on outgoing calls and in answers; the scrape
 * token that guards {@code /prometheus} ({@link nl.betrokken.observability.ScrapeToken}); and the logback setup that
 * writes JSON lines (resource {@code betrokken-logback.xml}).
 */
package nl.betrokken.observability;
