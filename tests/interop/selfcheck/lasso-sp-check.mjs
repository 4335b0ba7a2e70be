// Self-check for lasso-sp.py (Lasso through Debian's python3-lasso, run by /usr/bin/python3)
// against the same fake IdP as saml-sp-check.mjs: metadata, a signed HTTP-Redirect AuthnRequest,
// validate-response on a response this script signs, and its refusals (tampered, foreign key,
// foreign InResponseTo). Run: node selfcheck/lasso-sp-check.mjs (npm run check runs it).
// If /usr/bin/python3 cannot import lasso it says so and exits 0 unless LASSO_REQUIRED=1.

import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVerify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { IDP, SSO, ACS, SP_ID, keyPair, response, idpMetadata, iso } from './fake-idp.mjs';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../lasso-sp.py', import.meta.url));

if (spawnSync(PYTHON, ['-c', 'import lasso']).status !== 0) {
  console.log(`lasso-sp: SKIPPED, ${PYTHON} cannot import lasso (apt-get install python3-lasso; ./hub test installs it)`);
  process.exit(process.env.LASSO_REQUIRED ? 1 : 0);
}

function run(command, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT, command], { stdio: ['pipe', 'pipe', 'pipe'] });
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

async function fails(command, input, expectError) {
  const { code, body } = await run(command, input);
  if (code !== 1 || typeof body.error !== 'string' || typeof body.detail !== 'string') {
    throw new Error(`${command}: expected an error, got exit ${code} ${JSON.stringify(body).slice(0, 400)}`);
  }
  if (expectError && body.error !== expectError) throw new Error(`${command}: expected ${expectError}, got ${JSON.stringify(body)}`);
  return body;
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

const dir = mkdtempSync(join(tmpdir(), 'lasso-sp-check-'));
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
    spPrivateKeyPem: spKeys.key,
    spCertPem: spKeys.cert,
    identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    requestedAuthnContext: ['http://eidas.europa.eu/LoA/substantial'],
    racComparison: 'minimum',
  };
  const idpMd = idpMetadata(idp.cert);

  await check('metadata', async () => {
    const { metadata } = await ok('metadata', { sp });
    for (const needle of ['AuthnRequestsSigned="true"', 'WantAssertionsSigned="true"', 'use="signing"', 'use="encryption"', `entityID="${SP_ID}"`, `Location="${ACS}"`]) {
      assert(metadata.includes(needle), `metadata lacks ${needle}`);
    }
  });

  let requestId;
  await check('login-request (HTTP-Redirect, signed RSA-SHA256)', async () => {
    const out = await ok('login-request', { sp, idpMetadata: idpMd, relayState: 'rs-1' });
    const url = new URL(out.url);
    assert(out.binding === 'redirect' && url.origin + url.pathname === SSO, out.url);
    assert(url.searchParams.get('SigAlg') === 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'SigAlg');
    const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest'), 'base64')).toString();
    assert(xml.includes(`ID="${out.requestId}"`) && xml.includes(`AssertionConsumerServiceURL="${ACS}"`) && xml.includes('Comparison="minimum"'), xml);
    // The redirect signature covers the query as sent (saml-bindings §3.4.4.1).
    const raw = out.url.slice(out.url.indexOf('?') + 1);
    const signed = raw.slice(0, raw.indexOf('&Signature='));
    assert(createVerify('RSA-SHA256').update(signed).verify(spKeys.cert, url.searchParams.get('Signature'), 'base64'), 'query signature does not verify');
    requestId = out.requestId;
  });

  await check('validate-response accepts a signed response', async () => {
    const samlResponse = await response(idp, { inResponseTo: requestId });
    const out = await ok('validate-response', { sp, idpMetadata: idpMd, samlResponse, requestId });
    assert(out.nameId === 'pairwise-123' && out.nameIdFormat === 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', JSON.stringify(out));
    assert(out.authnContextClassRef === 'http://eidas.europa.eu/LoA/substantial' && out.issuer === IDP, JSON.stringify(out));
    assert(out.attributes['http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName'] === 'Mari', JSON.stringify(out));
  });
  await check('validate-response accepts an encrypted assertion', async () => {
    const samlResponse = await response(idp, { inResponseTo: requestId, encryptFor: spKeys.cert });
    const out = await ok('validate-response', { sp, idpMetadata: idpMd, samlResponse, requestId });
    assert(out.nameId === 'pairwise-123' && out.assertionEncrypted === true, JSON.stringify(out));
  });
  await check('validate-response rejects a tampered response', async () => {
    const xml = Buffer.from(await response(idp, { inResponseTo: requestId }), 'base64').toString().replace('pairwise-123', 'pairwise-999');
    await fails('validate-response', { sp, idpMetadata: idpMd, samlResponse: Buffer.from(xml).toString('base64'), requestId }, 'rejected');
  });
  await check('validate-response rejects a response signed by another key', async () => {
    await fails('validate-response', { sp, idpMetadata: idpMd, samlResponse: await response(other, { inResponseTo: requestId }), requestId }, 'rejected');
  });
  await check('validate-response rejects a foreign InResponseTo', async () => {
    await fails('validate-response', { sp, idpMetadata: idpMd, samlResponse: await response(idp, { inResponseTo: '_other' }), requestId }, 'rejected');
  });
  const refusals = {
    'an unsigned assertion': [{ signAssertion: false }, 'rejected'],
    'an unsigned Response envelope': [{ signResponse: false }, 'rejected'],
    'a wrong Issuer': [{ issuer: 'https://evil.test' }, 'rejected'],
    'a wrong audience': [{ audience: 'https://other.test' }, 'audience_mismatch'],
    'a wrong Recipient': [{ recipient: 'https://other.test/acs' }, 'subject_confirmation'],
    'a wrong Destination': [{ destination: 'https://other.test/acs' }, 'destination_mismatch'],
    'an expired assertion': [{ notOnOrAfter: iso(-60_000) }, 'conditions_time'],
  };
  for (const [name, [opts, error]] of Object.entries(refusals)) {
    await check(`validate-response rejects ${name}`, async () => {
      await fails('validate-response', { sp, idpMetadata: idpMd, samlResponse: await response(idp, { inResponseTo: requestId, ...opts }), requestId }, error);
    });
  }
  await check('errors: unknown command, bad input', async () => {
    await fails('nope', {}, 'unknown_command');
    await fails('login-request', { sp: { ...sp, spCertPem: undefined }, idpMetadata: idpMd }, 'bad_input');
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`lasso-sp: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
