using System.IO.Compression;
using System.Text;
using System.Xml;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Signers;
using IdentityHub.Signing.Validation;
using IdentityHub.Signing.Xades;

namespace IdentityHub.Signing.Asic;

/// <summary>
/// Creates ASiC-E containers with XAdES signatures (ETSI EN 319 162-1 §4.4): a ZIP whose first entry is "mimetype",
/// stored, then the data files, META-INF/manifest.xml and META-INF/signatures0.xml holding one detached XAdES
/// signature whose references are the entry names. Only creates; reading containers is the validation service's.
/// </summary>
public sealed class AsicContainer
{
    /// <summary>EN 319 162-1 §4.4.2: the media type of an ASiC-E container, the content of its "mimetype" entry.</summary>
    public const string MediaType = "application/vnd.etsi.asic-e+zip";

    /// <summary>EN 319 162-1 §4.4.3.2: the root of the signature file, holding ds:Signature elements.</summary>
    public const string SignaturesNamespace = "http://uri.etsi.org/02918/v1.2.1#";

    public const string SignatureEntry = "META-INF/signatures0.xml";

    public const string ManifestEntry = "META-INF/manifest.xml";

    private readonly XadesSigner _xades;

    internal AsicContainer(XadesSigner xades)
    {
        _xades = xades;
    }

    public async Task<byte[]> CreateAsync(IReadOnlyList<SignedFile> files, SignerIdentity signer, SignatureLevel level, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        AsicEntryNames.Check(files);

        var signatures = XadesSigner.NewDocument();
        var root = signatures.CreateElement("asic", "XAdESSignatures", SignaturesNamespace);
        XmlBuilder.Declare(root, "asic", SignaturesNamespace);
        signatures.AppendChild(root);
        await _xades.SignDetachedIntoAsync(root, files, signer, level, cancellationToken);
        var signatureBytes = XadesSigner.Serialize(signatures);

        // Everything is signed before the first byte of the container is written: a refusal leaves no half container.
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8))
        {
            // EN 319 162-1 §4.4.2 (and A.1): first entry, not compressed, no extra field, so a reader finds the type at offset 38.
            Write(zip, "mimetype", Encoding.ASCII.GetBytes(MediaType), CompressionLevel.NoCompression);
            foreach (var file in files)
            {
                Write(zip, file.Name, file.Content.Span, CompressionLevel.Optimal);
            }

            Write(zip, ManifestEntry, Manifest(files), CompressionLevel.Optimal);
            Write(zip, SignatureEntry, signatureBytes, CompressionLevel.Optimal);
        }

        return buffer.ToArray();
    }

    private static void Write(ZipArchive zip, string name, ReadOnlySpan<byte> content, CompressionLevel compression)
    {
        var entry = zip.CreateEntry(name, compression);
        using var stream = entry.Open();
        stream.Write(content);
    }

    /// <summary>
    /// The OpenDocument manifest EN 319 162-1 §A.1 allows in ASiC-E (and which the Estonian BDOC profile requires): the
    /// container's own media type at "/", then each data file with its media type.
    /// </summary>
    private static byte[] Manifest(IReadOnlyList<SignedFile> files)
    {
        const string ns = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0";
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            writer.WriteStartElement("manifest", "manifest", ns);
            writer.WriteAttributeString("manifest", "version", ns, "1.2");
            WriteEntry(writer, "/", MediaType);
            foreach (var file in files)
            {
                WriteEntry(writer, file.Name, file.MimeType);
            }

            writer.WriteEndElement();
        }

        return buffer.ToArray();

        static void WriteEntry(XmlWriter writer, string path, string mediaType)
        {
            writer.WriteStartElement("manifest", "file-entry", ns);
            writer.WriteAttributeString("manifest", "full-path", ns, path);
            writer.WriteAttributeString("manifest", "media-type", ns, mediaType);
            writer.WriteEndElement();
        }
    }
}
