using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using IdentityHub.Saml.Signing;

namespace IdentityHub.Saml.Bindings;

/// <summary>
/// Sends a message by HTTP-Redirect (saml-bindings-2.0-os §3.4.4): DEFLATE (RFC 1951, raw), base64, URL-encoded into
/// the endpoint's query, signed over "SAMLRequest=…&amp;RelayState=…&amp;SigAlg=…" exactly as sent (§3.4.4.1). The
/// message itself carries no XML signature on this binding.
/// </summary>
internal static class RedirectBinding
{
    public static string Url(string location, string parameter, XmlDocument message, string? relayState, AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(message);
        var query = new StringBuilder(parameter).Append('=').Append(Uri.EscapeDataString(Deflate(message)));
        if (!string.IsNullOrEmpty(relayState))
        {
            query.Append("&RelayState=").Append(Uri.EscapeDataString(relayState));
        }

        query.Append("&SigAlg=").Append(Uri.EscapeDataString(SamlXmlSigner.SignatureMethodFor(key)));
        var signed = query.ToString();
        var signature = SamlXmlSigner.SignQuery(signed, key);
        return location + (location.Contains('?', StringComparison.Ordinal) ? '&' : '?') + signed + "&Signature=" + Uri.EscapeDataString(signature);
    }

    private static string Deflate(XmlDocument message)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            var bytes = Encoding.UTF8.GetBytes(message.OuterXml);
            deflate.Write(bytes);
        }

        return Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
