/**
 * Accounts and sign-in: who is who at this node, in which organisation and role. The dev profile seeds the demo
 * users of the contract and refuses to start unless explicitly enabled.
 */
package nl.betrokken.node.account;
