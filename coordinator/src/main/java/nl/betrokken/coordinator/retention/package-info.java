/** Retention at the coordinator: archive after the active period, delete five years after it, keep counts. */
package nl.betrokken.coordinator.retention;
