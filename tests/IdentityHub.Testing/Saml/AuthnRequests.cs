using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace IdentityHub.Testing.Saml;

/// <summary>
/// AuthnRequests (saml-core-2.0-os §3.4.1) as an SP sends them, signed for HTTP-POST (an enveloped signature,
/// saml-bindings §3.5.4) or HTTP-Redirect (SigAlg and Signature over the query octets, §3.4.4.1).
/// </summary>
public static class AuthnRequests
{
    public const string Protocol = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string Assertion = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string Ds = "http://www.w3.org/2000/09/xmldsig#";
    public const string PostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public const string RsaSha1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public const string Sha1 = "http://www.w3.org/2000/09/xmldsig#sha1";

    /// <summary>What a request says; null leaves the attribute or element out.</summary>
    public sealed record Fields
    {
        public required string Id { get; init; }

        public required string Issuer { get; init; }

        public required DateTimeOffset IssueInstant { get; init; }

        public string? Destination { get; init; }

        public string? AcsUrl { get; init; } = TestServiceProvider.Acs;

        public int? AcsIndex { get; init; }

        public string? ProtocolBinding { get; init; } = PostBinding;

        public string? ForceAuthn { get; init; }

        public string? IsPassive { get; init; }

        public string? NameIdFormat { get; init; } = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";

        public string? AllowCreate { get; init; } = "true";

        public string? Comparison { get; init; } = "minimum";

        public IReadOnlyList<string>? ClassRefs { get; init; } = ["http://eidas.europa.eu/LoA/low"];

        /// <summary>Markup placed in samlp:Extensions (right after Issuer), or null for none.</summary>
        public string? Extensions { get; init; }
    }

    public static string Xml(Fields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var xml = new StringBuilder();
        xml.Append("<samlp:AuthnRequest xmlns:samlp=\"").Append(Protocol).Append("\" xmlns:saml=\"").Append(Assertion).Append('"');
        Attribute(xml, "ID", fields.Id);
        Attribute(xml, "Version", "2.0");
        Attribute(xml, "IssueInstant", fields.IssueInstant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        Attribute(xml, "Destination", fields.Destination);
        Attribute(xml, "AssertionConsumerServiceURL", fields.AcsUrl);
        Attribute(xml, "AssertionConsumerServiceIndex", fields.AcsIndex?.ToString(CultureInfo.InvariantCulture));
        Attribute(xml, "ProtocolBinding", fields.ProtocolBinding);
        Attribute(xml, "ForceAuthn", fields.ForceAuthn);
        Attribute(xml, "IsPassive", fields.IsPassive);
        xml.Append("><saml:Issuer>").Append(SecurityElement.Escape(fields.Issuer)).Append("</saml:Issuer>");
        if (fields.Extensions is not null)
        {
            xml.Append("<samlp:Extensions>").Append(fields.Extensions).Append("</samlp:Extensions>");
        }

        if (fields.NameIdFormat is not null || fields.AllowCreate is not null)
        {
            xml.Append("<samlp:NameIDPolicy");
            Attribute(xml, "Format", fields.NameIdFormat);
            Attribute(xml, "AllowCreate", fields.AllowCreate);
            xml.Append("/>");
        }

        if (fields.ClassRefs is { Count: > 0 } refs)
        {
            xml.Append("<samlp:RequestedAuthnContext");
            Attribute(xml, "Comparison", fields.Comparison);
            xml.Append('>');
            foreach (var classRef in refs)
            {
                xml.Append("<saml:AuthnContextClassRef>").Append(SecurityElement.Escape(classRef)).Append("</saml:AuthnContextClassRef>");
            }

            xml.Append("</samlp:RequestedAuthnContext>");
        }

        return xml.Append("</samlp:AuthnRequest>").ToString();
    }

    /// <summary>How an enveloped signature is made; the defaults are what the hub accepts (saml-core §5.4).</summary>
    public sealed record SignatureOptions
    {
        public string SignatureMethod { get; init; } = RsaSha256;

        public string DigestMethod { get; init; } = Sha256;

        /// <summary>The Reference URI; null means "#" + the root's ID.</summary>
        public string? ReferenceUri { get; init; }

        /// <summary>Transforms after enveloped-signature; null means exclusive c14n only.</summary>
        public IReadOnlyList<Transform>? Transforms { get; init; }

        /// <summary>A certificate to put in KeyInfo (the hub must never verify with it).</summary>
        public X509Certificate2? KeyInfoCertificate { get; init; }
    }

    public static XmlDocument Parse(string xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        document.Load(reader);
        return document;
    }

    /// <summary>Signs the root of <paramref name="xml"/> and puts the signature right after its Issuer.</summary>
    public static XmlDocument SignEnveloped(string xml, AsymmetricAlgorithm key, SignatureOptions? options = null)
    {
        var document = Parse(xml);
        SignEnveloped(document.DocumentElement!, key, options);
        return document;
    }

    public static XmlElement SignEnveloped(XmlElement element, AsymmetricAlgorithm key, SignatureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(element);
        options ??= new SignatureOptions();
        var signedXml = new ElementSignedXml(element) { SigningKey = key };
        signedXml.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signedXml.SignedInfo.SignatureMethod = options.SignatureMethod;
        var reference = new Reference(options.ReferenceUri ?? "#" + element.GetAttribute("ID")) { DigestMethod = options.DigestMethod };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        foreach (var transform in options.Transforms ?? [new XmlDsigExcC14NTransform()])
        {
            reference.AddTransform(transform);
        }

        signedXml.AddReference(reference);
        if (options.KeyInfoCertificate is not null)
        {
            var keyInfo = new KeyInfo();
            keyInfo.AddClause(new KeyInfoX509Data(options.KeyInfoCertificate));
            signedXml.KeyInfo = keyInfo;
        }

        signedXml.ComputeSignature();
        var signature = (XmlElement)element.OwnerDocument.ImportNode(signedXml.GetXml(), deep: true);
        var issuer = element.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == "Issuer");
        if (issuer is null)
        {
            element.PrependChild(signature);
        }
        else
        {
            element.InsertAfter(signature, issuer);
        }

        return signature;
    }

