/**
 * Information exchanged between the two professionals of a match, node to node: under the match's consent
 * (consent/ConsentGate at both nodes, the coordinator's consent token, and the coordinator's count of each use), or
 * under the Veilig Thuis exception (a reason instead of consent; the exchange's audit entries sealed until the
 * gemeente releases them). Stored encrypted at rest at both nodes; the receiving professional is notified without
 * the text; every read is an audit entry.
 */
package nl.betrokken.node.exchange;
