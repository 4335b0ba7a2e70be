using System.Security.Cryptography;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Validation.Chains;
using Microsoft.Extensions.Options;

namespace IdentityHub.Signing.Validation;

/// <summary>
/// The validation service (issue 10 §4, ETSI EN 319 102-1): picks the reader for the uploaded document, reads every
/// signature into evidence and has the assessor conclude on each. A document that cannot be read becomes a report
/// with <see cref="ValidationReport.Problem"/> set and no signatures; it never throws for hostile input.
/// </summary>
internal sealed class ValidationService(
    IEnumerable<ISignatureReader> readers,
    SignatureAssessor assessor,
    TrustAnchorStore anchors,
    IOptions<SigningOptions> options,
    TimeProvider time)
{
    public async Task<ValidationReport> ValidateAsync(ValidationInput input, ValidationPolicy? policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var validationTime = policy?.ValidationTime ?? time.GetUtcNow();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(input.Document.Span));
        if (input.Document.Length > options.Value.MaxDocumentBytes || input.DetachedContents.Sum(d => (long)d.Content.Length) > options.Value.MaxDocumentBytes)
        {
            return new ValidationReport(input.Name, sha256, "unknown", validationTime, [],
                $"{DocumentProblems.TooLarge}: the document is larger than the {options.Value.MaxDocumentBytes} bytes this service accepts.");
        }

        var reader = readers.FirstOrDefault(r => r.CanRead(input));
        if (reader is null)
        {
            return new ValidationReport(input.Name, sha256, "unknown", validationTime, [], $"{DocumentProblems.Unsupported}: the document is not a signed PDF, XML, CMS or ASiC file.");
        }

        IReadOnlyList<SignatureEvidence> evidence;
        try
        {
            evidence = await reader.ReadAsync(input, cancellationToken);
        }
        catch (DocumentRejectedException ex)
        {
            return new ValidationReport(input.Name, sha256, reader.Container, validationTime, [], $"{ex.Code}: {ex.Message}");
        }

        if (evidence.Count == 0)
        {
            return new ValidationReport(input.Name, sha256, reader.Container, validationTime, [], $"{DocumentProblems.NoSignature}: the document holds no signature.");
        }

        var context = new AssessmentContext(
            await anchors.AnchorsAsync(policy?.TrustAnchors, cancellationToken), validationTime, await anchors.HubAuthoritiesAsync(cancellationToken));
        var reports = new List<SignatureReport>();
        foreach (var signature in evidence)
        {
            reports.Add(await assessor.AssessAsync(signature, context, cancellationToken));
        }

        return new ValidationReport(input.Name, sha256, reader.Container, validationTime, reports);
    }
}
