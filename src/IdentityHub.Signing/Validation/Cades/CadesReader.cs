using IdentityHub.Signing.Documents;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;

namespace IdentityHub.Signing.Validation.Cades;

/// <summary>
/// CAdES (ETSI EN 319 122-1): a DER or BER CMS SignedData (RFC 5652 §5), enveloping (.p7m, eContent present) or
/// detached (.p7s, the original uploaded beside it). Every SignerInfo is one signature.
/// </summary>
internal sealed class CadesReader : ISignatureReader
{
    private static readonly string[] Extensions = [".p7s", ".p7m", ".pkcs7", ".p7", ".cms"];

    // DER of OBJECT IDENTIFIER 1.2.840.113549.1.7.2 (RFC 5652 §5.1 id-signedData).
    private static readonly byte[] SignedDataOid = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];

    public string Container => "CAdES";

    public bool CanRead(ValidationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return LooksLikeCms(input.Document.Span) || Extensions.Any(e => input.Name.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A SignedData ContentInfo is a SEQUENCE (0x30) that opens with the signed-data OID within its first octets.</summary>
    public static bool LooksLikeCms(ReadOnlySpan<byte> document)
    {
        var head = document[..Math.Min(16, document.Length)];
        return head.Length > 0 && head[0] == 0x30 && head.IndexOf(SignedDataOid) > 0;
    }

    public Task<IReadOnlyList<SignatureEvidence>> ReadAsync(ValidationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var signedData = Parse(input.Document);
        var encapsulated = signedData.EncapContentInfo.Content is Asn1OctetString octets ? octets.GetOctets() : null;
        var content = encapsulated is not null ? SignedContent.Of(encapsulated)
            : Original(input) is { } original ? SignedContent.Of(original.Content)
            : SignedContent.Missing("The signature is detached and its original was not supplied.");
        var evidence = new List<SignatureEvidence>();
        var index = 0;
        foreach (var element in signedData.SignerInfos.Cast<Asn1Encodable>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            index++;
            var signed = encapsulated is not null ? $"enveloped content ({encapsulated.Length} bytes)" : Original(input)?.Name ?? "detached content (not supplied)";
            evidence.Add(CmsSignerReader.ReadSafely($"signer-{index}", SignatureFormat.Cades, signedData, element, content) with { SignedObjects = [signed] });
        }

        return evidence.Count == 0
            ? throw new DocumentRejectedException(DocumentProblems.NoSignature, "The CMS SignedData holds no SignerInfo.")
            : Task.FromResult<IReadOnlyList<SignatureEvidence>>(evidence);
    }

    /// <summary>Parses a SignedData ContentInfo after <see cref="BerGuard"/> bounded its structure.</summary>
    public static SignedData Parse(ReadOnlyMemory<byte> der)
    {
        var length = BerGuard.CheckedLength(der.Span);
        try
        {
            var info = ContentInfo.GetInstance(Asn1Object.FromByteArray(der[..length].ToArray()));
            if (info.ContentType.Id != CmsAttributes.SignedData)
            {
                throw new DocumentRejectedException(DocumentProblems.Unsupported, $"The CMS content type is {info.ContentType.Id}, not signed-data.");
            }

            return SignedData.GetInstance(info.Content);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or IOException or InvalidOperationException)
        {
            throw new DocumentRejectedException(DocumentProblems.Unsupported, "The CMS SignedData structure is malformed: " + ex.Message, ex);
        }
    }

    // The original of a detached signature: the only file given, or the one named like the signature without ".p7s".
    private static SignedFile? Original(ValidationInput input) =>
        input.DetachedContents.Count == 1 ? input.DetachedContents[0]
        : input.DetachedContents.FirstOrDefault(f => input.Name.StartsWith(f.Name, StringComparison.Ordinal));
}
