#!/usr/bin/env node
// A command-line OpenID Connect relying party on npm's openid-client, driven by the
// C# interop tests as a child process. One JSON object on stdin, one JSON object on
// stdout; errors are {"error", "detail", ...} with exit code 1. The contract is in README.md.
//
// openid-client's own checks stay on: issuer of the discovery document, RFC 9207 `iss`
// in the authorization response, state, PKCE, nonce, ID token claims and (through
// enableNonRepudiationChecks) its signature against the provider's JWKS, userinfo `sub`,
// DPoP proofs and DPoP-Nonce retries. The harness adds a few RP duties openid-client leaves
// to its caller (a DPoP-requested token must come back as token_type DPoP; a refreshed
// ID token must keep the original `sub`).

import * as client from 'openid-client';
import * as jose from 'jose';

const BLOB_VERSION = 1;

class HarnessError extends Error {
  constructor(error, detail) {
    super(detail);
    this.error = error;
  }
}

const bad = (detail) => new HarnessError('bad_input', detail);

// ---------------------------------------------------------------------------------------
// input helpers

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) throw bad('expected one JSON object on standard input, got nothing');
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw bad(`standard input is not JSON: ${err.message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad('standard input must be one JSON object');
  }
  return value;
}

function str(input, name, { optional = false } = {}) {
  const v = input[name];
  if (v === undefined || v === null) {
    if (optional) return undefined;
    throw bad(`"${name}" is required`);
  }
  if (typeof v !== 'string' || !v.length) throw bad(`"${name}" must be a non-empty string`);
  return v;
}

function bool(input, name) {
  const v = input[name];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw bad(`"${name}" must be true or false`);
  return v;
}

function obj(input, name) {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw bad(`"${name}" must be a JSON object`);
  return v;
}

function url(value, name) {
  try {
    return new URL(value);
  } catch {
    throw bad(`"${name}" is not an absolute URL`);
  }
}

// ---------------------------------------------------------------------------------------
// client configuration

const LOOPBACK = new Set(['localhost', '127.0.0.1']);

async function clientAuthentication(input) {
  const secret = str(input, 'clientSecret', { optional: true });
  const jwk = obj(input, 'privateJwk');
  if (secret !== undefined && jwk !== undefined) {
    throw bad('give "clientSecret" or "privateJwk", not both');
  }
  if (input.clientAssertionTyp !== undefined && jwk === undefined) {
    throw bad('"clientAssertionTyp" applies only with "privateJwk"');
  }
  if (secret !== undefined) return client.ClientSecretBasic(secret);
  if (jwk !== undefined) {
    if (typeof jwk.d !== 'string') throw bad('"privateJwk" must be a private JWK (it has no "d")');
    const alg = jwk.alg ?? defaultJwsAlg(jwk);
    let key;
    try {
      key = await jose.importJWK(jwk, alg);
    } catch (err) {
      throw bad(`"privateJwk" cannot be imported for ${alg}: ${err.message}`);
    }
    if (!(key instanceof CryptoKey)) throw bad('"privateJwk" must be an asymmetric private key');
    // openid-client puts no "typ" on client assertions. "clientAssertionTyp" (opt-in, absent by
    // default) adds one, e.g. "client-authentication+jwt" (draft-ietf-oauth-rfc7523bis), so a
    // test can compare the provider's answer to both forms.
    const typ = str(input, 'clientAssertionTyp', { optional: true });
    const options = typ === undefined ? undefined : { [client.modifyAssertion]: (header) => { header.typ = typ; } };
    return client.PrivateKeyJwt(jwk.kid === undefined ? key : { key, kid: String(jwk.kid) }, options);
  }
  return client.None();
}

function defaultJwsAlg(jwk) {
  switch (jwk.kty) {
    case 'RSA':
      return 'RS256';
    case 'EC':
      switch (jwk.crv) {
        case 'P-256':
          return 'ES256';
        case 'P-384':
          return 'ES384';
        case 'P-521':
          return 'ES512';
      }
      break;
    case 'OKP':
      if (jwk.crv === 'Ed25519') return 'Ed25519';
      break;
  }
  throw bad(`"privateJwk": cannot choose a JWS algorithm for kty ${jwk.kty} crv ${jwk.crv}; give "alg"`);
}

async function configure(input) {
  const issuer = url(str(input, 'issuer'), 'issuer');
  const clientId = str(input, 'clientId');
  const execute = [];
  if (issuer.protocol === 'http:') {
    if (!LOOPBACK.has(issuer.hostname)) {
      throw new HarnessError(
        'insecure_issuer',
        `plain http is allowed only for http://localhost or http://127.0.0.1, not ${issuer.origin}`,
      );
    }
    execute.push(client.allowInsecureRequests);
  } else if (issuer.protocol !== 'https:') {
    throw bad('"issuer" must be an http(s) URL');
  }
  const options = { execute };
  if (input.timeoutSeconds !== undefined) {
    if (typeof input.timeoutSeconds !== 'number' || !(input.timeoutSeconds > 0)) {
      throw bad('"timeoutSeconds" must be a positive number');
    }
    options.timeout = input.timeoutSeconds;
  }
  const auth = await clientAuthentication(input);
  const config = await client.discovery(issuer, clientId, undefined, auth, options);
  // Verify ID token (and signed userinfo) signatures against the provider's jwks_uri.
  // Without this openid-client trusts the TLS channel for the code flow's ID token.
  client.enableNonRepudiationChecks(config);
  return { config, issuer: issuer.href, clientId };
}

