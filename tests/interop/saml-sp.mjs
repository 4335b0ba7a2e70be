#!/usr/bin/env node
// A command-line SAML 2.0 service provider on npm's @node-saml/node-saml, driven by the C#
// interop tests as a child process. One JSON object on stdin, one JSON object on stdout;
// errors are {"error", "detail", ...} with exit code 1. The contract is in README.md.
//
// node-saml's own checks stay on (signatures against the pinned IdP certificate, InResponseTo
// "always", audience, NotBefore/NotOnOrAfter, SubjectConfirmationData). The harness adds the
// SP duties node-saml 5.1.0 leaves out (read from its lib/saml.js): Destination and Recipient
// (saml-profiles-2.0-os §4.1.4.3), the IdP's entity ID as Issuer, a signature on redirect-bound
// logout messages, and InResponseTo/Status on logout responses.

import { SAML } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import xpath from 'xpath';
import { inflateRawSync } from 'node:zlib';

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

class HarnessError extends Error {
  constructor(error, detail, extra = {}) {
    super(detail);
    this.error = error;
    this.extra = extra;
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

function bool(input, name, fallback) {
  const v = input[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw bad(`"${name}" must be true or false`);
  return v;
}

function strings(input, name, { optional = false } = {}) {
  const v = input[name];
  if (v === undefined || v === null) {
    if (optional) return [];
    throw bad(`"${name}" is required`);
  }
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || !s.length)) {
    throw bad(`"${name}" must be an array of non-empty strings`);
  }
  return v;
}

function absoluteUrl(input, name, { optional = false } = {}) {
  const v = str(input, name, { optional });
  if (v === undefined) return undefined;
  try {
    new URL(v);
  } catch {
    throw bad(`"${name}" is not an absolute URL`);
  }
  return v;
}

function pem(input, name, label, { optional = false } = {}) {
  const v = str(input, name, { optional });
  if (v === undefined) return undefined;
  if (!v.includes(`-----BEGIN ${label}`)) throw bad(`"${name}" must be PEM (-----BEGIN ${label}...)`);
  return v;
}

// ---------------------------------------------------------------------------------------
// the SP configuration -> node-saml options

// node-saml keeps request IDs in a cache; each harness process is new, so the test hands the
// IDs it got from login-request/logout-request back and they are put in a fresh cache.
class RequestIdCache {
  constructor(ids) {
    const now = new Date().toISOString();
    this.items = new Map(ids.map((id) => [id, now]));
  }
  async saveAsync(key, value) {
    if (this.items.has(key)) return null;
    this.items.set(key, value);
    return { value, createdAt: Date.now() };
  }
  async getAsync(key) {
    return this.items.get(key) ?? null;
  }
  async removeAsync(key) {
    if (key === null || !this.items.has(key)) return null;
    const value = this.items.get(key);
    this.items.delete(key);
    return value;
  }
}

const BINDINGS = new Set(['HTTP-Redirect', 'HTTP-POST']);
const COMPARISONS = new Set(['exact', 'minimum', 'maximum', 'better']);

function spConfig(input, { requestIds = [], validateInResponseTo = 'always' } = {}) {
  const sp = input.sp;
  if (typeof sp !== 'object' || sp === null || Array.isArray(sp)) throw bad('"sp" (the SP configuration object) is required');
  const entityId = str(sp, 'entityId');
  const spKey = pem(sp, 'spPrivateKeyPem', '');
  const spCert = pem(sp, 'spCertPem', 'CERTIFICATE');
  const decryptionKey = pem(sp, 'spDecryptionKeyPem', '', { optional: true }) ?? spKey;
  const decryptionCert = pem(sp, 'spDecryptionCertPem', 'CERTIFICATE', { optional: true }) ?? spCert;
  const binding = str(sp, 'authnRequestBinding', { optional: true }) ?? 'HTTP-Redirect';
  if (!BINDINGS.has(binding)) throw bad('"authnRequestBinding" must be "HTTP-Redirect" or "HTTP-POST"');
  const racComparison = str(sp, 'racComparison', { optional: true }) ?? 'exact';
  if (!COMPARISONS.has(racComparison)) throw bad('"racComparison" must be exact, minimum, maximum or better');
  const authnContext = strings(sp, 'requestedAuthnContext', { optional: true });
  for (const name of ['signatureAlgorithm', 'digestAlgorithm']) {
    if (sp[name] !== undefined && !['sha256', 'sha512'].includes(sp[name])) throw bad(`"${name}" must be sha256 or sha512`);
  }
  const identifierFormat = sp.identifierFormat === undefined || sp.identifierFormat === null ? null : str(sp, 'identifierFormat');
  const clockSkew = sp.acceptedClockSkewMs ?? 0;
  if (!Number.isInteger(clockSkew) || clockSkew < 0) throw bad('"acceptedClockSkewMs" must be a non-negative integer');

  const options = {
    issuer: entityId,
    audience: entityId,
    callbackUrl: absoluteUrl(sp, 'callbackUrl'),
    entryPoint: absoluteUrl(sp, 'idpSsoUrl'),
    logoutUrl: absoluteUrl(sp, 'idpSloUrl', { optional: true }),
    logoutCallbackUrl: absoluteUrl(sp, 'logoutCallbackUrl', { optional: true }),
    idpCert: pem(sp, 'idpCertPem', 'CERTIFICATE'),
    idpIssuer: str(sp, 'idpEntityId', { optional: true }),
    privateKey: spKey,
    publicCert: spCert,
    decryptionPvk: decryptionKey,
    signatureAlgorithm: sp.signatureAlgorithm ?? 'sha256',
    digestAlgorithm: sp.digestAlgorithm ?? 'sha256',
    wantAssertionsSigned: bool(sp, 'wantAssertionsSigned', true),
    wantAuthnResponseSigned: bool(sp, 'wantAuthnResponseSigned', true),
    authnRequestBinding: binding,
    identifierFormat,
    disableRequestedAuthnContext: authnContext.length === 0,
    authnContext: authnContext.length ? authnContext : undefined,
    racComparison,
    forceAuthn: bool(sp, 'forceAuthn', false),
    passive: bool(sp, 'passive', false),
    acceptedClockSkewMs: clockSkew,
    validateInResponseTo,
    cacheProvider: new RequestIdCache(requestIds),
    // HTTP-POST carries the XML base64-encoded without DEFLATE (saml-bindings-2.0-os §3.5.4);
    // node-saml deflates by default, so POST sets skipRequestCompression unless "postDeflate".
    skipRequestCompression: binding === 'HTTP-POST' && !bool(sp, 'postDeflate', false),
  };
  for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k];
  let saml;
  try {
    saml = new SAML(options);
  } catch (err) {
    throw bad(`node-saml refused the configuration: ${err.message}`);
  }
  return { saml, options, decryptionCert, spCert };
}

