namespace IdentityHub.Signing.Xades;

/// <summary>Namespaces, element types and algorithm identifiers a XAdES baseline signature uses (ETSI EN 319 132-1 §4.3, W3C XMLDSig 1.0).</summary>
internal static class XadesNames
{
    public const string DsNamespace = "http://www.w3.org/2000/09/xmldsig#";
    public const string DsPrefix = "ds";

    /// <summary>XAdES 1.3.2 namespace, which EN 319 132-1 §4.2 keeps for the qualifying properties it inherits.</summary>
    public const string XadesNamespace = "http://uri.etsi.org/01903/v1.3.2#";
    public const string XadesPrefix = "xades";

    /// <summary>Type of the ds:Reference that signs the SignedProperties (EN 319 132-1 §4.3.1, XAdES §6.3).</summary>
    public const string SignedPropertiesType = "http://uri.etsi.org/01903#SignedProperties";

    /// <summary>Exclusive XML canonicalization 1.0 without comments (W3C xml-exc-c14n).</summary>
    public const string ExcC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";

    /// <summary>XMLDSig §6.6.4: removes the enclosing ds:Signature from an enveloping document's node-set.</summary>
    public const string EnvelopedSignatureTransform = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public const string Sha384 = "http://www.w3.org/2001/04/xmldsig-more#sha384";
    public const string Sha512 = "http://www.w3.org/2001/04/xmlenc#sha512";

    /// <summary>RFC 6931 §2.3.6: ECDSA whose SignatureValue is r || s, each the size of the curve's order.</summary>
    public const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
    public const string EcdsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";

    /// <summary>RFC 6931 §2.3.2: RSASSA-PKCS1-v1_5.</summary>
    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public const string RsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";

    /// <summary>Media type of a signed XML document's DataObjectFormat when it is signed enveloped (RFC 7303).</summary>
    public const string XmlMimeType = "text/xml";
}
