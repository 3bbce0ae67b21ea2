/**
 * Federation key rotation at a node (docs/node.md, "Rotating the federation key"): the operator's commands that
 * make the next federation ring, install it with every active signal resubmitted under the new epoch through the
 * outbox, and drop the old epoch after the transition.
 */
package nl.betrokken.node.rotation;