// ---------------------------------------------------------------------------------------
// XML helpers (only ever applied to XML the harness made, or to XML node-saml verified)

function parseXml(xml) {
  const errors = [];
  const doc = new DOMParser({ errorHandler: { error: (m) => errors.push(m), fatalError: (m) => errors.push(m) } })
    .parseFromString(xml, 'text/xml');
  if (errors.length || !doc.documentElement) throw bad(`not well-formed XML: ${errors[0] ?? 'no root'}`);
  return doc;
}

const select = xpath.useNamespaces({ samlp: SAMLP, saml: SAML_NS });

function first(node, path) {
  const r = select(path, node);
  return r.length ? r[0] : null;
}

function text(node, path) {
  const n = first(node, path);
  if (!n) return null;
  return n.nodeType === 2 ? n.value : n.textContent;
}

function inflateParam(value) {
  return inflateRawSync(Buffer.from(value, 'base64')).toString('utf8');
}

function messageFromQuery(query) {
  if (typeof query !== 'string' || !query.length) throw bad('"query" must be the raw query string');
  const raw = query.startsWith('?') ? query.slice(1) : query.includes('?') ? query.slice(query.indexOf('?') + 1) : query;
  const container = Object.fromEntries(new URLSearchParams(raw));
  return { raw, container };
}

