/**
 * Veilig Thuis: a triage worker (role {@code VEILIG_THUIS}) looks up a youth by BSN across every region, with a stated
 * reason, through the same federated look-up as the parents' inzage. The coordinator finds the signals about that youth
 * (pseudonyms only, never the reason) and signs a ticket per signal; each holding node serves its signal node to node,
 * logs the look-up with the reason, and holds that entry back from the parents until its gemeente releases it.
 */
package nl.betrokken.node.veiligthuis;
