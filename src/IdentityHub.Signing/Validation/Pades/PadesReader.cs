using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation.Cades;
using Org.BouncyCastle.Asn1;

namespace IdentityHub.Signing.Validation.Pades;

/// <summary>
/// PAdES (ETSI EN 319 142-1) and other PDF signatures (ISO 32000-1 §12.8): every signature dictionary found in the
/// file is one signature; document time-stamps (/SubFilter ETSI.RFC3161) are time-stamps over the signatures
/// before them. The CMS in /Contents is read as CAdES over the two ByteRange segments.
/// </summary>
internal sealed class PadesReader : ISignatureReader
{
    public string Container => "PAdES";

    public bool CanRead(ValidationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // §7.5.2: the header "%PDF-" is at the start; readers tolerate up to 1024 leading bytes.
        // A CMS that envelops a PDF (a .p7m over a .pdf) is CAdES, not PAdES.
        return !CadesReader.LooksLikeCms(input.Document.Span)
            && (input.Document.Span[..Math.Min(1024, input.Document.Length)].IndexOf("%PDF-"u8) >= 0 || input.Name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase));
    }

    public Task<IReadOnlyList<SignatureEvidence>> ReadAsync(ValidationInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Document.Span[..Math.Min(1024, input.Document.Length)].IndexOf("%PDF-"u8) < 0)
        {
            throw new DocumentRejectedException(DocumentProblems.NotPdf, "The file is not a PDF: it has no %PDF- header.");
        }

        var file = new PdfFile(input.Document);
        var dictionaries = PdfSignatureScanner.Find(file);
        if (dictionaries.Count == 0)
        {
            throw new DocumentRejectedException(DocumentProblems.NoSignature, "The PDF holds no signature dictionary.");
        }

        var dss = DssReader.Read(file);
        var timestamps = dictionaries.Where(d => d.IsDocumentTimestamp).Select(d => DocumentTimestamp(file, d)).ToList();
        var evidence = new List<SignatureEvidence>();
        var index = 0;
        foreach (var signature in dictionaries.Where(d => !d.IsDocumentTimestamp))
        {
            cancellationToken.ThrowIfCancellationRequested();
            index++;
            evidence.Add(Signature(file, signature, signature.FieldName ?? $"Signature {index}", dss, timestamps));
        }

        return Task.FromResult<IReadOnlyList<SignatureEvidence>>(evidence);
    }

    private static SignatureEvidence Signature(PdfFile file, PdfSignatureDictionary found, string id, DssContents dss, IReadOnlyList<DocumentTimestampFound> timestamps)
    {
        var dictionary = found.Dictionary;
        var failed = new SignatureEvidence { Id = id, Format = SignatureFormat.Pades, ClaimedLevel = SignatureLevel.None };
        var coverage = ByteRangeCheck.Check(file, dictionary, out var problem);
        if (problem is not null)
        {
            return failed with { FormatProblem = problem };
        }

        var subFilter = dictionary.Name("SubFilter");
        if (subFilter is not ("ETSI.CAdES.detached" or "adbe.pkcs7.detached"))
        {
            return failed with { FormatProblem = $"The /SubFilter {subFilter ?? "(none)"} is not supported (ETSI.CAdES.detached and adbe.pkcs7.detached are)." };
        }

        Org.BouncyCastle.Asn1.Cms.SignedData signedData;
        try
        {
            signedData = CadesReader.Parse(((PdfString)dictionary["Contents"]!).Bytes);
        }
        catch (DocumentRejectedException ex)
        {
            return failed with { FormatProblem = "The signature's /Contents is not a CMS SignedData: " + ex.Message };
        }

        if (signedData.SignerInfos.Count != 1)
        {
            return failed with { FormatProblem = "A PDF signature's CMS must hold exactly one SignerInfo (EN 319 142-1 §6.3)." };
        }

        var evidence = CmsSignerReader.ReadSafely(id, SignatureFormat.Pades, signedData, signedData.SignerInfos[0], new SignedContent(coverage.Segments));
        if (evidence.FormatProblem is not null)
        {
            return evidence;
        }

        // Document time-stamps later in the file cover this revision. Before any /DSS they prove the signature existed
        // (PAdES B-T, EN 319 142-1 §6.3 allows a document time-stamp for it); after the /DSS they also protect the
        // validation data (B-LTA).
        var covering = timestamps.Where(t => t.ContentsStart > coverage.End).ToList();
        var archive = covering.Where(t => dss.FirstOffset is { } first && first < t.ContentsStart).Select(t => t.Evidence).ToList();
        var signatureTimestamps = evidence.SignatureTimestamps.Concat(covering.Where(t => dss.FirstOffset is not { } first || first >= t.ContentsStart).Select(t => t.Evidence)).ToList();
        var signed = $"revision {coverage.Revision} of {coverage.Revisions} (bytes 0 to {coverage.End} of {file.Bytes.Length})";
        return evidence with
        {
            ClaimedSigningTime = evidence.ClaimedSigningTime ?? PdfDate.Parse(PdfSignatureScanner.TextString(dictionary["M"])),
            ClaimedLevel = evidence.SigningCertificateReferenceMatches is null ? SignatureLevel.None
                : archive.Count > 0 ? SignatureLevel.BaselineLTA : dss.FirstOffset is not null ? SignatureLevel.BaselineLT
                : signatureTimestamps.Count > 0 ? SignatureLevel.BaselineT : SignatureLevel.BaselineB,
            Certificates = [.. evidence.Certificates, .. dss.Certificates],
            OcspResponses = [.. evidence.OcspResponses, .. dss.OcspResponses],
            Crls = [.. evidence.Crls, .. dss.Crls],
            SignatureTimestamps = signatureTimestamps,
            ArchiveTimestamps = [.. evidence.ArchiveTimestamps, .. archive],
            SignedObjects = [signed, .. LaterRevisions.Describe(file, coverage.End)],
        };
    }

    private static DocumentTimestampFound DocumentTimestamp(PdfFile file, PdfSignatureDictionary found)
    {
        var contentsStart = found.Dictionary["Contents"] is PdfString contents ? contents.Start : int.MaxValue;
        var coverage = ByteRangeCheck.Check(file, found.Dictionary, out var problem);
        if (problem is not null || found.Dictionary["Contents"] is not PdfString { Bytes: var token })
        {
            return new DocumentTimestampFound(contentsStart, new TimestampEvidence([], false, "The document time-stamp's ByteRange is invalid: " + problem));
        }

        byte[] der;
        try
        {
            der = token.AsSpan(0, BerGuard.CheckedLength(token)).ToArray();
        }
        catch (DocumentRejectedException ex)
        {
            return new DocumentTimestampFound(contentsStart, new TimestampEvidence(token, false, ex.Message));
        }

        // ETSI EN 319 142-1 §5.4.3: the token's imprint is the digest of the ByteRange bytes.
        return new DocumentTimestampFound(contentsStart, CmsTimestamps.Imprint(der, coverage.Segments));
    }

    private sealed record DocumentTimestampFound(int ContentsStart, TimestampEvidence Evidence);
}
