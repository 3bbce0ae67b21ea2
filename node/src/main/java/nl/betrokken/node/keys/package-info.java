/**
 * The node's keys: the federation key ring shared by all nodes (pseudonyms), the node's own key ring (encryption
 * at rest and the blind index), and the node's token key (calls to the coordinator and to other nodes).
 */
package nl.betrokken.node.keys;