    /// <summary>The HTTP-POST form's SAMLRequest value.</summary>
    public static string ForPost(XmlDocument document) => Convert.ToBase64String(Encoding.UTF8.GetBytes(ArgumentNullExceptionOuterXml(document)));

    public static byte[] Deflate(byte[] bytes, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, level))
        {
            deflate.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>saml-bindings-2.0-os §3.4.4.1 DEFLATE encoding of <paramref name="xml"/>: base64, then URL-encoded.</summary>
    public static string RedirectValue(string xml) => Uri.EscapeDataString(Convert.ToBase64String(Deflate(Encoding.UTF8.GetBytes(xml))));

    /// <summary>
    /// A signed HTTP-Redirect query (no leading "?"): SAMLRequest, RelayState (if any), SigAlg, then Signature over the
    /// first three exactly as written (§3.4.4.1). <paramref name="hash"/> is the digest SigAlg names.
    /// </summary>
    public static string RedirectQuery(string xml, RSA key, string? relayState = null, string sigAlg = RsaSha256, HashAlgorithmName? hash = null)
    {
        var query = "SAMLRequest=" + RedirectValue(xml);
        if (relayState is not null)
        {
            query += "&RelayState=" + Uri.EscapeDataString(relayState);
        }

        query += "&SigAlg=" + Uri.EscapeDataString(sigAlg);
        return query + "&Signature=" + Uri.EscapeDataString(SignOctets(query, key, hash ?? HashAlgorithmName.SHA256));
    }

    /// <summary>The base64 RSA PKCS#1 v1.5 signature of the ASCII octets of <paramref name="signedPart"/>.</summary>
    public static string SignOctets(string signedPart, RSA key, HashAlgorithmName hash)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToBase64String(key.SignData(Encoding.ASCII.GetBytes(signedPart), hash, RSASignaturePadding.Pkcs1));
    }

    /// <summary>The raw query as a list of (raw name, raw value), in order, for tests that rebuild it.</summary>
    public static List<KeyValuePair<string, string>> SplitQuery(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return [.. query.TrimStart('?').Split('&').Where(p => p.Length > 0).Select(p =>
        {
            var equals = p.IndexOf('=', StringComparison.Ordinal);
            return equals < 0 ? new KeyValuePair<string, string>(p, "") : new KeyValuePair<string, string>(p[..equals], p[(equals + 1)..]);
        })];
    }

    public static string JoinQuery(IEnumerable<KeyValuePair<string, string>> parameters) => string.Join('&', parameters.Select(p => p.Key + "=" + p.Value));

    /// <summary>The XML inside an HTTP-Redirect SAMLRequest value (URL-decoded, base64-decoded, inflated).</summary>
    public static string InflateRedirectValue(string rawValue)
    {
        using var input = new MemoryStream(Convert.FromBase64String(WebUtility.UrlDecode(rawValue)));
        using var inflate = new DeflateStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(inflate, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string ArgumentNullExceptionOuterXml(XmlDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.OuterXml;
    }

    private static void Attribute(StringBuilder xml, string name, string? value)
    {
        if (value is not null)
        {
            xml.Append(' ').Append(name).Append("=\"").Append(SecurityElement.Escape(value)).Append('"');
        }
    }

    /// <summary>
    /// SignedXml that resolves the Reference to the element being signed, whatever else carries its ID: tests sign
    /// messages the hub must refuse (duplicate IDs, an empty ID), which SignedXml's own lookup declines to sign.
    /// </summary>
    private sealed class ElementSignedXml(XmlElement element) : SignedXml(element.OwnerDocument)
    {
        public override XmlElement? GetIdElement(XmlDocument? document, string idValue) =>
            element.GetAttribute("ID") == idValue ? element : base.GetIdElement(document, idValue);
    }
}
