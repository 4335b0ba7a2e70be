using System.Xml;
using IdentityHub.Signing.Documents;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Validation.Xades;

/// <summary>
/// Reads XML documents signed with XAdES (EN 319 132-1) or plain XMLDSig: enveloped, enveloping, or detached with the
/// originals given in <see cref="ValidationInput.DetachedContents"/>. Every top-level ds:Signature is one signature;
/// counter-signatures inside another signature's unsigned properties are not reported separately.
/// </summary>
internal sealed class XadesReader(IOptions<SigningOptions> options) : ISignatureReader
{
    /// <summary>Most signatures read from one document: each costs a full verification, so hostile input must not choose how many.</summary>
    public const int MaxSignatures = 100;

    public string Container => "XAdES";

    public bool CanRead(ValidationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        ReadOnlySpan<byte> head = input.Document.Span;
        head = head.StartsWith("\uFEFF"u8) ? head[3..] : head;
        int first = head.IndexOfAnyExcept(" \t\r\n"u8);
        return first >= 0 && head[first] == (byte)'<';
    }

    public Task<IReadOnlyList<SignatureEvidence>> ReadAsync(ValidationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        cancellationToken.ThrowIfCancellationRequested();
        long limit = options.Value.MaxDocumentBytes;
        if (input.Document.Length > limit)
        {
            throw new DocumentRejectedException(DocumentProblems.TooLarge, $"the document is larger than {limit} bytes");
        }

        XmlDocument document = SafeXml.Load(input.Document, limit);
        return Task.FromResult(Read(document, input.DetachedContents, limit));
    }

    /// <summary>The signatures of a parsed document; also used by the ASiC reader with the container's files as detached contents.</summary>
    public static IReadOnlyList<SignatureEvidence> Read(XmlDocument document, IReadOnlyList<SignedFile> detached, long maxCharacters)
    {
        ArgumentNullException.ThrowIfNull(document);
        List<XmlElement> signatures = [.. document.GetElementsByTagName("Signature", XmlDsig.Namespace).OfType<XmlElement>().Where(IsTopLevel)];
        if (signatures.Count == 0)
        {
            throw new DocumentRejectedException(DocumentProblems.NoSignature, "the XML document holds no ds:Signature");
        }

        if (signatures.Count > MaxSignatures)
        {
            throw new DocumentRejectedException(DocumentProblems.TooLarge, $"the document holds {signatures.Count} signatures, more than {MaxSignatures}");
        }

        var reader = new XadesSignatureReader(document, detached, maxCharacters);
        return [.. signatures.Select((signature, i) => reader.Read(signature, i + 1))];
    }

    private static bool IsTopLevel(XmlElement signature)
    {
        for (XmlNode? ancestor = signature.ParentNode; ancestor is XmlElement element; ancestor = element.ParentNode)
        {
            if (element.LocalName == "Signature" && element.NamespaceURI == XmlDsig.Namespace)
            {
                return false;
            }
        }

        return true;
    }
}
