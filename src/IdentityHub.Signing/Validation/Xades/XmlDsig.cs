namespace IdentityHub.Signing.Validation.Xades;

/// <summary>Namespaces and algorithm identifiers of W3C XMLDSig 1.1 (§6), XAdES (EN 319 132-1 §4.2) and ASiC (EN 319 162-1).</summary>
internal static class XmlDsig
{
    public const string Namespace = "http://www.w3.org/2000/09/xmldsig#";
    public const string XadesNamespace = "http://uri.etsi.org/01903/v1.3.2#";
    public const string Xades141Namespace = "http://uri.etsi.org/01903/v1.4.1#";
    public const string AsicNamespace = "http://uri.etsi.org/02918/v1.2.1#";
    public const string SignedPropertiesType = "http://uri.etsi.org/01903#SignedProperties";

    // Canonicalization (XMLDSig §6.5).
    public const string C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
    public const string C14NWithComments = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
    public const string C14N11 = "http://www.w3.org/2006/12/xml-c14n11";
    public const string C14N11WithComments = "http://www.w3.org/2006/12/xml-c14n11#WithComments";
    public const string ExcC14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
    public const string ExcC14NWithComments = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";

    // Transforms (XMLDSig §6.6).
    public const string EnvelopedSignature = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    public const string XPath = "http://www.w3.org/TR/1999/REC-xpath-19991116";

    public static bool IsCanonicalization(string algorithm) =>
        algorithm is C14N or C14NWithComments or C14N11 or C14N11WithComments or ExcC14N or ExcC14NWithComments;
}
