// A tiny fake SAML IdP for the self-checks of saml-sp.mjs and lasso-sp.py: keys from openssl,
// XML signed with xml-crypto and encrypted with xml-encryption (both already in node-saml's
// tree), HTTP-Redirect signatures with node:crypto. It exists only to test the harnesses and is
// not a model for the hub.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSign, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import xmlenc from 'xml-encryption';

export const IDP = 'https://idp.test/saml';
export const SSO = 'https://idp.test/saml/sso';
export const SLO = 'https://idp.test/saml/slo';
export const ACS = 'https://sp.test/acs';
export const SP_ID = 'https://sp.test/metadata';

export function keyPair(dir, name) {
  const key = join(dir, `${name}.key`);
  const crt = join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt,
    '-days', '2', '-subj', `/CN=${name}`], { stdio: 'ignore' });
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(crt, 'utf8') };
}

export const iso = (offsetMs) => new Date(Date.now() + offsetMs).toISOString();
export const newId = () => `_${randomBytes(16).toString('hex')}`;

export function sign(xml, localName, key, cert) {
  const sig = new SignedXml({ privateKey: key, publicCert: cert });
  sig.signatureAlgorithm = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
  sig.canonicalizationAlgorithm = 'http://www.w3.org/2001/10/xml-exc-c14n#';
  const path = `//*[local-name(.)='${localName}']`;
  sig.addReference({
    xpath: path,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  // saml-core §5.4.1: the signature goes right after the Issuer of the signed element.
  sig.computeSignature(xml, { location: { reference: `${path}/*[local-name(.)='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

export function assertionXml({ id, inResponseTo, recipient = ACS, audience = SP_ID, issuer = IDP, notOnOrAfter = iso(300_000) }) {
  return `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${iso(0)}">`
    + `<saml:Issuer>${issuer}</saml:Issuer>`
    + '<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">pairwise-123</saml:NameID>'
    + `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${inResponseTo}" Recipient="${recipient}" NotOnOrAfter="${notOnOrAfter}"/></saml:SubjectConfirmation></saml:Subject>`
    + `<saml:Conditions NotBefore="${iso(-5_000)}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>`
    + `<saml:AuthnStatement AuthnInstant="${iso(-1_000)}" SessionIndex="session-1"><saml:AuthnContext><saml:AuthnContextClassRef>http://eidas.europa.eu/LoA/substantial</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`
    + '<saml:AttributeStatement><saml:Attribute Name="http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml:AttributeValue>Mari</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>'
    + '</saml:Assertion>';
}

export function encryptAssertion(assertion, spCert) {
  return new Promise((resolve, reject) => {
    xmlenc.encrypt(assertion, {
      rsa_pub: spCert,
      pem: spCert,
      encryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
      keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
    }, (err, result) => (err ? reject(err) : resolve(`<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${result}</saml:EncryptedAssertion>`)));
  });
}

export async function response(idp, opts) {
  const { inResponseTo, destination = ACS, signResponse = true, signAssertion = true, encryptFor } = opts;
  let assertion = assertionXml({ id: newId(), inResponseTo, ...opts });
  if (signAssertion) assertion = sign(assertion, 'Assertion', idp.key, idp.cert);
  if (encryptFor) assertion = await encryptAssertion(assertion, encryptFor);
  let xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${newId()}" Version="2.0" IssueInstant="${iso(0)}" Destination="${destination}" InResponseTo="${inResponseTo}">`
    + `<saml:Issuer>${IDP}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>`
    + `${assertion}</samlp:Response>`;
  if (signResponse) xml = sign(xml, 'Response', idp.key, idp.cert);
  return Buffer.from(xml, 'utf8').toString('base64');
}

// HTTP-Redirect binding signature (saml-bindings-2.0-os §3.4.4.1), over the encoded query.
export function redirect(idp, param, xml, relayState, { signed = true } = {}) {
  let query = `${param}=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}`;
  if (relayState) query += `&RelayState=${encodeURIComponent(relayState)}`;
  if (!signed) return query;
  query += `&SigAlg=${encodeURIComponent('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256')}`;
  const signature = createSign('RSA-SHA256').update(query).sign(idp.key, 'base64');
  return `${query}&Signature=${encodeURIComponent(signature)}`;
}


// IdP metadata as Lasso needs it: the signing certificate and an HTTP-Redirect SSO endpoint.
export function idpMetadata(cert) {
  const der = cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${IDP}">`
    + '<md:IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
    + `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`
    + `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${SSO}"/>`
    + `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${SSO}"/>`
    + '</md:IDPSSODescriptor></md:EntityDescriptor>';
}
