/**
 * Accounts and sign-in: who is who at this node, in which organisation and role. Users sign in with an access token
 * of the region's identity provider, checked by the node's own validator ({@code IdentityProviderTokens}); the role
 * and organisation are always the account's at this node ({@code SignIn}), never a token's claims. A node outside the
 * dev environment does not serve HTTP without a configured identity provider. The dev profile seeds the demo users
 * of the contract, signs them in with HTTP Basic (nowhere else), and refuses to start unless explicitly enabled.
 */
package nl.betrokken.node.account;