// ---------------------------------------------------------------------------------------
// state blob

function readBlob(input) {
  const issuer = url(str(input, 'issuer'), 'issuer').href;
  const clientId = str(input, 'clientId');
  const blob = obj(input, 'state');
  if (!blob) throw bad('"state" (the object returned by start) is required');
  if (blob.v !== BLOB_VERSION) throw bad('"state" is not a blob from this harness (version)');
  if (blob.issuer !== issuer) throw bad(`"state" was made for issuer ${blob.issuer}, not ${issuer}`);
  if (blob.clientId !== clientId) throw bad(`"state" was made for client ${blob.clientId}, not ${clientId}`);
  return blob;
}

async function exportDPoP(keyPair) {
  return {
    alg: 'ES256',
    privateJwk: await crypto.subtle.exportKey('jwk', keyPair.privateKey),
    publicJwk: await crypto.subtle.exportKey('jwk', keyPair.publicKey),
  };
}

async function importDPoP(config, saved) {
  if (!saved) return undefined;
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
  let privateKey, publicKey;
  try {
    privateKey = await crypto.subtle.importKey('jwk', saved.privateJwk, algorithm, false, ['sign']);
    publicKey = await crypto.subtle.importKey('jwk', saved.publicJwk, algorithm, true, ['verify']);
  } catch (err) {
    throw bad(`"state" DPoP keys cannot be imported: ${err.message}`);
  }
  return client.getDPoPHandle(config, { privateKey, publicKey });
}

function tokenOutput(tokens) {
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? null,
    tokenType: tokens.token_type,
    expiresIn: tokens.expires_in ?? null,
    scope: tokens.scope ?? null,
    idToken: tokens.id_token ?? null,
    idTokenClaims: tokens.id_token ? { ...tokens.claims() } : null,
  };
}

function requireDPoPBound(tokens, dpop) {
  // openid-client accepts token_type Bearer even when a DPoP proof was sent; an RP that
  // asked for a sender-constrained token must not accept a silent downgrade (RFC 9449 §5).
  if (dpop && tokens.token_type !== 'dpop') {
    throw new HarnessError(
      'dpop_not_bound',
      `a DPoP proof was sent but the token endpoint answered token_type "${tokens.token_type}"`,
    );
  }
}

// ---------------------------------------------------------------------------------------
// commands

// Parameters the harness sets itself; "extra" may not override them.
const MANAGED = new Set([
  'client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge',
  'code_challenge_method', 'acr_values', 'request', 'request_uri', 'dpop_jkt',
]);