// ---------------------------------------------------------------------------------------
// commands

async function metadata(input) {
  const { saml, decryptionCert, spCert } = spConfig(input);
  return { metadata: saml.generateServiceProviderMetadata(decryptionCert, spCert) };
}

async function loginRequest(input) {
  const { saml, options } = spConfig(input, { validateInResponseTo: 'always' });
  const relayState = str(input, 'relayState', { optional: true }) ?? '';
  if (options.authnRequestBinding === 'HTTP-POST') {
    const fields = await saml.getAuthorizeMessageAsync(relayState, undefined, {});
    const xml = options.skipRequestCompression
      ? Buffer.from(fields.SAMLRequest, 'base64').toString('utf8')
      : inflateParam(fields.SAMLRequest);
    const requestId = parseXml(xml).documentElement.getAttribute('ID');
    return { binding: 'post', action: options.entryPoint, fields, requestId, xml };
  }
  const url = await saml.getAuthorizeUrlAsync(relayState, undefined, {});
  const xml = inflateParam(new URL(url).searchParams.get('SAMLRequest'));
  return { binding: 'redirect', url, requestId: parseXml(xml).documentElement.getAttribute('ID'), xml };
}

function authnContextOf(assertionXml) {
  const a = parseXml(assertionXml).documentElement;
  return {
    authnContextClassRef: text(a, './saml:AuthnStatement/saml:AuthnContext/saml:AuthnContextClassRef'),
    authnInstant: text(a, './saml:AuthnStatement/@AuthnInstant'),
    sessionNotOnOrAfter: text(a, './saml:AuthnStatement/@SessionNotOnOrAfter'),
    recipients: select('./saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData/@Recipient', a).map((n) => n.value),
    assertionIssuer: text(a, './saml:Issuer'),
  };
}

// "always" unless the SP configuration says otherwise: an SP that accepts IdP-initiated (unsolicited) responses
// runs node-saml with "ifPresent", which accepts a Response without InResponseTo (and checks one that has it).
const IN_RESPONSE_TO = new Set(['always', 'ifPresent']);

function inResponseToMode(input) {
  const mode = typeof input.sp === 'object' && input.sp !== null ? str(input.sp, 'validateInResponseTo', { optional: true }) ?? 'always' : 'always';
  if (!IN_RESPONSE_TO.has(mode)) throw bad('"validateInResponseTo" must be "always" or "ifPresent"');
  return mode;
}

