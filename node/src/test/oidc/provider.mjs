// A real OpenID provider for the node's sign-in tests (account/CitizenOidcTest): the npm package oidc-provider
// (OpenID-certified), with its dev interaction pages (login: any password; consent). Started by the test as a child
// process: `node provider.mjs` with its settings in the environment, prints "READY <issuer>" once it listens.
//
//   OIDC_PORT      the port on 127.0.0.1 (0: any free one)
//   OIDC_CLIENTS   JSON array of clients: [{"client_id", "client_secret", "redirect_uris": [...],
//                  "token_endpoint_auth_method"}]
//   OIDC_ACCOUNTS  JSON object from the login name typed on the login page to the account's BSN claim
//                  (a name absent from it signs in without a bsn claim)
//   OIDC_JWKS      JSON JWK set with the private signing key(s), so the test can also forge tokens "by" this provider
//
// PKCE (S256) is required for every client. The bsn claim comes with the scope "bsn" and is put in the ID token
// (conformIdTokenClaims: false), as DigiD bridges do.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT || 0);
const clients = JSON.parse(process.env.OIDC_CLIENTS);
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');
const jwks = JSON.parse(process.env.OIDC_JWKS);

function start(issuer, listenPort) {
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...c,
    })),
    jwks,
    pkce: { required: () => true },
    scopes: ['openid', 'bsn'],
    claims: { openid: ['sub'], bsn: ['bsn'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['betrokken-test-provider-cookie-key'] },
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          const claims = { sub: id };
          if (Object.prototype.hasOwnProperty.call(accounts, id)) {
            claims.bsn = accounts[id];
          }
          return claims;
        },
      };
    },
  });
  // The interaction pages say which account signs in; keep the test's output free of the provider's warnings.
  provider.on('server_error', (ctx, err) => console.error('provider server_error', err));
  return provider.listen(listenPort, '127.0.0.1');
}

// The issuer carries the port, so with port 0 a throw-away server finds a free one first.
async function freePort() {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port: p } = s.address();
      s.close(() => resolve(p));
    });
  });
}

const listenPort = port || await freePort();
const issuer = `http://127.0.0.1:${listenPort}`;
const server = start(issuer, listenPort);
server.on('listening', () => console.log(`READY ${issuer}`));
server.on('error', (err) => {
  console.error(`cannot listen on ${listenPort}: ${err.message}`);
  process.exit(1);
});
// The test closes our stdin when it is done (or dies): then stop.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
