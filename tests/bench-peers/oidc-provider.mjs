// The reference for `./hub bench oidc`: npm's oidc-provider (the certified Node.js OpenID provider), in memory, ES256.
// Started by tests/IdentityHub.Benchmarks (OidcBenchmark) as a child process on a loopback port; never in production.
//
//   node oidc-provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
//
// Configured as the hub is for the bench: one confidential client with client_secret_basic, client credentials and the
// authorization code flow with PKCE S256, pairwise subjects, ES256 ID tokens and JWT access tokens (RFC 9068, ES256)
// for both grants, signed with a P-256 key generated at start. Prints "listening PORT" on stdout once it serves.
//
// Codes made beforehand: POST /bench/codes?count=N (loopback only, outside the provider's routes) makes N codes the way
// the provider's own authorization endpoint does (lib/helpers/process_response_types.js, codeHandler), without the
// browser round trips: one Session (the citizen logged in, acr/amr/loginTs) with one Grant (openid profile and the API
// resource), then per code `new provider.AuthorizationCode({...}).save()` bound to that session (expiresWithSession,
// sessionUid, sid), with a fresh PKCE S256 challenge. It answers [{ code, verifier }]; the token endpoint redeems them
// exactly as codes from /auth (it finds the code, the grant and the session, checks PKCE, consumes the code).
import { createServer } from 'node:http';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
if (!port || !clientId || !clientSecret || !redirectUri) {
  console.error('usage: node oidc-provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI');
  process.exit(2);
}

const issuer = `http://127.0.0.1:${port}`;
const api = 'urn:identityhub:bench:api';
const { privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
const pairwiseKey = randomBytes(32);
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: 'bench-es256', use: 'sig', alg: 'ES256' };

/**
 * The in-memory adapter. oidc-provider's own MemoryAdapter keeps at most 1,000 entries (an LRU), fewer than the codes a
 * bench makes beforehand; this one is a plain Map with the same contract (find, upsert, consume, destroy,
 * findByUid, revokeByGrantId), expiry checked on read.
 */
const store = new Map();
class BenchAdapter {
  constructor(model) { this.model = model; }

  key(id) { return `${this.model}:${id}`; }

  async upsert(id, payload, expiresIn) {
    const expiresAt = expiresIn ? Date.now() + (expiresIn * 1000) : Infinity;
    store.set(this.key(id), { payload, expiresAt });
    if (this.model === 'Session') store.set(`sessionUid:${payload.uid}`, { payload: id, expiresAt });
    if (payload.grantId) {
      const members = store.get(`grant:${payload.grantId}`)?.payload ?? new Set();
      members.add(this.key(id));
      store.set(`grant:${payload.grantId}`, { payload: members, expiresAt: Infinity });
    }
  }

  async find(id) { return live(this.key(id)); }

  async findByUid(uid) {
    const id = live(`sessionUid:${uid}`);
    return id ? this.find(id) : undefined;
  }

  async findByUserCode() { return undefined; }

  async consume(id) {
    const entry = live(this.key(id));
    if (entry) entry.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) { store.delete(this.key(id)); }

  async revokeByGrantId(grantId) {
    for (const key of store.get(`grant:${grantId}`)?.payload ?? []) store.delete(key);
    store.delete(`grant:${grantId}`);
  }
}

function live(key) {
  const entry = store.get(key);
  if (!entry) return undefined;
  if (entry.expiresAt <= Date.now()) {
    store.delete(key);
    return undefined;
  }
  return entry.payload;
}

const citizen = {
  accountId: 'citizen-1',
  claims: { given_name: 'Ada', family_name: 'Lovelace', birthdate: '1990-12-10' },
};

const provider = new Provider(issuer, {
  adapter: BenchAdapter,
  jwks: { keys: [signingKey] },
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'client_credentials'],
    response_types: ['code'],
    redirect_uris: [redirectUri],
    scope: 'openid profile',
    subject_type: 'pairwise',
    id_token_signed_response_alg: 'ES256',
  }],
  subjectTypes: ['public', 'pairwise'],
  // As the hub computes them (decision 0016): HMAC-SHA-256 over the sector and the account, here with a key in memory.
  pairwiseIdentifier: (ctx, accountId, { sectorIdentifier }) => createHmac('sha256', pairwiseKey).update(`${sectorIdentifier}\n${accountId}`).digest('base64url'),
  claims: { openid: ['sub'], profile: ['given_name', 'family_name', 'birthdate'], acr: null, amr: null, auth_time: null, sid: null },
  scopes: ['openid', 'profile'],
  findAccount: (ctx, sub) => (sub === citizen.accountId
    ? { accountId: sub, claims: () => ({ sub, ...citizen.claims }) }
    : undefined),
  pkce: { required: () => true },
  // The hub's figures (tokens 5 min), but codes 15 min instead of 60 s, as the bench sets the hub's: they are made beforehand.
  ttl: { AuthorizationCode: 900, AccessToken: 300, ClientCredentials: 300, IdToken: 300, Grant: 3600, Session: 3600 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    // JWT access tokens signed ES256 for both grants, as the hub issues them (an opaque token would need no signature).
    resourceIndicators: {
      enabled: true,
      defaultResource: () => api,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource) => {
        if (resource !== api) throw new Provider.errors.InvalidTarget();
        return { scope: 'api', audience: api, accessTokenFormat: 'jwt', accessTokenTTL: 300, jwt: { sign: { alg: 'ES256' } } };
      },
    },
  },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
});
provider.proxy = false;

// One logged-in session and one grant for the bench client, as the authorization endpoint leaves them after a login.
const client = await provider.Client.find(clientId);
const grant = new provider.Grant({ accountId: citizen.accountId, clientId });
grant.addOIDCScope('openid profile');
grant.addResourceScope(api, 'api');
const grantId = await grant.save();
const sid = randomBytes(16).toString('base64url');
const session = new provider.Session();
session.loginAccount({ accountId: citizen.accountId, acr: 'http://eidas.europa.eu/LoA/substantial', amr: ['pwd', 'otp'] });
session.grantIdFor(clientId, grantId);
session.sidFor(clientId, sid);
await session.save(3600);

async function makeCodes(count) {
  const made = [];
  for (let i = 0; i < count; i += 1) {
    const verifier = randomBytes(32).toString('base64url');
    const code = new provider.AuthorizationCode({
      accountId: citizen.accountId,
      acr: session.acr,
      amr: session.amr,
      authTime: session.authTime(),
      client,
      codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
      codeChallengeMethod: 'S256',
      grantId,
      nonce: randomBytes(16).toString('base64url'),
      redirectUri,
      resource: api,
      scope: 'openid profile api',
      sessionUid: session.uid,
      expiresWithSession: true,
      sid,
    });
    made.push({ code: await code.save(), verifier });
  }
  return made;
}

const callback = provider.callback();
const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url.startsWith('/bench/codes')) {
    const count = Number(new URL(req.url, issuer).searchParams.get('count') ?? '1');
    makeCodes(count).then((codes) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(codes));
    }, (error) => {
      res.writeHead(500);
      res.end(String(error));
    });
    return;
  }
  callback(req, res);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1', () => console.log(`listening ${port}`));
provider.on('server_error', (ctx, error) => console.error('server_error', error));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
