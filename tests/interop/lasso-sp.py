#!/usr/bin/python3
"""A command-line SAML 2.0 service provider on Lasso (Entr'ouvert), Debian's python3-lasso.

A second SP, independent of node-saml, driven by the C# interop tests as a child process: one
JSON object on stdin, one JSON line on stdout, exit 0 on success and 1 with {"error", "detail"}
on failure; never a traceback on stdout (LASSO_SP_DEBUG=1 puts it on stderr). Run it with
Debian's /usr/bin/python3, the interpreter python3-lasso installs into. The contract is in
README.md ("SAML service provider (Lasso)").
"""

import base64
from datetime import datetime, timezone
import json
import os
import sys
import traceback
import zlib
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

import lasso

MD = 'urn:oasis:names:tc:SAML:2.0:metadata'
DS = 'http://www.w3.org/2000/09/xmldsig#'
POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST'
REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect'
SOAP = 'urn:oasis:names:tc:SAML:2.0:bindings:SOAP'
COMPARISONS = ('exact', 'minimum', 'maximum', 'better')


class HarnessError(Exception):
    def __init__(self, error, detail):
        super().__init__(detail)
        self.error = error
        self.detail = detail


def bad(detail):
    return HarnessError('bad_input', detail)


def text(obj, name, optional=False):
    value = obj.get(name)
    if value is None:
        if optional:
            return None
        raise bad('"%s" is required' % name)
    if not isinstance(value, str) or not value:
        raise bad('"%s" must be a non-empty string' % name)
    return value


def flag(obj, name, default):
    value = obj.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise bad('"%s" must be true or false' % name)
    return value


def pem(obj, name, label):
    value = text(obj, name)
    if '-----BEGIN ' + label not in value:
        raise bad('"%s" must be PEM (-----BEGIN %s...)' % (name, label))
    return value


def cert_base64(cert_pem):
    lines = [l.strip() for l in cert_pem.strip().splitlines()]
    return ''.join(l for l in lines if l and not l.startswith('-----'))


def sp_section(input_):
    sp = input_.get('sp')
    if not isinstance(sp, dict):
        raise bad('"sp" (the SP configuration object) is required')
    return {
        'entityId': text(sp, 'entityId'),
        'callbackUrl': text(sp, 'callbackUrl'),
        'logoutUrl': text(sp, 'logoutCallbackUrl', optional=True),
        'soapLogoutUrl': text(sp, 'soapLogoutUrl', optional=True),
        'key': pem(sp, 'spPrivateKeyPem', ''),
        'cert': pem(sp, 'spCertPem', 'CERTIFICATE'),
        'wantAssertionsSigned': flag(sp, 'wantAssertionsSigned', True),
        'identifierFormat': text(sp, 'identifierFormat', optional=True),
        'requestedAuthnContext': sp.get('requestedAuthnContext') or [],
        'racComparison': text(sp, 'racComparison', optional=True) or 'exact',
        'forceAuthn': flag(sp, 'forceAuthn', False),
        'passive': flag(sp, 'passive', False),
    }


def sp_metadata(sp):
    """SP metadata (saml-metadata-2.0-os §2.4.4): signed requests, signed assertions, the
    certificate for signing and for encryption, one HTTP-POST AssertionConsumerService."""
    cert = cert_base64(sp['cert'])
    key_info = '<ds:KeyInfo><ds:X509Data><ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo>' % cert
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<md:EntityDescriptor xmlns:md="%s" xmlns:ds="%s" entityID=%s>' % (MD, DS, quoteattr(sp['entityId'])),
        '<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" '
        'AuthnRequestsSigned="true" WantAssertionsSigned="%s">' % ('true' if sp['wantAssertionsSigned'] else 'false'),
        '<md:KeyDescriptor use="signing">%s</md:KeyDescriptor>' % key_info,
        '<md:KeyDescriptor use="encryption">%s</md:KeyDescriptor>' % key_info,
    ]
    if sp['logoutUrl']:
        parts.append('<md:SingleLogoutService Binding="%s" Location=%s/>' % (REDIRECT, quoteattr(sp['logoutUrl'])))
    if sp['soapLogoutUrl']:
        parts.append('<md:SingleLogoutService Binding="%s" Location=%s/>' % (SOAP, quoteattr(sp['soapLogoutUrl'])))
    if sp['identifierFormat']:
        parts.append('<md:NameIDFormat>%s</md:NameIDFormat>' % escape(sp['identifierFormat']))
    parts.append('<md:AssertionConsumerService index="0" isDefault="true" Binding="%s" Location=%s/>'
                 % (POST, quoteattr(sp['callbackUrl'])))
    parts.append('</md:SPSSODescriptor></md:EntityDescriptor>')
    return ''.join(parts)


