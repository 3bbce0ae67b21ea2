/** Counts that outlive retention, and the statistics endpoint for gemeenten and auditors. */
package nl.betrokken.coordinator.stats;
