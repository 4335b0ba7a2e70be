// Self-check for saml-sp.mjs. It plays a tiny IdP (fake-idp.mjs) to prove each
// command's happy path and that the harness refuses what it must: a tampered or unsigned
// response, a foreign InResponseTo, a wrong Recipient/Destination/Issuer, an unsigned
// redirect message. The fake IdP exists only to test the harness; it is not a model for the hub.
// Run: node selfcheck/saml-sp-check.mjs (or npm run check). Exits non-zero on any failure.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { createVerify } from 'node:crypto';
import { IDP, SSO, SLO, ACS, SP_ID, keyPair, iso, newId, sign, response, redirect } from './fake-idp.mjs';

const SP_SCRIPT = fileURLToPath(new URL('../saml-sp.mjs', import.meta.url));

function run(command, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SP_SCRIPT, command], { stdio: ['pipe', 'pipe', 'pipe'] });
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
  const { code, body } = await run(command, input);
  if (code !== 0) throw new Error(`${command} failed: ${JSON.stringify(body)}`);
  return body;
}

async function fails(command, input, expectError, detailPattern) {
  const { code, body } = await run(command, input);
  if (code !== 1 || typeof body.error !== 'string' || typeof body.detail !== 'string') {
    throw new Error(`${command}: expected an error, got exit ${code} ${JSON.stringify(body).slice(0, 400)}`);
  }
  if (expectError && body.error !== expectError) throw new Error(`${command}: expected ${expectError}, got ${JSON.stringify(body)}`);
  if (detailPattern && !detailPattern.test(body.detail)) throw new Error(`${command}: detail ${JSON.stringify(body.detail)} does not match ${detailPattern}`);
  return body;
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

// ---------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'saml-sp-check-'));
let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}: ${err.message}`);
  }
}

try {
  const idp = keyPair(dir, 'idp');
  const spKeys = keyPair(dir, 'sp');
  const other = keyPair(dir, 'other');
  const sp = {
    entityId: SP_ID,
    callbackUrl: ACS,
    idpSsoUrl: SSO,
    idpSloUrl: SLO,
    idpEntityId: IDP,
    idpCertPem: idp.cert,
    spPrivateKeyPem: spKeys.key,
    spCertPem: spKeys.cert,
    identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    requestedAuthnContext: ['http://eidas.europa.eu/LoA/substantial'],
    racComparison: 'minimum',
  };

  await check('metadata', async () => {
    const { metadata } = await ok('metadata', { sp });
    for (const needle of ['AuthnRequestsSigned="true"', 'WantAssertionsSigned="true"', 'use="signing"', 'use="encryption"',
      `entityID="${SP_ID}"`, `Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${ACS}"`]) {
      assert(metadata.includes(needle), `metadata lacks ${needle}`);
    }
  });

  let redirectId;
  await check('login-request HTTP-Redirect', async () => {
    const out = await ok('login-request', { sp, relayState: 'rs-1' });
    assert(out.binding === 'redirect' && out.url.startsWith(`${SSO}?SAMLRequest=`), `bad url ${out.url}`);
    const url = new URL(out.url);
    for (const p of ['RelayState', 'SigAlg', 'Signature']) assert(url.searchParams.get(p), `no ${p}`);
    const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest'), 'base64')).toString();
    assert(/^_[0-9a-f]{40}$/.test(out.requestId) && xml.includes(`ID="${out.requestId}"`), 'requestId not in the request');
    assert(xml.includes(`Destination="${SSO}"`) && xml.includes(`AssertionConsumerServiceURL="${ACS}"`), 'no Destination/ACS');
    assert(xml.includes('Comparison="minimum"') && xml.includes('LoA/substantial'), 'no RequestedAuthnContext');
    // With a RelayState of [A-Za-z0-9._-] the signature verifies over the raw query as sent (saml-bindings §3.4.4.1).
    const raw = out.url.slice(out.url.indexOf('?') + 1);
    assert(createVerify('RSA-SHA256').update(raw.slice(0, raw.indexOf('&Signature='))).verify(spKeys.cert, url.searchParams.get('Signature'), 'base64'), 'query signature');
    redirectId = out.requestId;
  });

  await check('login-request HTTP-POST', async () => {
    const out = await ok('login-request', { sp: { ...sp, authnRequestBinding: 'HTTP-POST', forceAuthn: true }, relayState: 'rs-2' });
    assert(out.binding === 'post' && out.action === SSO && out.fields.RelayState === 'rs-2', 'bad shape');
    const xml = Buffer.from(out.fields.SAMLRequest, 'base64').toString();
    assert(xml.startsWith('<?xml') && xml.includes(`ID="${out.requestId}"`), 'POST SAMLRequest is not the plain XML');
    assert(xml.includes('<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">') && xml.includes('ForceAuthn="true"'), 'not signed / no ForceAuthn');
  });

  const good = () => response(idp, { inResponseTo: redirectId });
  await check('validate-response accepts a signed response', async () => {
    const { profile } = await ok('validate-response', { sp, samlResponse: await good(), requestIds: [redirectId] });
    assert(profile.nameID === 'pairwise-123' && profile.sessionIndex === 'session-1' && profile.issuer === IDP, JSON.stringify(profile));
    assert(profile.inResponseTo === redirectId && profile.authnContextClassRef === 'http://eidas.europa.eu/LoA/substantial', JSON.stringify(profile));
    assert(profile.attributes['http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName'] === 'Mari', 'no attribute');
    assert(profile.assertionEncrypted === false, 'encrypted?');
  });
  await check('validate-response accepts an encrypted assertion (rsa-oaep-mgf1p + aes256-gcm)', async () => {
    const samlResponse = await response(idp, { inResponseTo: redirectId, encryptFor: spKeys.cert });
    const { profile } = await ok('validate-response', { sp, samlResponse, requestIds: [redirectId] });
    assert(profile.assertionEncrypted === true && profile.nameID === 'pairwise-123', JSON.stringify(profile));
  });
  await check('validate-response rejects a tampered response', async () => {
    const xml = Buffer.from(await good(), 'base64').toString().replace('pairwise-123', 'pairwise-999');
    await fails('validate-response', { sp, samlResponse: Buffer.from(xml).toString('base64'), requestIds: [redirectId] }, 'rejected', /signature/i);
  });
  await check('validate-response rejects a response signed by another key', async () => {
    await fails('validate-response', { sp, samlResponse: await response(other, { inResponseTo: redirectId }), requestIds: [redirectId] }, 'rejected');
  });
  await check('validate-response rejects an unsigned Response envelope (wantAuthnResponseSigned)', async () => {
    await fails('validate-response', { sp, samlResponse: await response(idp, { inResponseTo: redirectId, signResponse: false }), requestIds: [redirectId] }, 'rejected', /document signature/);
  });
  await check('validate-response rejects an unsigned assertion (wantAssertionsSigned)', async () => {
    await fails('validate-response', { sp, samlResponse: await response(idp, { inResponseTo: redirectId, signAssertion: false }), requestIds: [redirectId] }, 'rejected', /signature/i);
  });
  await check('validate-response rejects an unknown InResponseTo', async () => {
    await fails('validate-response', { sp, samlResponse: await good(), requestIds: ['_someoneelse'] }, 'rejected', /InResponseTo/);
  });
  await check('validate-response rejects a wrong audience', async () => {
    await fails('validate-response', { sp, samlResponse: await response(idp, { inResponseTo: redirectId, audience: 'https://other.test' }), requestIds: [redirectId] }, 'rejected', /audience/);
  });
  await check('validate-response rejects an expired assertion', async () => {
    await fails('validate-response', { sp, samlResponse: await response(idp, { inResponseTo: redirectId, notOnOrAfter: iso(-60_000) }), requestIds: [redirectId] }, 'rejected');
  });
  await check('validate-response (harness) rejects a wrong Recipient', async () => {
    await fails('validate-response', { sp, samlResponse: await response(idp, { inResponseTo: redirectId, recipient: 'https://other.test/acs' }), requestIds: [redirectId] }, 'recipient_mismatch');
  });
  await check('validate-response (harness) rejects a wrong Destination', async () => {
    await fails('validate-response', { sp, samlResponse: await response(idp, { inResponseTo: redirectId, destination: 'https://other.test/acs' }), requestIds: [redirectId] }, 'destination_mismatch');
  });
  await check('validate-response (harness) rejects a wrong Issuer', async () => {
    await fails('validate-response', { sp, samlResponse: await response(idp, { inResponseTo: redirectId, issuer: 'https://evil.test' }), requestIds: [redirectId] }, 'issuer_mismatch');
  });

  let logoutId;
  await check('logout-request', async () => {
    const out = await ok('logout-request', { sp, nameId: 'pairwise-123', nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', sessionIndex: 'session-1', relayState: 'bye' });
    const url = new URL(out.url);
    assert(url.origin + url.pathname === SLO && url.searchParams.get('Signature') && url.searchParams.get('RelayState') === 'bye', out.url);
    const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest'), 'base64')).toString();
    assert(xml.includes(`ID="${out.requestId}"`) && xml.includes('>session-1<') && xml.includes('>pairwise-123<'), xml);
    logoutId = out.requestId;
  });

  const logoutResponse = (inResponseTo, status = 'urn:oasis:names:tc:SAML:2.0:status:Success') =>
    `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${newId()}" Version="2.0" IssueInstant="${iso(0)}" Destination="https://sp.test/slo" InResponseTo="${inResponseTo}"><saml:Issuer>${IDP}</saml:Issuer><samlp:Status><samlp:StatusCode Value="${status}"/></samlp:Status></samlp:LogoutResponse>`;
  await check('validate-logout-response (redirect)', async () => {
    const out = await ok('validate-logout-response', { sp, query: redirect(idp, 'SAMLResponse', logoutResponse(logoutId), 'bye'), requestIds: [logoutId] });
    assert(out.ok === true && out.inResponseTo === logoutId && out.relayState === 'bye', JSON.stringify(out));
  });
  await check('validate-logout-response (redirect) rejects a bad signature', async () => {
    const query = redirect(other, 'SAMLResponse', logoutResponse(logoutId), 'bye');
    await fails('validate-logout-response', { sp, query, requestIds: [logoutId] }, 'rejected', /signature/);
  });
  await check('validate-logout-response (redirect) rejects an unsigned message', async () => {
    const query = redirect(idp, 'SAMLResponse', logoutResponse(logoutId), 'bye', { signed: false });
    await fails('validate-logout-response', { sp, query, requestIds: [logoutId] }, 'unsigned_message');
  });
  await check('validate-logout-response (redirect) rejects a failed status', async () => {
    const query = redirect(idp, 'SAMLResponse', logoutResponse(logoutId, 'urn:oasis:names:tc:SAML:2.0:status:Responder'));
    await fails('validate-logout-response', { sp, query, requestIds: [logoutId] }, 'rejected', /status/i);
  });
  await check('validate-logout-response (POST)', async () => {
    const body = { SAMLResponse: Buffer.from(sign(logoutResponse(logoutId), 'LogoutResponse', idp.key, idp.cert)).toString('base64'), RelayState: 'bye' };
    const out = await ok('validate-logout-response', { sp, body, requestIds: [logoutId] });
    assert(out.ok === true && out.inResponseTo === logoutId, JSON.stringify(out));
  });
  await check('validate-logout-response (POST, harness) rejects a foreign InResponseTo', async () => {
    const body = { SAMLResponse: Buffer.from(sign(logoutResponse('_nope'), 'LogoutResponse', idp.key, idp.cert)).toString('base64') };
    await fails('validate-logout-response', { sp, body, requestIds: [logoutId] }, 'in_response_to_mismatch');
  });

  const idpLogoutRequest = () => {
    const id = newId();
    return { id, xml: `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${iso(0)}" Destination="https://sp.test/slo" NotOnOrAfter="${iso(120_000)}"><saml:Issuer>${IDP}</saml:Issuer><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">pairwise-123</saml:NameID><samlp:SessionIndex>session-1</samlp:SessionIndex></samlp:LogoutRequest>` };
  };
  await check('validate-logout-request (redirect) and its signed LogoutResponse', async () => {
    const { id, xml } = idpLogoutRequest();
    const out = await ok('validate-logout-request', { sp, query: redirect(idp, 'SAMLRequest', xml, 'rs-slo') });
    assert(out.nameId === 'pairwise-123' && out.sessionIndex === 'session-1' && out.requestId === id, JSON.stringify(out));
    const url = new URL(out.responseUrl);
    assert(url.origin + url.pathname === SLO && url.searchParams.get('Signature') && url.searchParams.get('RelayState') === 'rs-slo', out.responseUrl);
    const answer = inflateRawSync(Buffer.from(url.searchParams.get('SAMLResponse'), 'base64')).toString();
    assert(answer.includes(`InResponseTo="${id}"`) && answer.includes('status:Success'), answer);
  });
  await check('validate-logout-request (POST)', async () => {
    const { id, xml } = idpLogoutRequest();
    const out = await ok('validate-logout-request', { sp, body: { SAMLRequest: Buffer.from(sign(xml, 'LogoutRequest', idp.key, idp.cert)).toString('base64') } });
    assert(out.requestId === id && out.nameIdFormat === 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', JSON.stringify(out));
  });
  await check('validate-logout-request (redirect) rejects a wrong issuer and an unsigned message', async () => {
    const { xml } = idpLogoutRequest();
    await fails('validate-logout-request', { sp, query: redirect(idp, 'SAMLRequest', xml.replace(`>${IDP}<`, '>https://evil.test<')) }, 'rejected', /issuer/i);
    await fails('validate-logout-request', { sp, query: redirect(idp, 'SAMLRequest', xml, undefined, { signed: false }) }, 'unsigned_message');
  });

  await check('errors: unknown command, bad input', async () => {
    await fails('nope', {}, 'unknown_command');
    await fails('login-request', { sp: { ...sp, idpCertPem: undefined } }, 'bad_input');
    await fails('validate-response', { sp, samlResponse: 'bm90IHhtbA==', requestIds: [] }, 'rejected');
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`saml-sp: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