def server_for(input_, sp):
    metadata = sp_metadata(sp)
    server = lasso.Server.newFromBuffers(metadata, sp['key'], None, sp['cert'])
    if server is None:
        raise bad('Lasso could not load the SP metadata, key and certificate')
    server.signatureMethod = lasso.SIGNATURE_METHOD_RSA_SHA256
    idp_metadata = text(input_, 'idpMetadata')
    try:
        server.addProviderFromBuffer(lasso.PROVIDER_ROLE_IDP, idp_metadata)
    except lasso.Error as err:
        raise HarnessError('bad_idp_metadata', 'Lasso refused the IdP metadata: %s' % describe(err))
    return server


def describe(err):
    return '%s: %s' % (type(err).__name__, str(err).strip() or 'code %s' % getattr(err, 'code', '?'))


# ---------------------------------------------------------------------------------------
# commands

def metadata(input_):
    sp = sp_section(input_)
    xml = sp_metadata(sp)
    # Prove Lasso itself can load what it is given.
    if lasso.Server.newFromBuffers(xml, sp['key'], None, sp['cert']) is None:
        raise HarnessError('internal_error', 'Lasso could not load its own SP metadata')
    return {'metadata': xml}


def login_request(input_):
    sp = sp_section(input_)
    server = server_for(input_, sp)
    login = lasso.Login(server)
    login.initAuthnRequest(text(input_, 'idpEntityId', optional=True), lasso.HTTP_METHOD_REDIRECT)
    request = login.request
    request.protocolBinding = POST
    request.assertionConsumerServiceURL = sp['callbackUrl']
    policy = request.nameIdPolicy
    policy.allowCreate = True
    policy.format = sp['identifierFormat'] if sp['identifierFormat'] else None
    if sp['forceAuthn']:
        request.forceAuthn = True
    if sp['passive']:
        request.isPassive = True
    refs = sp['requestedAuthnContext']
    if refs:
        if not isinstance(refs, list) or not all(isinstance(r, str) and r for r in refs):
            raise bad('"requestedAuthnContext" must be an array of non-empty strings')
        if sp['racComparison'] not in COMPARISONS:
            raise bad('"racComparison" must be exact, minimum, maximum or better')
        requested = lasso.Samlp2RequestedAuthnContext()
        requested.authnContextClassRef = tuple(refs)
        requested.comparison = sp['racComparison']
        request.requestedAuthnContext = requested
    relay_state = text(input_, 'relayState', optional=True)
    if relay_state:
        login.msgRelayState = relay_state
    login.buildAuthnRequestMsg()
    return {
        'binding': 'redirect',
        'url': login.msgUrl,
        'requestId': request.iD,
        # What went on the wire (request.dump() would add Lasso's own SignType/SignMethod).
        'xml': zlib.decompress(base64.b64decode(parse_qs(urlsplit(login.msgUrl).query)['SAMLRequest'][0]), -15).decode('utf-8'),
    }


def attribute_values(attribute):
    values = []
    for value in attribute.attributeValue or ():
        pieces = []
        for node in value.any or ():
            if isinstance(node, lasso.MiscTextNode):
                pieces.append(node.content or '')
            else:
                pieces.append(node.dump())
        values.append(''.join(pieces))
    return values


