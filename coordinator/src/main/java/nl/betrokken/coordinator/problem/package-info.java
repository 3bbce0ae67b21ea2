/** The coordinator's problem types ({@code application/problem+json}), shared by its features. */
package nl.betrokken.coordinator.problem;
