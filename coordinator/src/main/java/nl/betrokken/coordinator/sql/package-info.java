/** Small JDBC helpers that the coordinator's features share. */
package nl.betrokken.coordinator.sql;
