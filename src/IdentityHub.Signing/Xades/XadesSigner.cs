using System.Security.Cryptography;
using System.Text;
using System.Xml;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Signers;
using IdentityHub.Signing.Validation;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Xades;

/// <summary>
/// Creates XAdES baseline signatures (ETSI EN 319 132-1) at B-B, B-T or B-LT: enveloped into an XML document, or
/// detached over any files (the signature names each file by URI). Every signature value is made through the signer's
/// key handle; the document is refused before anything is signed when it is not safe XML.
/// </summary>
public sealed class XadesSigner
{
    private readonly XadesUnsignedProperties _unsigned;
    private readonly TimeProvider _time;
    private readonly long _maxDocumentBytes;

    internal XadesSigner(XadesUnsignedProperties unsignedProperties, TimeProvider time, IOptions<SigningOptions> options)
    {
        _unsigned = unsignedProperties;
        _time = time;
        _maxDocumentBytes = options.Value.MaxDocumentBytes;
    }

    /// <summary>
    /// Signs an XML document enveloped: the ds:Signature is appended to the document element and its first reference
    /// (URI="", enveloped-signature and exc-c14n transforms, XMLDSig §6.6.4) covers the whole document. Returns the
    /// signed document, UTF-8.
    /// </summary>
    public async Task<byte[]> SignEnvelopedAsync(ReadOnlyMemory<byte> xml, SignerIdentity signer, SignatureLevel level, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signer);
        CheckLevel(level);
        CheckSize(xml.Length);
        var document = XmlDocuments.Load(xml);

        // The enveloped-signature transform removes exactly the signature appended below, so the canonical document
        // taken now is what the verifier's transform chain yields.
        var digest = SHA256.HashData(ExclusiveCanonicalizer.Canonicalize(document));
        var signature = XadesSignatureBuilder.Build(document.DocumentElement!, [new DataReference("", digest, XadesNames.XmlMimeType, Enveloped: true)],
            signer, _time.GetUtcNow());
        await RaiseAsync(signature, signer, level, cancellationToken);
        return Serialize(document);
    }

    /// <summary>
    /// Signs files detached: one ds:Reference per file whose URI is the file name (each path segment URI-escaped,
    /// RFC 3986) and whose digest is over the file's bytes. Returns the signature document (ds:Signature as root).
    /// </summary>
    public async Task<byte[]> SignDetachedAsync(IReadOnlyList<SignedFile> files, SignerIdentity signer, SignatureLevel level, CancellationToken cancellationToken)
    {
        var document = NewDocument();
        await SignDetachedIntoAsync(document, files, signer, level, cancellationToken);
        return Serialize(document);
    }

    /// <summary>The detached signature appended to <paramref name="parent"/> (the ASiC XAdESSignatures root, or a new document).</summary>
    internal async Task<XmlElement> SignDetachedIntoAsync(XmlNode parent, IReadOnlyList<SignedFile> files, SignerIdentity signer, SignatureLevel level,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(signer);
        CheckLevel(level);
        if (files.Count == 0)
        {
            throw new DocumentRejectedException(DocumentProblems.Unsupported, "Nothing to sign: no file was given.");
        }

        CheckSize(files.Sum(f => (long)f.Content.Length));
        DetachedFileNames.Check(files);

        var references = files.Select(f => new DataReference(UriOf(f.Name), SHA256.HashData(f.Content.Span), f.MimeType, Enveloped: false)).ToList();
        var signature = XadesSignatureBuilder.Build(parent, references, signer, _time.GetUtcNow());
        await RaiseAsync(signature, signer, level, cancellationToken);
        return signature;
    }

    internal static XmlDocument NewDocument() => new() { PreserveWhitespace = true, XmlResolver = null };

    /// <summary>
    /// UTF-8 without a byte-order mark, carriage returns written as character references so that a parser does not
    /// normalise them away (XML 1.0 §2.11) and change the canonical form the digests were taken over.
    /// </summary>
    internal static byte[] Serialize(XmlDocument document)
    {
        if (document.FirstChild is XmlDeclaration declaration)
        {
            document.RemoveChild(declaration);
        }

        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = false,
            NewLineHandling = NewLineHandling.Entitize,
            OmitXmlDeclaration = false,
        };
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, settings))
        {
            document.Save(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>A file name as a relative URI reference: each path segment percent-encoded (RFC 3986 §2.1), "/" kept.</summary>
    internal static string UriOf(string name) => string.Join('/', name.Split('/').Select(Uri.EscapeDataString));

    private async Task RaiseAsync(XmlElement signature, SignerIdentity signer, SignatureLevel level, CancellationToken cancellationToken)
    {
        if (level == SignatureLevel.BaselineB)
        {
            return;
        }

        var token = await _unsigned.AddSignatureTimeStampAsync(signature, cancellationToken);
        if (level == SignatureLevel.BaselineLT)
        {
            await _unsigned.AddValidationDataAsync(signature, [.. signer.FullChainDer], token, cancellationToken);
        }
    }

    private void CheckSize(long bytes)
    {
        if (bytes > _maxDocumentBytes)
        {
            throw new DocumentRejectedException(DocumentProblems.TooLarge, $"The documents are larger than the {_maxDocumentBytes} bytes the service signs.");
        }
    }

    private static void CheckLevel(SignatureLevel level)
    {
        if (level is not (SignatureLevel.BaselineB or SignatureLevel.BaselineT or SignatureLevel.BaselineLT))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "XAdES signatures are made at B-B, B-T or B-LT.");
        }
    }
}
