using System.Text.Json.Serialization;

namespace IdentityHub.Signing.Http;

/// <summary>POST /api/signing/v1/requests: documents an agency asks a citizen to sign.</summary>
public sealed record SigningRequestBody
{
    /// <summary>1 to 100 documents (Signing:MaxBatchDocuments); content in base64; all together at most Signing:MaxDocumentBytes.</summary>
    public IReadOnlyList<DocumentBody>? Documents { get; init; }

    /// <summary>pades, xades, cades or asice.</summary>
    public string? Format { get; init; }

    /// <summary>B-B, B-T, B-LT or B-LTA (PAdES); XAdES and ASiC-E up to B-LT; CAdES up to B-T. Default B-T.</summary>
    public string? Level { get; init; }

    /// <summary>PAdES: draw the signature (name, time, level) on the first page.</summary>
    public bool Visible { get; init; }

    /// <summary>
    /// PAdES: certify each PDF (a certification signature, ISO 32000-1 DocMDP) allowing later only: no-changes,
    /// form-filling (and further signatures) or form-filling-and-annotations. Omit for an ordinary approval signature.
    /// A PDF that is already signed cannot be certified.
    /// </summary>
    public string? Certification { get; init; }

    /// <summary>What the signature is for, shown to the citizen ("Purchase contract for parcel 7841").</summary>
    public string? Purpose { get; init; }

    /// <summary>The citizen's sub at your agency (from their ID token); when set, only that citizen can open the request.</summary>
    public string? Subject { get; init; }

    /// <summary>https URI the hub POSTs {"id","state"} to when the request is signed or refused.</summary>
    public Uri? CallbackUri { get; init; }
}

public sealed record DocumentBody
{
    public string? Name { get; init; }

    public string? MimeType { get; init; }

    /// <summary>The document's bytes, base64.</summary>
    public string? Content { get; init; }
}

/// <summary>A request as the agency sees it; <see cref="SignUrl"/> is where to send the citizen.</summary>
public sealed record SigningRequestResponse(
    Guid Id,
    string State,
    string Format,
    string Level,
    [property: JsonPropertyName("signUrl")] Uri SignUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? SignedAt,
    string? CertificateSerial,
    string? FailureCode,
    IReadOnlyList<SigningDocumentResponse> Documents,
    string? Certification);

public sealed record SigningDocumentResponse(int Position, string Name, long Size, string Sha256, string? SignedName, string? SignedSha256, Uri? Download);