async function validateResponse(input) {
  const samlResponse = str(input, 'samlResponse');
  const requestIds = strings(input, 'requestIds');
  const { saml, options } = spConfig(input, { requestIds, validateInResponseTo: inResponseToMode(input) });
  const relayState = str(input, 'relayState', { optional: true });
  const container = { SAMLResponse: samlResponse };
  if (relayState !== undefined) container.RelayState = relayState;

  let result;
  try {
    result = await saml.validatePostResponseAsync(container);
  } catch (err) {
    throw rejected(err);
  }
  if (!result.profile) throw new HarnessError('no_assertion', 'node-saml accepted the response but it carries no assertion (NoPassive?)');
  const profile = result.profile;
  const assertionXml = profile.getAssertionXml();
  const facts = authnContextOf(assertionXml);

  // The harness's own SP duties: read from the root (covered by node-saml's Response signature
  // check when wantAuthnResponseSigned) and from the verified assertion.
  const responseDoc = parseXml(Buffer.from(samlResponse, 'base64').toString('utf8')).documentElement;
  const destination = responseDoc.getAttribute('Destination');
  if (options.wantAuthnResponseSigned && destination !== options.callbackUrl) {
    // saml-bindings-2.0-os §3.5.5.2: a signed POST message must carry Destination = the ACS.
    throw new HarnessError('destination_mismatch', `Response Destination "${destination}" is not the ACS "${options.callbackUrl}"`);
  }
  if (!facts.recipients.includes(options.callbackUrl)) {
    throw new HarnessError('recipient_mismatch', `no SubjectConfirmationData Recipient equals the ACS "${options.callbackUrl}" (got ${JSON.stringify(facts.recipients)})`);
  }
  if (options.idpIssuer) {
    const responseIssuer = text(responseDoc, './saml:Issuer');
    if (facts.assertionIssuer !== options.idpIssuer || (responseIssuer !== null && responseIssuer !== options.idpIssuer)) {
      throw new HarnessError('issuer_mismatch', `Issuer is "${facts.assertionIssuer}" / "${responseIssuer}", expected "${options.idpEntityId ?? options.idpIssuer}"`);
    }
  }

  const out = {};
  for (const [k, v] of Object.entries(profile)) {
    if (typeof v !== 'function') out[k] = v;
  }
  out.authnContextClassRef = facts.authnContextClassRef;
  out.authnInstant = facts.authnInstant;
  out.sessionNotOnOrAfter = facts.sessionNotOnOrAfter;
  out.assertionEncrypted = select('./saml:EncryptedAssertion', responseDoc).length === 1;
  return { profile: out, assertionXml };
}

async function logoutRequest(input) {
  const { saml, options } = spConfig(input);
  if (!options.logoutUrl) throw bad('"sp.idpSloUrl" is required for logout-request');
  const profile = {
    issuer: options.issuer,
    nameID: str(input, 'nameId'),
    nameIDFormat: str(input, 'nameIdFormat'),
    sessionIndex: str(input, 'sessionIndex', { optional: true }),
    nameQualifier: str(input, 'nameQualifier', { optional: true }),
    spNameQualifier: str(input, 'spNameQualifier', { optional: true }),
  };
  const url = await saml.getLogoutUrlAsync(profile, str(input, 'relayState', { optional: true }) ?? '', {});
  const xml = inflateParam(new URL(url).searchParams.get('SAMLRequest'));
  return { url, requestId: parseXml(xml).documentElement.getAttribute('ID'), xml };
}

function requireSignedRedirect(container, input) {
  if (!container.Signature && !bool(input, 'allowUnsigned', false)) {
    // node-saml's validateRedirectAsync accepts a redirect message without Signature.
    throw new HarnessError('unsigned_message', 'the redirect-bound message carries no Signature (node-saml would accept it)');
  }
}

async function validateLogoutResponse(input) {
  const requestIds = strings(input, 'requestIds');
  if (input.query !== undefined) {
    const { raw, container } = messageFromQuery(input.query);
    if (!container.SAMLResponse) throw bad('the query has no SAMLResponse');
    requireSignedRedirect(container, input);
    const xml = inflateParam(container.SAMLResponse);
    const { saml } = spConfig(input, { requestIds });
    try {
      await saml.validateRedirectAsync(container, raw);
    } catch (err) {
      throw rejected(err);
    }
    return logoutResponseFacts(xml, requestIds, container.RelayState);
  }
  const body = input.body;
  if (typeof body !== 'object' || body === null || typeof body.SAMLResponse !== 'string') {
    throw bad('give "query" (the raw query string) or "body" {SAMLResponse, RelayState}');
  }
  const xml = Buffer.from(body.SAMLResponse, 'base64').toString('utf8');
  // node-saml 5.1.0 looks for InResponseTo only on a <Response> root, so with "always" it
  // refuses every POSTed LogoutResponse; "ifPresent" plus the harness's own check below.
  const { saml } = spConfig(input, { requestIds, validateInResponseTo: 'ifPresent' });
  let result;
  try {
    result = await saml.validatePostResponseAsync({ SAMLResponse: body.SAMLResponse });
  } catch (err) {
    throw rejected(err);
  }
  if (!result.loggedOut) throw new HarnessError('rejected', 'node-saml did not see a LogoutResponse');
  return logoutResponseFacts(xml, requestIds, body.RelayState);
}