def validate_response(input_):
    sp = sp_section(input_)
    server = server_for(input_, sp)
    saml_response = text(input_, 'samlResponse')
    request_id = text(input_, 'requestId')
    login = lasso.Login(server)
    # Verify every signature Lasso finds, whatever the metadata says.
    login.setSignatureVerifyHint(lasso.PROFILE_SIGNATURE_VERIFY_HINT_FORCE)
    try:
        login.processAuthnResponseMsg(saml_response)
    except lasso.Error as err:
        raise HarnessError('rejected', describe(err))
    response = login.response
    # Lasso keeps no request state between processes; SAML core §3.2.2 InResponseTo is checked here.
    if response.inResponseTo != request_id:
        raise HarnessError('rejected', 'InResponseTo %r is not the request ID %r' % (response.inResponseTo, request_id))
    try:
        login.acceptSso()
    except lasso.Error as err:
        raise HarnessError('rejected', describe(err))
    assertion = login.assertion
    if assertion is None:
        raise HarnessError('rejected', 'no assertion')
    check_web_sso(sp, input_, response, assertion, request_id)
    name_id = assertion.subject.nameID if assertion.subject is not None else None
    attributes = {}
    for statement in assertion.attributeStatement or ():
        for attribute in statement.attribute or ():
            values = attribute_values(attribute)
            attributes[attribute.name] = values[0] if len(values) == 1 else values
    class_ref = None
    session_index = None
    for statement in assertion.authnStatement or ():
        session_index = session_index or statement.sessionIndex
        if statement.authnContext is not None and statement.authnContext.authnContextClassRef:
            class_ref = statement.authnContext.authnContextClassRef
    return {
        'nameId': name_id.content if name_id is not None else None,
        'nameIdFormat': name_id.format if name_id is not None else None,
        'sessionIndex': session_index,
        'issuer': assertion.issuer.content if assertion.issuer is not None else None,
        'inResponseTo': response.inResponseTo,
        'attributes': attributes,
        'authnContextClassRef': class_ref,
        'assertionEncrypted': bool(response.encryptedAssertion),
        # What the SP application keeps for the citizen's session; soap-logout needs it back.
        'session': login.session.dump() if login.session is not None else None,
    }


def instant(value, what):
    try:
        return datetime.fromisoformat(value.replace('Z', '+00:00'))
    except (AttributeError, ValueError):
        raise HarnessError('rejected', '%s %r is not a dateTime' % (what, value))


def check_web_sso(sp, input_, response, assertion, request_id):
    """What Lasso's processAuthnResponseMsg/acceptSso leave to the application (mod_auth_mellon
    does the same itself): saml-profiles-2.0-os §4.1.4.3 and saml-core-2.0-os §2.5.1."""
    skew = input_.get('clockSkewSeconds', 0)
    if not isinstance(skew, int) or skew < 0:
        raise bad('"clockSkewSeconds" must be a non-negative integer')
    # Lasso's own Conditions checks: NotBefore/NotOnOrAfter (with tolerance) and the audience.
    if assertion.validateTimeChecks(skew) != lasso.SAML2_ASSERTION_VALID:
        raise HarnessError('conditions_time', 'Conditions NotBefore/NotOnOrAfter do not hold now (tolerance %ds)' % skew)
    if assertion.conditions is None or not assertion.conditions.audienceRestriction:
        raise HarnessError('no_audience', 'the assertion has no AudienceRestriction')
    if assertion.validateAudience(sp['entityId']) != lasso.SAML2_ASSERTION_VALID:
        raise HarnessError('audience_mismatch', 'the AudienceRestriction does not name %s' % sp['entityId'])
    # saml-bindings-2.0-os §3.5.5.2: a signed POST message carries Destination = where it arrived.
    if response.destination != sp['callbackUrl']:
        raise HarnessError('destination_mismatch', 'Response Destination %r is not the ACS %r' % (response.destination, sp['callbackUrl']))
    # §4.1.4.3: at least one bearer SubjectConfirmation with Recipient = ACS, NotOnOrAfter in the
    # future, InResponseTo = the request, and no NotBefore.
    now = datetime.now(timezone.utc)
    problems = []
    confirmations = assertion.subject.subjectConfirmation if assertion.subject is not None else None
    if confirmations is not None and not isinstance(confirmations, (list, tuple)):
        confirmations = [confirmations]
    for confirmation in confirmations or ():
        data = confirmation.subjectConfirmationData
        if confirmation.method != 'urn:oasis:names:tc:SAML:2.0:cm:bearer' or data is None:
            problems.append('not a bearer confirmation with data')
        elif data.recipient != sp['callbackUrl']:
            problems.append('Recipient %r' % data.recipient)
        elif data.inResponseTo != request_id:
            problems.append('InResponseTo %r' % data.inResponseTo)
        elif data.notBefore:
            problems.append('NotBefore present')
        elif not data.notOnOrAfter or (instant(data.notOnOrAfter, 'NotOnOrAfter') - now).total_seconds() <= -skew:
            problems.append('NotOnOrAfter %r' % data.notOnOrAfter)
        else:
            return
    raise HarnessError('subject_confirmation', 'no usable bearer SubjectConfirmation: %s' % ('; '.join(problems) or 'none'))


