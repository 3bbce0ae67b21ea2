/**
 * Which nodes may call the coordinator, and the check on every call: a short-lived ES256 token signed with the
 * node's enrolled key, whose {@code jti} is used once.
 */
package nl.betrokken.coordinator.enrolment;
