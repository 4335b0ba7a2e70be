namespace IdentityHub.Saml.Saml;

/// <summary>
/// The names SAML 2.0 and its profiles give to things (OASIS saml-core-2.0-os, saml-bindings-2.0-os,
/// saml-profiles-2.0-os, saml-metadata-2.0-os; eIDAS SAML Attribute Profile 1.2), spelled once.
/// </summary>
internal static class SamlNames
{
    public const string Protocol = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string Assertion = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string Metadata = "urn:oasis:names:tc:SAML:2.0:metadata";
    public const string XmlDsig = "http://www.w3.org/2000/09/xmldsig#";
    public const string XmlEnc = "http://www.w3.org/2001/04/xmlenc#";
    public const string XmlEnc11 = "http://www.w3.org/2009/xmlenc11#";
    public const string XmlSchemaInstance = "http://www.w3.org/2001/XMLSchema-instance";
    public const string Eidas = "http://eidas.europa.eu/saml-extensions";

    public const string Version = "2.0";
}

/// <summary>saml-bindings-2.0-os §3.</summary>
internal static class SamlBindings
{
    public const string HttpRedirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    public const string HttpPost = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

    /// <summary>saml-bindings-2.0-os §3.2: SOAP 1.1 over HTTP, for IdP-to-SP logout without the browser.</summary>
    public const string Soap = "urn:oasis:names:tc:SAML:2.0:bindings:SOAP";

    /// <summary>§3.4.4.1: the only DEFLATE encoding defined for HTTP-Redirect.</summary>
    public const string DeflateEncoding = "urn:oasis:names:tc:SAML:2.0:bindings:URL-Encoding:DEFLATE";

    /// <summary>§3.4.3, §3.5.3: RelayState MUST NOT exceed 80 bytes.</summary>
    public const int MaxRelayStateBytes = 80;
}

/// <summary>saml-core-2.0-os §3.2.2.2 status codes.</summary>
internal static class SamlStatus
{
    public const string Success = "urn:oasis:names:tc:SAML:2.0:status:Success";
    public const string Requester = "urn:oasis:names:tc:SAML:2.0:status:Requester";
    public const string Responder = "urn:oasis:names:tc:SAML:2.0:status:Responder";
    public const string VersionMismatch = "urn:oasis:names:tc:SAML:2.0:status:VersionMismatch";
    public const string AuthnFailed = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed";
    public const string InvalidNameIdPolicy = "urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy";
    public const string NoAuthnContext = "urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext";
    public const string NoPassive = "urn:oasis:names:tc:SAML:2.0:status:NoPassive";
    public const string RequestDenied = "urn:oasis:names:tc:SAML:2.0:status:RequestDenied";
    public const string RequestUnsupported = "urn:oasis:names:tc:SAML:2.0:status:RequestUnsupported";
    public const string UnsupportedBinding = "urn:oasis:names:tc:SAML:2.0:status:UnsupportedBinding";
    public const string PartialLogout = "urn:oasis:names:tc:SAML:2.0:status:PartialLogout";
    public const string UnknownPrincipal = "urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal";
}

/// <summary>saml-core-2.0-os §8.3 name identifier formats.</summary>
internal static class SamlNameIdFormats
{
    public const string Persistent = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
    public const string Transient = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
    public const string Unspecified = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
}

/// <summary>saml-core-2.0-os §3.3.2.2.1 comparison of RequestedAuthnContext.</summary>
internal static class SamlComparison
{
    public const string Exact = "exact";
    public const string Minimum = "minimum";
    public const string Better = "better";
    public const string Maximum = "maximum";
}

/// <summary>The eIDAS natural-person attributes (eIDAS SAML Attribute Profile v1.2 §2.2) the hub can release.</summary>
internal static class EidasAttributes
{
    public const string NameFormatUri = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri";
    public const string PersonIdentifier = "http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier";
    public const string CurrentFamilyName = "http://eidas.europa.eu/attributes/naturalperson/CurrentFamilyName";
    public const string CurrentGivenName = "http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName";
    public const string DateOfBirth = "http://eidas.europa.eu/attributes/naturalperson/DateOfBirth";
}

/// <summary>The XML signature and encryption algorithms the hub accepts and produces (an allow-list; SHA-1 is not in it).</summary>
internal static class SamlAlgorithms
{
    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public const string RsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
    public const string RsaSha512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
    public const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
    public const string EcdsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
    public const string EcdsaSha512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";
    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public const string Sha384 = "http://www.w3.org/2001/04/xmldsig-more#sha384";
    public const string Sha512 = "http://www.w3.org/2001/04/xmlenc#sha512";
    public const string ExclusiveC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
    public const string ExclusiveC14nWithComments = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
    public const string EnvelopedSignature = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

    public const string Aes256Gcm = "http://www.w3.org/2009/xmlenc11#aes256-gcm";
    public const string Aes128Gcm = "http://www.w3.org/2009/xmlenc11#aes128-gcm";
    public const string Aes256Cbc = "http://www.w3.org/2001/04/xmlenc#aes256-cbc";
    public const string Aes128Cbc = "http://www.w3.org/2001/04/xmlenc#aes128-cbc";
    public const string RsaOaepMgf1p = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
    public const string RsaOaep = "http://www.w3.org/2009/xmlenc11#rsa-oaep";
    public const string Mgf1Sha256 = "http://www.w3.org/2009/xmlenc11#mgf1sha256";

    /// <summary>Signature methods accepted on messages from service providers.</summary>
    public static IReadOnlySet<string> AcceptedSignatureMethods { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        RsaSha256, RsaSha384, RsaSha512, EcdsaSha256, EcdsaSha384, EcdsaSha512,
    };

    /// <summary>Digest methods accepted in a Reference.</summary>
    public static IReadOnlySet<string> AcceptedDigestMethods { get; } = new HashSet<string>(StringComparer.Ordinal) { Sha256, Sha384, Sha512 };
}

/// <summary>The eIDAS levels of assurance as SAML AuthnContextClassRef values.</summary>
internal static class EidasLevels
{
    public const string Low = "http://eidas.europa.eu/LoA/low";
    public const string Substantial = "http://eidas.europa.eu/LoA/substantial";
    public const string High = "http://eidas.europa.eu/LoA/high";
}