function logoutResponseFacts(xml, requestIds, relayState) {
  const root = parseXml(xml).documentElement;
  const inResponseTo = root.getAttribute('InResponseTo');
  const status = text(root, './samlp:Status/samlp:StatusCode/@Value');
  if (!requestIds.includes(inResponseTo)) {
    throw new HarnessError('in_response_to_mismatch', `LogoutResponse InResponseTo "${inResponseTo}" is not one of the request IDs`);
  }
  if (status !== SUCCESS) throw new HarnessError('status_not_success', `LogoutResponse status is ${status}`);
  return {
    ok: true,
    inResponseTo,
    status,
    issuer: text(root, './saml:Issuer'),
    destination: root.getAttribute('Destination') || null,
    relayState: relayState ?? null,
  };
}

async function validateLogoutRequest(input) {
  let result;
  let relayState;
  let xml;
  const { saml } = spConfig(input);
  if (input.query !== undefined) {
    const { raw, container } = messageFromQuery(input.query);
    if (!container.SAMLRequest) throw bad('the query has no SAMLRequest');
    requireSignedRedirect(container, input);
    relayState = container.RelayState;
    xml = inflateParam(container.SAMLRequest);
    try {
      result = await saml.validateRedirectAsync(container, raw);
    } catch (err) {
      throw rejected(err);
    }
  } else {
    const body = input.body;
    if (typeof body !== 'object' || body === null || typeof body.SAMLRequest !== 'string') {
      throw bad('give "query" (the raw query string) or "body" {SAMLRequest, RelayState}');
    }
    relayState = body.RelayState;
    xml = Buffer.from(body.SAMLRequest, 'base64').toString('utf8');
    try {
      result = await saml.validatePostRequestAsync({ SAMLRequest: body.SAMLRequest });
    } catch (err) {
      throw rejected(err);
    }
  }
  const profile = result.profile;
  if (!profile || !profile.ID) throw new HarnessError('rejected', 'not a LogoutRequest');
  const responseUrl = await saml.getLogoutResponseUrlAsync(profile, relayState ?? '', {}, true);
  return {
    nameId: profile.nameID,
    nameIdFormat: profile.nameIDFormat ?? null,
    sessionIndex: profile.sessionIndex ?? null,
    requestId: profile.ID,
    issuer: profile.issuer ?? null,
    destination: parseXml(xml).documentElement.getAttribute('Destination') || null,
    responseUrl,
  };
}

const COMMANDS = {
  metadata,
  'login-request': loginRequest,
  'validate-response': validateResponse,
  'logout-request': logoutRequest,
  'validate-logout-response': validateLogoutResponse,
  'validate-logout-request': validateLogoutRequest,
};

// ---------------------------------------------------------------------------------------
// errors: one JSON object, never a stack trace

function rejected(err) {
  const extra = {};
  if (err && typeof err.xmlStatus === 'string') extra.samlStatus = err.xmlStatus;
  return new HarnessError('rejected', err instanceof Error ? err.message : String(err), extra);
}

function toErrorObject(err) {
  if (err instanceof HarnessError) return { error: err.error, detail: err.message, ...err.extra };
  return { error: 'internal_error', detail: err instanceof Error ? err.message : String(err) };
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
      `usage: saml-sp.mjs <${Object.keys(COMMANDS).join('|')}> < input.json (got ${command ?? 'nothing'})`,
    );
  }
  return run(await readStdin());
}

main().then(
  (result) => finish(result, 0),
  (err) => {
    if (process.env.SAML_SP_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    finish(toErrorObject(err), 1);
  },
);