def soap_logout(input_):
    """The SP's SOAP SingleLogoutService (saml-profiles-2.0-os §4.4.4, saml-bindings-2.0-os §3.2): Lasso reads the
    LogoutRequest from the SOAP envelope as received, verifies its signature with the IdP metadata's key, matches its
    NameID and SessionIndex against the session the SP kept from the login, and builds the SOAP answer (Success, or the
    status Lasso chose when validateRequest refused)."""
    sp = sp_section(input_)
    server = server_for(input_, sp)
    envelope = text(input_, 'soapRequest')
    logout = lasso.Logout(server)
    logout.setSignatureVerifyHint(lasso.PROFILE_SIGNATURE_VERIFY_HINT_FORCE)
    try:
        logout.processRequestMsg(envelope)
    except lasso.Error as err:
        raise HarnessError('rejected', describe(err))
    request = logout.request
    session = input_.get('session')
    if session is not None:
        if not isinstance(session, str) or not session:
            raise bad('"session" must be the session dump validate-response returned')
        logout.setSessionFromDump(session)
    refused = None
    try:
        logout.validateRequest()
    except lasso.Error as err:
        refused = describe(err)
    logout.buildResponseMsg()
    response = logout.response
    status = response.status.statusCode if response is not None and response.status is not None else None
    name_id = request.nameId if request is not None else None
    return {
        'soapResponse': logout.msgBody,
        'requestId': request.iD if request is not None else None,
        'issuer': request.issuer.content if request is not None and request.issuer is not None else None,
        'nameId': name_id.content if name_id is not None else None,
        'sessionIndexes': list(request.sessionIndexes or ()) if request is not None else [],
        'status': status.value if status is not None else None,
        'refused': refused,
    }


COMMANDS = {
    'metadata': metadata,
    'login-request': login_request,
    'validate-response': validate_response,
    'soap-logout': soap_logout,
}


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else None
    run = COMMANDS.get(command)
    if run is None:
        raise HarnessError('unknown_command', 'usage: lasso-sp.py <%s> < input.json (got %s)'
                           % ('|'.join(COMMANDS), command or 'nothing'))
    raw = sys.stdin.read().strip()
    if not raw:
        raise bad('expected one JSON object on standard input, got nothing')
    try:
        input_ = json.loads(raw)
    except ValueError as err:
        raise bad('standard input is not JSON: %s' % err)
    if not isinstance(input_, dict):
        raise bad('standard input must be one JSON object')
    return run(input_)


if __name__ == '__main__':
    try:
        result = main()
        code = 0
    except HarnessError as err:
        result, code = {'error': err.error, 'detail': err.detail}, 1
    except lasso.Error as err:
        result, code = {'error': 'lasso_error', 'detail': describe(err)}, 1
    except Exception as err:  # the contract: one JSON object, never a traceback on stdout
        result, code = {'error': 'internal_error', 'detail': '%s: %s' % (type(err).__name__, err)}, 1
    if code and os.environ.get('LASSO_SP_DEBUG'):
        traceback.print_exc(file=sys.stderr)
    sys.stdout.write(json.dumps(result) + '\n')
    sys.stdout.flush()
    sys.exit(code)
