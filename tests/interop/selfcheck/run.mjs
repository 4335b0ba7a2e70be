// Self-check for oidc-rp.mjs against the small loopback mock in mock-op.mjs:
// every command's happy path (secret, private_key_jwt EC and RSA, public client; PAR; DPoP
// with a server nonce) and the refusals the RP must make. Run: node selfcheck/run.mjs
// (or npm run check). Prints "N passed, N failed" and exits non-zero on any failure.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { startMockOp } from './mock-op.mjs';

const RP = fileURLToPath(new URL('../oidc-rp.mjs', import.meta.url));
const REDIRECT = 'http://127.0.0.1:9999/callback';

function rp(command, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RP, command], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill(), 30_000);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = out.split('\n').filter(Boolean);
      if (lines.length !== 1) return reject(new Error(`${command}: expected one line on stdout, got ${JSON.stringify(out)} (stderr ${err})`));
      resolve({ code, body: JSON.parse(lines[0]) });
    });
    child.stdin.end(JSON.stringify(input));
  });
}

async function ok(command, input) {
  const { code, body } = await rp(command, input);
  if (code !== 0) throw new Error(`${command} failed: ${JSON.stringify(body)}`);
  return body;
}

async function fails(command, input, expectError) {
  const { code, body } = await rp(command, input);
  if (code !== 1 || typeof body.error !== 'string' || typeof body.detail !== 'string') {
    throw new Error(`${command}: expected an error, got exit ${code} ${JSON.stringify(body)}`);
  }
  if (expectError && body.error !== expectError) {
    throw new Error(`${command}: expected error ${expectError}, got ${JSON.stringify(body)}`);
  }
  return body;
}

