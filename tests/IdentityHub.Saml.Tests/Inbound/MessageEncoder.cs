using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Tests.Inbound;

/// <summary>Encodes messages as an SP would for HTTP-POST (base64) and HTTP-Redirect (DEFLATE, base64, URL-encoding, query signature).</summary>
internal static class MessageEncoder
{
    public const int MaxBytes = 64 * 1024;

    public static string ForPost(XmlDocument document) => Convert.ToBase64String(Encoding.UTF8.GetBytes(document.OuterXml));

    public static byte[] Deflate(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal))
        {
            deflate.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>saml-bindings-2.0-os §3.4.4.1, with <paramref name="encode"/> standing for the SP's URL encoder.</summary>
    public static string ForRedirect(
        string xml,
        string parameter = "SAMLRequest",
        string? relayState = null,
        AsymmetricAlgorithm? key = null,
        string? sigAlg = null,
        bool ecdsaDer = false,
        Func<string, string>? encode = null)
    {
        encode ??= Uri.EscapeDataString;
        string query = parameter + "=" + encode(Convert.ToBase64String(Deflate(Encoding.UTF8.GetBytes(xml))));
        if (relayState is not null)
        {
            query += "&RelayState=" + encode(relayState);
        }

        if (key is null)
        {
            return query;
        }

        sigAlg ??= key is ECDsa ? SamlAlgorithms.EcdsaSha256 : SamlAlgorithms.RsaSha256;
        query += "&SigAlg=" + encode(sigAlg);
        byte[] octets = Encoding.ASCII.GetBytes(query);
        byte[] signature = key switch
        {
            RSA rsa => rsa.SignData(octets, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => ecdsa.SignData(octets, HashAlgorithmName.SHA256, ecdsaDer ? DSASignatureFormat.Rfc3279DerSequence : DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => throw new ArgumentException("RSA or ECDSA", nameof(key)),
        };
        return "?" + query + "&Signature=" + encode(Convert.ToBase64String(signature));
    }

    public static SamlReadResult ReadPost(XmlDocument document, string? relayState = null) =>
        SamlMessageReader.ReadPost(ForPost(document), relayState, MaxBytes);

    public static SamlReadResult ReadPost(string xml) =>
        SamlMessageReader.ReadPost(Convert.ToBase64String(Encoding.UTF8.GetBytes(xml)), null, MaxBytes);
}