async function start(input) {
  const redirectUri = url(str(input, 'redirectUri'), 'redirectUri').href;
  const scope = str(input, 'scope');
  const acrValues = str(input, 'acrValues', { optional: true });
  const usePar = bool(input, 'usePar');
  const dpop = bool(input, 'dpop');
  const dpopJkt = bool(input, 'dpopJkt');
  if (dpopJkt && !dpop) throw bad('"dpopJkt" needs "dpop": true');
  const extra = obj(input, 'extra') ?? {};
  for (const name of Object.keys(extra)) {
    if (MANAGED.has(name)) throw bad(`"extra" may not set "${name}"; the harness sets it`);
  }
  const { config, issuer, clientId } = await configure(input);

  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const parameters = {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  };
  if (acrValues !== undefined) parameters.acr_values = acrValues;
  let maxAge;
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined || value === null) continue;
    parameters[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (name === 'max_age') {
      maxAge = Number(value);
      if (!Number.isInteger(maxAge) || maxAge < 0) throw bad('"extra.max_age" must be a non-negative integer');
    }
  }

  let dpopKeys = null;
  let handle;
  if (dpop) {
    const keyPair = await client.randomDPoPKeyPair('ES256', { extractable: true });
    handle = client.getDPoPHandle(config, keyPair);
    dpopKeys = await exportDPoP(keyPair);
    if (dpopJkt) parameters.dpop_jkt = await handle.calculateThumbprint();
  }

  const authorizationUrl = usePar
    ? await client.buildAuthorizationUrlWithPAR(config, parameters, { DPoP: handle })
    : client.buildAuthorizationUrl(config, parameters);

  return {
    authorizationUrl: authorizationUrl.href,
    state: {
      v: BLOB_VERSION,
      issuer,
      clientId,
      redirectUri,
      state,
      nonce,
      codeVerifier,
      maxAge: maxAge ?? null,
      usePar,
      dpop: dpopKeys,
      tokens: null,
    },
  };
}

async function callback(input) {
  const blob = readBlob(input);
  const callbackUrl = url(str(input, 'callbackUrl'), 'callbackUrl');
  const { config } = await configure(input);
  const handle = await importDPoP(config, blob.dpop);

  const checks = {
    pkceCodeVerifier: blob.codeVerifier,
    expectedNonce: blob.nonce,
    expectedState: blob.state,
    idTokenExpected: true,
  };
  if (typeof blob.maxAge === 'number') checks.maxAge = blob.maxAge;
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, checks, undefined, {
    DPoP: handle,
  });
  requireDPoPBound(tokens, handle);
  const out = tokenOutput(tokens);
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, out.idTokenClaims.sub, {
    DPoP: handle,
  });
  return {
    ...out,
    userinfo,
    state: {
      ...blob,
      tokens: {
        accessToken: out.accessToken,
        refreshToken: out.refreshToken,
        tokenType: out.tokenType,
        idToken: out.idToken,
        sub: out.idTokenClaims.sub,
      },
    },
  };
}

async function refresh(input) {
  const blob = readBlob(input);
  const refreshToken = blob.tokens?.refreshToken;
  if (!refreshToken) throw bad('"state" holds no refresh token (was offline_access granted?)');
  const { config } = await configure(input);
  const handle = await importDPoP(config, blob.dpop);
  const tokens = await client.refreshTokenGrant(config, refreshToken, undefined, { DPoP: handle });
  requireDPoPBound(tokens, handle);
  const out = tokenOutput(tokens);
  // OIDC Core 12.2: a refreshed ID token keeps the original subject.
  if (out.idTokenClaims && out.idTokenClaims.sub !== blob.tokens.sub) {
    throw new HarnessError(
      'id_token_sub_changed',
      `the refreshed ID token's sub "${out.idTokenClaims.sub}" differs from "${blob.tokens.sub}"`,
    );
  }
  return {
    ...out,
    state: {
      ...blob,
      tokens: {
        accessToken: out.accessToken,
        refreshToken: out.refreshToken ?? refreshToken,
        tokenType: out.tokenType,
        idToken: out.idToken ?? blob.tokens.idToken,
        sub: blob.tokens.sub,
      },
    },
  };
}

async function logoutUrl(input) {
  const blob = readBlob(input);
  const postLogoutRedirectUri = url(str(input, 'postLogoutRedirectUri'), 'postLogoutRedirectUri').href;
  const idToken = blob.tokens?.idToken;
  if (!idToken) throw bad('"state" holds no ID token (run callback first)');
  const parameters = { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirectUri };
  for (const [name, value] of Object.entries(obj(input, 'extra') ?? {})) {
    if (name in parameters || name === 'client_id') throw bad(`"extra" may not set "${name}"`);
    if (value !== undefined && value !== null) parameters[name] = String(value);
  }
  const { config } = await configure(input);
  return { url: client.buildEndSessionUrl(config, parameters).href };
}