async function authorize(authorizationUrl) {
  const res = await fetch(authorizationUrl, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`authorize: ${res.status} ${await res.text()}`);
  return location;
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

// Key material for the private_key_jwt clients.
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ecPrivate = { ...ec.privateKey.export({ format: 'jwk' }), kid: 'rp-ec', alg: 'ES256' };
const ecPublic = { ...ec.publicKey.export({ format: 'jwk' }), kid: 'rp-ec', alg: 'ES256' };
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPrivate = { ...rsa.privateKey.export({ format: 'jwk' }), kid: 'rp-rsa' }; // no alg: RS256
const rsaPublic = { ...rsa.publicKey.export({ format: 'jwk' }), alg: 'RS256' };

const op = await startMockOp({
  clients: {
    'secret-client': { secret: 's3cret:+/ é', redirectUris: [REDIRECT] },
    'jwt-client': { publicJwk: ecPublic, redirectUris: [REDIRECT] },
    'rsa-client': { publicJwk: rsaPublic, redirectUris: [REDIRECT] },
    'public-client': { redirectUris: [REDIRECT] },
  },
});

const secretClient = { issuer: op.issuer, clientId: 'secret-client', clientSecret: 's3cret:+/ é' };
const jwtClient = { issuer: op.issuer, clientId: 'jwt-client', privateJwk: ecPrivate };
const rsaClient = { issuer: op.issuer, clientId: 'rsa-client', privateJwk: rsaPrivate };
const publicClient = { issuer: op.issuer, clientId: 'public-client' };

async function login(clientConfig, options = {}) {
  const started = await ok('start', {
    ...clientConfig,
    redirectUri: REDIRECT,
    scope: 'openid profile offline_access',
    usePar: false,
    dpop: false,
    ...options,
  });
  const callbackUrl = await authorize(started.authorizationUrl);
  return { started, callbackUrl };
}

const checks = [];
const check = (name, fn) => checks.push({ name, fn });

check('secret client: start, callback, refresh, logout-url', async () => {
  const { started, callbackUrl } = await login(secretClient, {
    acrValues: 'eidas-substantial',
    extra: { prompt: 'login', max_age: 600, ui_locales: 'et en', claims: { id_token: { acr: { essential: true } } } },
  });
  const sent = op.observed.authorizationRequests.at(-1);
  assert(sent.prompt === 'login' && sent.max_age === '600' && sent.acr_values === 'eidas-substantial', 'extra params');
  assert(JSON.parse(sent.claims).id_token.acr.essential === true, 'claims param is JSON');
  assert(sent.code_challenge_method === 'S256', 'PKCE S256');
  const cb = await ok('callback', { ...secretClient, callbackUrl, state: started.state });
  assert(cb.idTokenClaims.sub === 'citizen-42' && cb.userinfo.sub === 'citizen-42', 'sub');
  assert(cb.idTokenClaims.acr === 'eidas-substantial', 'acr');
  assert(cb.tokenType === 'bearer' && cb.refreshToken && cb.idToken, 'tokens');
  const r = await ok('refresh', { ...secretClient, state: cb.state });
  assert(r.accessToken && r.accessToken !== cb.accessToken && r.idTokenClaims.sub === 'citizen-42', 'refresh');
  const r2 = await ok('refresh', { ...secretClient, state: r.state });
  assert(r2.refreshToken !== r.refreshToken, 'second refresh uses the rotated token');
  const lo = await ok('logout-url', { ...secretClient, state: r2.state, postLogoutRedirectUri: 'http://127.0.0.1:9999/bye' });
  const u = new URL(lo.url);
  assert(u.pathname === '/logout' && u.searchParams.get('id_token_hint') && u.searchParams.get('post_logout_redirect_uri') === 'http://127.0.0.1:9999/bye', 'logout url');
});

check('private_key_jwt (EC) + PAR + DPoP with server nonce', async () => {
  const before = op.observed.clientAssertions.length;
  op.rotateNonce();
  const { started, callbackUrl } = await login(jwtClient, { usePar: true, dpop: true });
  assert(new URL(started.authorizationUrl).searchParams.has('request_uri'), 'PAR request_uri');
  op.rotateNonce();
  const cb = await ok('callback', { ...jwtClient, callbackUrl, state: started.state });
  assert(cb.tokenType === 'dpop', 'DPoP-bound token');
  op.rotateNonce();
  const r = await ok('refresh', { ...jwtClient, state: cb.state });
  assert(r.tokenType === 'dpop', 'refreshed DPoP token');
  const assertion = op.observed.clientAssertions.slice(before);
  assert(assertion.length >= 3, 'client assertions at PAR and token');
  for (const a of assertion) {
    assert(a.header.alg === 'ES256' && a.header.kid === 'rp-ec' && a.header.typ === undefined, `assertion header ${JSON.stringify(a.header)}`);
    assert(a.payload.aud === op.issuer, `assertion aud ${a.payload.aud}`);
  }
  const proofs = op.observed.dpopProofs;
  assert(proofs.some((p) => p.payload.ath && p.htu.endsWith('/userinfo')), 'userinfo proof has ath');
});

check('private_key_jwt (RSA, no alg in JWK) + client-credentials', async () => {
  const before = op.observed.clientAssertions.length;
  const cc = await ok('client-credentials', { ...rsaClient, scope: 'registry.read' });
  assert(cc.accessToken && cc.tokenType === 'bearer' && cc.scope === 'registry.read', 'cc tokens');
  const a = op.observed.clientAssertions[before];
  assert(a.header.alg === 'RS256' && a.header.kid === 'rp-rsa', `RSA assertion header ${JSON.stringify(a.header)}`);
});

check('clientAssertionTyp opt-in puts typ on the assertion', async () => {
  const before = op.observed.clientAssertions.length;
  await ok('client-credentials', { ...jwtClient, clientAssertionTyp: 'client-authentication+jwt', scope: 'api' });
  const a = op.observed.clientAssertions[before];
  assert(a.header.typ === 'client-authentication+jwt', `typ ${JSON.stringify(a.header)}`);
  await fails('client-credentials', { ...secretClient, clientAssertionTyp: 'JWT', scope: 'api' }, 'bad_input');
});

check('client-credentials with DPoP', async () => {
  op.rotateNonce();
  const cc = await ok('client-credentials', { ...secretClient, scope: 'api', dpop: true });
  assert(cc.tokenType === 'dpop' && cc.dpop?.jkt, 'DPoP cc');
});

check('public client + DPoP with dpop_jkt (no PAR)', async () => {
  const { started, callbackUrl } = await login(publicClient, { dpop: true, dpopJkt: true, scope: 'openid' });
  assert(new URL(started.authorizationUrl).searchParams.get('dpop_jkt'), 'dpop_jkt');
  const cb = await ok('callback', { ...publicClient, callbackUrl, state: started.state });
  assert(cb.tokenType === 'dpop' && cb.refreshToken === null, 'public DPoP');
});

async function refusedCallback(flag, value, expectError) {
  op.misbehave[flag] = value;
  try {
    const { started, callbackUrl } = await login(secretClient);
    return await fails('callback', { ...secretClient, callbackUrl, state: started.state }, expectError);
  } finally {
    delete op.misbehave[flag];
  }
}

check('refuses a response without iss (RFC 9207)', () => refusedCallback('omitIss', true, 'OAUTH_INVALID_RESPONSE'));
check('refuses a response with a wrong iss', () => refusedCallback('wrongIss', 'http://evil.example', 'OAUTH_INVALID_RESPONSE'));
check('refuses a wrong nonce', () => refusedCallback('wrongNonce', true, 'OAUTH_JWT_CLAIM_COMPARISON_FAILED'));
check('refuses a bad ID token signature', () => refusedCallback('badSignature', true));
check('refuses userinfo for another subject', () => refusedCallback('userinfoSub', 'someone-else'));
check('refuses a Bearer token when DPoP was asked for', async () => {
  op.misbehave.bearerForDpop = true;
  try {
    const { started, callbackUrl } = await login(secretClient, { dpop: true });
    await fails('callback', { ...secretClient, callbackUrl, state: started.state }, 'dpop_not_bound');
  } finally {
    delete op.misbehave.bearerForDpop;
  }
});
check('refuses a refreshed ID token for another subject', async () => {
  const { started, callbackUrl } = await login(secretClient);
  const cb = await ok('callback', { ...secretClient, callbackUrl, state: started.state });
  op.misbehave.newSub = true;
  try {
    await fails('refresh', { ...secretClient, state: cb.state }, 'id_token_sub_changed');
  } finally {
    delete op.misbehave.newSub;
  }
});
check('refuses a tampered state', async () => {
  const { started, callbackUrl } = await login(secretClient);
  const u = new URL(callbackUrl);
  u.searchParams.set('state', 'forged');
  await fails('callback', { ...secretClient, callbackUrl: u.href, state: started.state }, 'OAUTH_INVALID_RESPONSE');
});
check('reports an authorization error from the provider', async () => {
  const { started } = await login(secretClient);
  const u = new URL(REDIRECT);
  u.searchParams.set('error', 'access_denied');
  u.searchParams.set('error_description', 'the citizen said no');
  u.searchParams.set('state', started.state.state);
  u.searchParams.set('iss', op.issuer);
  const e = await fails('callback', { ...secretClient, callbackUrl: u.href, state: started.state }, 'access_denied');
  assert(e.source === 'provider' && e.errorDescription === 'the citizen said no', 'provider error');
});
check('reports a token endpoint error', async () => {
  const e = await fails('client-credentials', { ...secretClient, clientSecret: 'wrong', scope: 'api' }, 'invalid_client');
  assert(e.source === 'provider' && e.status === 401, 'status');
});
check('refuses a discovery document for another issuer', async () => {
  op.misbehave.discoveryIssuer = 'http://127.0.0.1:1';
  try {
    await fails('client-credentials', { ...secretClient, scope: 'api' }, 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED');
  } finally {
    delete op.misbehave.discoveryIssuer;
  }
});
check('error paths of every command: refused port, http elsewhere, bad input', async () => {
  const port = await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  // Inputs complete enough that each command gets as far as discovery.
  const complete = (issuer) => ({
    issuer,
    clientId: 'c',
    redirectUri: REDIRECT,
    scope: 'openid',
    callbackUrl: `${REDIRECT}?code=x&state=y`,
    postLogoutRedirectUri: REDIRECT,
    state: { v: 1, issuer: new URL(issuer).href, clientId: 'c', state: 'y', nonce: 'n', codeVerifier: 'v', dpop: null, tokens: { refreshToken: 'r', idToken: 'i', sub: 's' } },
  });
  for (const command of ['start', 'callback', 'refresh', 'logout-url', 'client-credentials']) {
    const refused = await fails(command, complete(`http://127.0.0.1:${port}`), 'network_error');
    assert(refused.detail.includes('ECONNREFUSED'), `refused: ${refused.detail}`);
    await fails(command, complete('http://idp.example'), 'insecure_issuer');
    await fails(command, { issuer: op.issuer }, 'bad_input');
  }
  await fails('nope', {}, 'unknown_command');
  await fails('start', { ...secretClient, redirectUri: REDIRECT, scope: 'openid', extra: { state: 'x' } }, 'bad_input');
  await fails('refresh', { ...secretClient, state: { v: 1, issuer: 'http://127.0.0.1:1/', clientId: 'secret-client' } }, 'bad_input');
});

let passed = 0;
let failed = 0;
for (const { name, fn } of checks) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}: ${err.message}`);
  }
}
await op.close();
console.log(`selfcheck: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
