using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation;

namespace IdentityHub.Signing.Requests;

/// <summary>The signature formats a request can ask for.</summary>
public static class RequestFormats
{
    /// <summary>PAdES: each PDF signed in place (ETSI EN 319 142-1).</summary>
    public const string Pades = "pades";

    /// <summary>XAdES: an XML document signed enveloped; any other file gets a detached signature document (EN 319 132-1).</summary>
    public const string Xades = "xades";

    /// <summary>CAdES: a detached .p7s per file (EN 319 122-1).</summary>
    public const string Cades = "cades";

    /// <summary>ASiC-E: all files in one container with one XAdES signature over them (EN 319 162-1).</summary>
    public const string Asice = "asice";

    public static IReadOnlyList<string> All { get; } = [Pades, Xades, Cades, Asice];

    /// <summary>The highest baseline level each format is offered at (CAdES stops at B-T, XAdES and ASiC-E at B-LT).</summary>
    public static SignatureLevel MaxLevel(string format) => format switch
    {
        Pades => SignatureLevel.BaselineLTA,
        Xades or Asice => SignatureLevel.BaselineLT,
        _ => SignatureLevel.BaselineT,
    };
}

/// <summary>
/// A PAdES certification signature (ISO 32000-1 §12.8.2.2, DocMDP): the first signature of a document, naming which
/// later changes leave it intact. Agencies and the portal name the permission; the PDF carries its number /P.
/// </summary>
public static class CertificationLevels
{
    /// <summary>P=1: no change at all (no further signature either).</summary>
    public const string NoChanges = "no-changes";

    /// <summary>P=2: filling in forms, instantiating page templates and signing.</summary>
    public const string FormFilling = "form-filling";

    /// <summary>P=3: as P=2, and annotations (comments) too.</summary>
    public const string FormFillingAndAnnotations = "form-filling-and-annotations";

    public static IReadOnlyList<string> All { get; } = [NoChanges, FormFilling, FormFillingAndAnnotations];

    /// <summary>The DocMDP /P for a name (trimmed, case-insensitive); null for an empty or unknown name.</summary>
    public static int? Permission(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        NoChanges => 1,
        FormFilling => 2,
        FormFillingAndAnnotations => 3,
        _ => null,
    };

    /// <summary>The name of a DocMDP /P; null for none.</summary>
    public static string? Name(int? permission) => permission switch
    {
        1 => NoChanges,
        2 => FormFilling,
        3 => FormFillingAndAnnotations,
        _ => null,
    };
}

/// <summary>What the portal or an agency asks to have signed; <see cref="Certification"/> is a DocMDP /P (PAdES only).</summary>
public sealed record NewSigningRequest(
    IReadOnlyList<SignedFile> Files,
    string Format,
    SignatureLevel Level,
    bool Visible = false,
    string? Purpose = null,
    bool KeepDocuments = false,
    int? Certification = null);

/// <summary>A document of a request, as pages and APIs show it.</summary>
public sealed record RequestDocument(int Position, string Name, string MimeType, long Size, string Sha256, string? SignedName, long? SignedSize, string? SignedSha256);

/// <summary>A request, as pages and APIs show it (never the document bytes).</summary>
public sealed record SigningRequestView(
    Guid Id,
    string State,
    string Format,
    string Level,
    bool Visible,
    string? ClientId,
    string? Purpose,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? SignedAt,
    bool KeepDocuments,
    string? CertificateSerial,
    string? FailureCode,
    IReadOnlyList<RequestDocument> Documents,
    int? Certification = null);

/// <summary>Request states.</summary>
public static class RequestStates
{
    public const string Pending = "pending";
    public const string Completed = "signed";
    public const string Cancelled = "cancelled";
}

/// <summary>Why a request could not be created, opened or signed: stable codes for ProblemDetails, pages and callbacks.</summary>
public static class RequestProblems
{
    public const string NoDocuments = "no-documents";
    public const string TooManyDocuments = "too-many-documents";
    public const string UnknownFormat = "unknown-format";
    public const string LevelNotOffered = "level-not-offered";
    public const string CertificationNotOffered = "certification-not-offered";
    public const string BadName = "bad-document-name";
    public const string NotFound = "not-found";
    public const string NotPending = "not-pending";
    public const string OtherCitizen = "other-citizen";
    public const string NoCredential = "no-signature-credential";
    public const string ActivationRefused = "activation-refused";
    public const string TimeStampUnavailable = "time-stamp-unavailable";
}

/// <summary>The end of a request operation: a value, or a stable problem code with a message for people.</summary>
public sealed record RequestOutcome<T>(T? Value, string? Problem = null, string? Detail = null)
{
    public bool Succeeded => Problem is null;
}

public static class RequestOutcome
{
    public static RequestOutcome<T> Fail<T>(string problem, string detail) => new(default, problem, detail);
}
