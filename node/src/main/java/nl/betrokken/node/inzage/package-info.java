/**
 * Inzage across the federation: a parent or youth signed in at any node ({@code account/Citizens}) sees every signal
 * they may see in every region. The asking node pseudonymises the person's BSN as for a signal, asks the coordinator
 * which signals name that person ({@code POST /internal/v1/inzage}, answered with one signed, short-lived, single-use
 * inzage ticket per signal), and fetches each from its holding node ({@code POST /federation/v1/inzage}, node token
 * plus ticket; {@link nl.betrokken.node.inzage.InzageServing}). The holding node applies the law's age rules and the
 * Veilig Thuis exception, and records the inzage it served. A region that does not answer is named in the answer.
 */
package nl.betrokken.node.inzage;