async function clientCredentials(input) {
  const scope = str(input, 'scope', { optional: true });
  const dpop = bool(input, 'dpop');
  const { config } = await configure(input);
  let handle;
  let dpopKeys = null;
  if (dpop) {
    const keyPair = await client.randomDPoPKeyPair('ES256', { extractable: true });
    handle = client.getDPoPHandle(config, keyPair);
    dpopKeys = await exportDPoP(keyPair);
  }
  const tokens = await client.clientCredentialsGrant(
    config,
    scope === undefined ? {} : { scope },
    { DPoP: handle },
  );
  requireDPoPBound(tokens, handle);
  const { accessToken, refreshToken, tokenType, expiresIn, scope: granted } = tokenOutput(tokens);
  return {
    accessToken,
    refreshToken,
    tokenType,
    expiresIn,
    scope: granted,
    dpop: dpopKeys && { ...dpopKeys, jkt: await handle.calculateThumbprint() },
  };
}

const COMMANDS = {
  start,
  callback,
  refresh,
  'logout-url': logoutUrl,
  'client-credentials': clientCredentials,
};

// ---------------------------------------------------------------------------------------
// errors: one JSON object, never a stack trace

function describeCause(err) {
  const parts = [];
  let current = err;
  for (let depth = 0; current && depth < 6; depth++) {
    if (current instanceof Error) {
      const code = current.code && !String(current.message).includes(current.code) ? ` (${current.code})` : '';
      parts.push(`${current.message}${code}`);
      current = current.cause;
    } else if (typeof current === 'object' && !(current instanceof Response) && !Array.isArray(current)) {
      const facts = {};
      for (const k of ['claim', 'attribute', 'expected', 'reason', 'alg']) {
        if (current[k] !== undefined && typeof current[k] !== 'object') facts[k] = current[k];
      }
      if (current.claim && current.claims) facts.actual = current.claims[current.claim];
      if (current.header && typeof current.header === 'object') facts.header = current.header;
      if (Object.keys(facts).length) parts.push(JSON.stringify(facts));
      break;
    } else {
      break;
    }
  }
  return parts.join(': ');
}

function toErrorObject(err) {
  if (err instanceof HarnessError) {
    return { error: err.error, detail: err.message, source: 'harness' };
  }
  if (err instanceof client.ResponseBodyError) {
    return {
      error: err.error,
      detail: err.error_description ?? err.message,
      source: 'provider',
      status: err.status,
      errorDescription: err.error_description ?? null,
    };
  }
  if (err instanceof client.AuthorizationResponseError) {
    return {
      error: err.error,
      detail: err.error_description ?? err.message,
      source: 'provider',
      errorDescription: err.error_description ?? null,
    };
  }
  if (err instanceof client.WWWAuthenticateChallengeError) {
    const challenge = err.cause?.find((c) => c.parameters?.error) ?? err.cause?.[0];
    return {
      error: challenge?.parameters?.error ?? 'www_authenticate_challenge',
      detail: `${err.message}: ${(err.cause ?? []).map((c) => `${c.scheme} ${JSON.stringify(c.parameters)}`).join(', ')}`,
      source: 'provider',
      status: err.status,
      errorDescription: challenge?.parameters?.error_description ?? null,
    };
  }
  if (err instanceof TypeError && err.message === 'fetch failed') {
    return { error: 'network_error', detail: describeCause(err), source: 'client' };
  }
  if (err instanceof client.ClientError || err instanceof TypeError) {
    return { error: err.code ?? 'client_error', detail: describeCause(err), source: 'client' };
  }
  return {
    error: 'internal_error',
    detail: err instanceof Error ? describeCause(err) : String(err),
    source: 'harness',
  };
}

function finish(value, exitCode) {
  process.stdout.write(`${JSON.stringify(value)}\n`, () => process.exit(exitCode));
}

async function main() {
  const command = process.argv[2];
  const run = COMMANDS[command];
  if (!run) {
    throw new HarnessError(
      'unknown_command',
      `usage: oidc-rp.mjs <${Object.keys(COMMANDS).join('|')}> < input.json (got ${command ?? 'nothing'})`,
    );
  }
  return run(await readStdin());
}

main().then(
  (result) => finish(result, 0),
  (err) => {
    const out = toErrorObject(err);
    if (process.env.OIDC_RP_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    finish(out, 1);
  },
);
