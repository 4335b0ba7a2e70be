using System.Text;
using System.Xml;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Signing;
using IdentityHub.Saml.Tests.Responses;

namespace IdentityHub.Saml.Tests.Signing;

/// <summary>Building blocks the signing, encryption and metadata tests share.</summary>
internal static class SignedDocuments
{
    /// <summary>saml-profiles §4.1.3.5 order: the Assertion is signed first, then the Response around it.</summary>
    public static XmlDocument SignedResponse(TestKey idp, bool signResponse = true)
    {
        var document = ResponseBuilder.Success(Samples.Content());
        SamlXmlSigner.Sign(ResponseBuilder.AssertionOf(document), idp.Key, idp.Certificate);
        if (signResponse)
        {
            SamlXmlSigner.Sign(document.DocumentElement!, idp.Key, idp.Certificate);
        }

        return document;
    }

    public static string Write(XmlDocument document, string path)
    {
        File.WriteAllText(path, document.OuterXml, new UTF8Encoding(false));
        return path;
    }

    /// <summary>A copy of the file with one byte of signed content changed (same length, so nothing else moves).</summary>
    public static string Tamper(string path, string original, string replacement)
    {
        Assert.Equal(original.Length, replacement.Length);
        var text = File.ReadAllText(path);
        Assert.Contains(original, text, StringComparison.Ordinal);
        var index = text.IndexOf(original, StringComparison.Ordinal);
        var tampered = string.Concat(text.AsSpan(0, index), replacement, text.AsSpan(index + original.Length));
        var tamperedPath = path + ".tampered.xml";
        File.WriteAllText(tamperedPath, tampered, new UTF8Encoding(false));
        return tamperedPath;
    }

    public const string ResponseSignatureXPath = "/*[local-name()='Response']/*[local-name()='Signature']";
    public const string AssertionSignatureXPath = "/*[local-name()='Response']/*[local-name()='Assertion']/*[local-name()='Signature']";
}
