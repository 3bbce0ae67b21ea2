/**
 * Accounts and sign-in: who is who at this node, in which organisation and role. Users sign in with an access token
 * of the region's identity provider, checked by the node's own validator ({@code IdentityProviderTokens}); the role
 * and organisation are always the account's at this node ({@code SignIn}), never a token's claims. A node outside the
 * dev environment does not serve HTTP without a configured identity provider. The dev profile seeds the demo users
 * of the contract, signs them in with HTTP Basic (nowhere else), and refuses to start unless explicitly enabled.
 *
 * <p>Parents and youths have no account ({@code Citizens}): the portal signs them in with OpenID Connect against the
 * citizen identity provider ({@code CitizenOidc}, {@code CitizenOidcController}) and hands the proved BSN to the
 * portal's {@code CitizenSessionStarter}; the JSON API takes that provider's bearer tokens ({@code CitizenTokens}).
 */
package nl.betrokken.node.account;
