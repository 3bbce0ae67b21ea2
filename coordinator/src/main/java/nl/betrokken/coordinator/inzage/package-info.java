/**
 * The inzage look-up: which signals, at which nodes, a signed-in person may see (their own, and as a parent), each
 * with a short-lived, single-use inzage ticket the holding node checks. The coordinator learns no identity in it: it
 * sees re-keyable pseudonyms only, and keeps nothing of the request but one audit entry with a count. The same look-up
 * serves a Veilig Thuis worker's search for a youth (only the signals about that youth, relation VEILIG_THUIS).
 */
package nl.betrokken.coordinator.inzage;
