using System.Text;
using System.Xml;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation;
using IdentityHub.Signing.Validation.Xades;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Tests.XmlValidation;

/// <summary>Reads a corpus XML signature after changing one node chosen by XPath (Sustainsys.Saml2's negative-test style).</summary>
internal static class XmlMutation
{
    static XmlMutation()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static XmlNamespaceManager Namespaces(XmlDocument document)
    {
        var manager = new XmlNamespaceManager(document.NameTable);
        manager.AddNamespace("ds", "http://www.w3.org/2000/09/xmldsig#");
        manager.AddNamespace("xades", "http://uri.etsi.org/01903/v1.3.2#");
        manager.AddNamespace("xades141", "http://uri.etsi.org/01903/v1.4.1#");
        return manager;
    }

    public static XmlDocument Load(byte[] bytes)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var stream = new MemoryStream(bytes);
        document.Load(stream);
        return document;
    }

    public static byte[] Save(XmlDocument document)
    {
        using var stream = new MemoryStream();
        document.Save(stream);
        return stream.ToArray();
    }

    public static XmlNode Select(XmlDocument document, string xpath) =>
        document.SelectSingleNode(xpath, Namespaces(document)) ?? throw new InvalidOperationException("the mutation's XPath selects nothing: " + xpath);

    public static async Task<SignatureEvidence> ReadAsync(string file, Action<XmlDocument>? mutate)
    {
        ValidationInput original = SignatureCorpus.Input(file);
        XmlDocument document = Load(original.Document.ToArray());
        mutate?.Invoke(document);
        return await ReadAsync(Save(document), original.DetachedContents);
    }

    public static async Task<SignatureEvidence> ReadAsync(byte[] xml, IReadOnlyList<SignedFile>? detached = null)
    {
        var reader = new XadesReader(Options.Create(new SigningOptions()));
        IReadOnlyList<SignatureEvidence> signatures = await reader.ReadAsync(new ValidationInput("mutated.xml", xml, detached ?? []), CancellationToken.None);
        return Assert.Single(signatures);
    }

    /// <summary>Changes one base64 character in the middle of a node's text (still valid base64, different bytes).</summary>
    public static void FlipBase64(XmlNode node)
    {
        string text = node.InnerText;
        int i = text.Length / 2;
        while (!char.IsLetterOrDigit(text[i]))
        {
            i++;
        }

        node.InnerText = text[..i] + (text[i] == 'A' ? 'B' : 'A') + text[(i + 1)..];
    }
}
