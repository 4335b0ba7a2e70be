// A deliberately small OpenID provider on loopback, only for checking that oidc-rp.mjs runs.
// It is not a reference for the hub: it implements just enough of discovery, PAR, the
// authorization endpoint (answering at once with a code), the token endpoint (code,
// refresh, client credentials; client_secret_basic, private_key_jwt, none; DPoP with a
// server nonce), userinfo and end-session metadata. It records what the RP sent, and
// `misbehave` switches make it break one rule so the self-check can see the RP refuse.

import http from 'node:http';
import { randomBytes, createHash } from 'node:crypto';
import * as jose from 'jose';

const b64u = (buf) => Buffer.from(buf).toString('base64url');
const rnd = () => b64u(randomBytes(24));
const sha256 = (s) => b64u(createHash('sha256').update(s).digest());

export async function startMockOp({ clients }) {
  const signing = await jose.generateKeyPair('ES256', { extractable: true });
  const signingJwk = { ...(await jose.exportJWK(signing.publicKey)), kid: 'mock-1', alg: 'ES256', use: 'sig' };
  const otherKey = await jose.generateKeyPair('ES256');

  const codes = new Map();
  const pars = new Map();
  const refreshTokens = new Map();
  const accessTokens = new Map();
  const seenJti = new Set();
  const observed = { clientAssertions: [], dpopProofs: [], authorizationRequests: [] };
  const misbehave = {};
  let dpopNonce = rnd();
  let issuer;

  const server = http.createServer(async (req, res) => {
    try {
      await route(req, res);
    } catch (err) {
      send(res, 500, { error: 'server_error', error_description: String(err?.message ?? err) });
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${server.address().port}`;
  const endpoint = (p) => `${issuer}${p}`;

  function send(res, status, body, headers = {}) {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  }

  async function readForm(req) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  }

  class OAuthError extends Error {
    constructor(status, error, description, headers) {
      super(description);
      Object.assign(this, { status, error, headers });
    }
  }

  async function authenticateClient(req, form, audience) {
    const basic = req.headers.authorization?.match(/^Basic (.+)$/);
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':').map((s) => decodeURIComponent(s.replace(/\+/g, ' ')));
      const c = clients[id];
      if (!c || c.secret === undefined || c.secret !== secret) throw new OAuthError(401, 'invalid_client', 'bad secret');
      return id;
    }
    const assertion = form.get('client_assertion');
    if (assertion) {
      if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
        throw new OAuthError(401, 'invalid_client', 'bad client_assertion_type');
      }
      const id = form.get('client_id');
      const c = clients[id];
      if (!c?.publicJwk) throw new OAuthError(401, 'invalid_client', 'no key for client');
      const key = await jose.importJWK(c.publicJwk, c.publicJwk.alg ?? 'ES256');
      const { payload, protectedHeader } = await jose.jwtVerify(assertion, key, { issuer: id, subject: id });
      observed.clientAssertions.push({ endpoint: audience, header: protectedHeader, payload });
      const aud = [payload.aud].flat();
      if (!aud.includes(issuer) && !aud.includes(audience)) throw new OAuthError(401, 'invalid_client', 'bad aud');
      return id;
    }
    const id = form.get('client_id');
    if (!clients[id] || clients[id].secret !== undefined || clients[id].publicJwk) {
      throw new OAuthError(401, 'invalid_client', 'client must authenticate');
    }
    return id;
  }

  async function checkDPoP(req, htu, accessToken) {
    const proof = req.headers.dpop;
    if (!proof) return undefined;
    const header = jose.decodeProtectedHeader(proof);
    if (header.typ !== 'dpop+jwt' || !header.jwk) throw new OAuthError(400, 'invalid_dpop_proof', 'typ/jwk');
    const key = await jose.importJWK(header.jwk, header.alg);
    const { payload } = await jose.jwtVerify(proof, key, { typ: 'dpop+jwt', maxTokenAge: 60 });
    observed.dpopProofs.push({ htu, header: { ...header, jwk: undefined }, payload });
    if (payload.htm !== req.method || payload.htu !== htu) throw new OAuthError(400, 'invalid_dpop_proof', 'htm/htu');
    if (seenJti.has(payload.jti)) throw new OAuthError(400, 'invalid_dpop_proof', 'jti replay');
    seenJti.add(payload.jti);
    if (accessToken !== undefined && payload.ath !== sha256(accessToken)) {
      throw new OAuthError(401, 'invalid_dpop_proof', 'ath');
    }
    if (payload.nonce !== dpopNonce) {
      throw new OAuthError(accessToken === undefined ? 400 : 401, 'use_dpop_nonce', 'nonce required', {
        'dpop-nonce': dpopNonce,
      });
    }
    return jose.calculateJwkThumbprint(header.jwk);
  }

  async function idToken(claims, clientId) {
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new jose.SignJWT({ ...claims, nonce: misbehave.wrongNonce ? 'not-it' : claims.nonce })
      .setProtectedHeader({ alg: 'ES256', kid: 'mock-1', typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(misbehave.badSignature ? otherKey.privateKey : signing.privateKey);
    return jwt;
  }

  async function issue(res, { clientId, sub, scope, nonce, jkt, withRefresh, authTime, acr }) {
    const accessToken = rnd();
    accessTokens.set(accessToken, { sub, jkt, scope });
    const body = {
      access_token: accessToken,
      token_type: jkt && !misbehave.bearerForDpop ? 'DPoP' : 'Bearer',
      expires_in: 300,
      scope,
    };
    if (withRefresh) {
      const rt = rnd();
      refreshTokens.set(rt, { clientId, sub, scope, jkt, authTime, acr });
      body.refresh_token = rt;
    }
    if (sub !== undefined && scope.split(' ').includes('openid')) {
      body.id_token = await idToken({ sub: misbehave.newSub ? 'someone-else' : sub, nonce, auth_time: authTime, acr }, clientId);
    }
    send(res, 200, body, { 'dpop-nonce': dpopNonce });
  }

  async function route(req, res) {
    const u = new URL(req.url, issuer);
    try {
      switch (`${req.method} ${u.pathname}`) {
        case 'GET /.well-known/openid-configuration':
          return send(res, 200, {
            issuer: misbehave.discoveryIssuer ?? issuer,
            authorization_endpoint: endpoint('/authorize'),
            pushed_authorization_request_endpoint: endpoint('/par'),
            token_endpoint: endpoint('/token'),
            userinfo_endpoint: endpoint('/userinfo'),
            end_session_endpoint: endpoint('/logout'),
            jwks_uri: endpoint('/jwks'),
            response_types_supported: ['code'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['ES256'],
            code_challenge_methods_supported: ['S256'],
            token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt', 'none'],
            token_endpoint_auth_signing_alg_values_supported: ['ES256', 'RS256', 'PS256'],
            dpop_signing_alg_values_supported: ['ES256'],
            authorization_response_iss_parameter_supported: true,
          });
        case 'GET /jwks':
          return send(res, 200, { keys: [signingJwk] });
        case 'GET /_mock/observed':
          return send(res, 200, observed);
        case 'POST /par': {
          const form = await readForm(req);
          const clientId = await authenticateClient(req, form, endpoint('/par'));
          const jkt = await checkDPoP(req, endpoint('/par'));
          for (const k of ['client_assertion', 'client_assertion_type']) form.delete(k);
          const requestUri = `urn:ietf:params:oauth:request_uri:${rnd()}`;
          pars.set(requestUri, { params: form, clientId, jkt });
          return send(res, 201, { request_uri: requestUri, expires_in: 60 }, { 'dpop-nonce': dpopNonce });
        }
        case 'GET /authorize': {
          let params = u.searchParams;
          let jkt;
          if (params.has('request_uri')) {
            const par = pars.get(params.get('request_uri'));
            pars.delete(params.get('request_uri'));
            if (!par || par.clientId !== params.get('client_id')) return send(res, 400, { error: 'invalid_request_uri' });
            params = par.params;
            jkt = par.jkt;
          }
          observed.authorizationRequests.push(Object.fromEntries(params));
          const clientId = params.get('client_id');
          const c = clients[clientId];
          const redirectUri = params.get('redirect_uri');
          if (!c || !c.redirectUris.includes(redirectUri)) return send(res, 400, { error: 'invalid_request' });
          if (params.get('code_challenge_method') !== 'S256' || !params.get('code_challenge')) {
            return send(res, 400, { error: 'invalid_request', error_description: 'PKCE S256 required' });
          }
          const code = rnd();
          codes.set(code, {
            clientId,
            redirectUri,
            codeChallenge: params.get('code_challenge'),
            nonce: params.get('nonce'),
            scope: params.get('scope'),
            jkt: jkt ?? params.get('dpop_jkt') ?? undefined,
            acr: params.get('acr_values')?.split(' ')[0],
          });
          const back = new URL(redirectUri);
          back.searchParams.set('code', code);
          if (params.has('state')) back.searchParams.set('state', params.get('state'));
          if (!misbehave.omitIss) back.searchParams.set('iss', misbehave.wrongIss ?? issuer);
          res.writeHead(302, { location: back.href });
          return res.end();
        }
        case 'POST /token': {
          const form = await readForm(req);
          const clientId = await authenticateClient(req, form, endpoint('/token'));
          const jkt = await checkDPoP(req, endpoint('/token'));
          switch (form.get('grant_type')) {
            case 'authorization_code': {
              const grant = codes.get(form.get('code'));
              codes.delete(form.get('code'));
              if (!grant || grant.clientId !== clientId || grant.redirectUri !== form.get('redirect_uri')) {
                throw new OAuthError(400, 'invalid_grant', 'code');
              }
              if (sha256(form.get('code_verifier') ?? '') !== grant.codeChallenge) throw new OAuthError(400, 'invalid_grant', 'pkce');
              if (grant.jkt && grant.jkt !== jkt) throw new OAuthError(400, 'invalid_dpop_proof', 'code bound to another key');
              return issue(res, {
                clientId,
                sub: 'citizen-42',
                scope: grant.scope,
                nonce: grant.nonce,
                jkt,
                withRefresh: grant.scope.split(' ').includes('offline_access'),
                authTime: Math.floor(Date.now() / 1000),
                acr: grant.acr,
              });
            }
            case 'refresh_token': {
              const rt = refreshTokens.get(form.get('refresh_token'));
              refreshTokens.delete(form.get('refresh_token'));
              if (!rt || rt.clientId !== clientId) throw new OAuthError(400, 'invalid_grant', 'refresh token');
              if (rt.jkt && rt.jkt !== jkt) throw new OAuthError(400, 'invalid_dpop_proof', 'refresh token bound to another key');
              return issue(res, { ...rt, jkt, withRefresh: true });
            }
            case 'client_credentials':
              return issue(res, { clientId, scope: form.get('scope') ?? 'api', jkt });
            default:
              throw new OAuthError(400, 'unsupported_grant_type', form.get('grant_type'));
          }
        }
        case 'GET /userinfo': {
          const m = req.headers.authorization?.match(/^(Bearer|DPoP) (.+)$/);
          const at = m && accessTokens.get(m[2]);
          if (!at) return send(res, 401, {}, { 'www-authenticate': 'Bearer error="invalid_token"' });
          if (at.jkt) {
            if (m[1] !== 'DPoP') return send(res, 401, {}, { 'www-authenticate': 'DPoP error="invalid_token"' });
            const jkt = await checkDPoP(req, endpoint('/userinfo'), m[2]);
            if (jkt !== at.jkt) return send(res, 401, {}, { 'www-authenticate': 'DPoP error="invalid_token"' });
          }
          return send(res, 200, { sub: misbehave.userinfoSub ?? at.sub, name: 'Test Citizen' }, { 'dpop-nonce': dpopNonce });
        }
        default:
          return send(res, 404, { error: 'not_found' });
      }
    } catch (err) {
      if (err instanceof OAuthError) {
        const headers = { ...err.headers };
        if (err.status === 401 && req.headers.authorization?.startsWith('DPoP ')) {
          headers['www-authenticate'] = `DPoP error="${err.error}"`;
          return send(res, 401, {}, headers);
        }
        return send(res, err.status, { error: err.error, error_description: err.message }, headers);
      }
      if (err instanceof jose.errors.JOSEError) {
        return send(res, 400, { error: 'invalid_request', error_description: `${err.code}: ${err.message}` });
      }
      throw err;
    }
  }

  return {
    issuer,
    observed,
    misbehave,
    rotateNonce() {
      dpopNonce = rnd();
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
